"""The record of refused requests: what an administrator reads (endpoint and CLI), and who may read it."""

from __future__ import annotations

import subprocess

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING
from tests.support.processes import BIN


def _refusals(client: Client, settings: Settings, member: str) -> None:
    """A wall 404 (a sibling cell's secretary), a role 404 (a viewer writing), a 401 (no token)."""
    client.get(f"/people/{member}", headers=bearer(settings, Role.CELL_SECRETARY, SIBLING, user="nosy.secretary"))
    client.post(
        f"/people/{member}/violations",
        json={"reason": "x", "occurred_on": "2022-01-03", "expected_version": 1},
        headers=bearer(settings, Role.VIEWER, CELL, user="eager.viewer") | {"Idempotency-Key": "viewer-writes-1"},
    )
    client.get(f"/units/{CELL}/members")


def test_the_provincial_administrator_reads_who_was_refused_what_and_why(
    client: Client, settings: Settings, member: str
) -> None:
    _refusals(client, settings, member)

    page = client.get("/units/unit-province/denials", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province"))

    assert page.status_code == 200, page.text
    seen = {(d["status"], d["user_id"], d["verified"]): d for d in page.json()["denials"]}
    wall = seen[(404, "nosy.secretary", True)]
    assert wall["path"] == f"/people/{member}" and "is not within unit-school-cell-2" in wall["reason"]
    assert wall["at"] and wall["client"] and wall["method"] == "GET"
    role = seen[(404, "eager.viewer", True)]
    assert "role viewer may not take this step" in role["reason"] and role["method"] == "POST"
    assert "no bearer token" in seen[(401, None, False)]["reason"]


def test_a_lower_administrator_sees_only_callers_of_its_subtree(
    client: Client, settings: Settings, member: str
) -> None:
    _refusals(client, settings, member)
    client.get("/units/unit-bloc", headers=bearer(settings, Role.VIEWER, "unit-school", user="outside.viewer"))

    page = client.get("/units/unit-school/denials", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-school"))

    users = {d["user_id"] for d in page.json()["denials"]}
    assert users == {"nosy.secretary", "eager.viewer", "outside.viewer"}  # no anonymous callers below the top


def test_no_other_role_reads_the_denials(client: Client, settings: Settings) -> None:
    for role in Role:
        if role is not Role.PROVINCIAL_ADMIN:
            answer = client.get("/units/unit-province/denials", headers=bearer(settings, role, "unit-province"))
            assert answer.status_code == 404, (role, answer.text)


def test_the_cli_prints_one_line_per_denial(client: Client, settings: Settings, member: str) -> None:
    _refusals(client, settings, member)

    done = subprocess.run(
        [str(BIN / "partyledger"), "denials", "--database-url", settings.database_url],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3
    assert any(
        "404 nosy.secretary as cell_secretary of unit-school-cell-2" in line and f"GET /people/{member}" in line
        for line in lines
    )
    assert any(line.split(" ")[1] == "401" and "anonymous" in line for line in lines)
