"""I8 as a matrix: every endpoint × caller position (own, child, sibling, parent unit) × role.

A refused request must be indistinguishable from a request for a thing that does not exist (same status, same
detail) and must leave the log untouched; an allowed one must get past the wall (it may still be refused by a
party rule, 4xx, never 5xx). A new endpoint that is not in the table fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from services.api.app import create_app
from services.api.auth import Role
from services.api.people_steps import STEPS
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import Desk, sample_body
from tests.e2e.wall_table import CREATING, POSITIONS, PUBLIC, ROLES_ALLOWED, WALL_PASSES

ROLE_LETTERS = {
    Role.CELL_SECRETARY: "S",
    Role.GRASSROOTS_OFFICER: "G",
    Role.UPPER_OFFICER: "U",
    Role.PROVINCIAL_ADMIN: "A",
    Role.AUDITOR: "K",
    Role.VIEWER: "V",
}
UNIT_READS = {
    "getUnit": "",
    "getDashboard": "/dashboard?year=2022",
    "listFiles": "/files",
    "listDeadlines": "/deadlines",
    "listMembers": "/members",
    "getStatistics": "/statistics?year=2022",
    "listDenials": "/denials",
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, Settings, dict[str, str]]]:
    """The seeded province with an enrolled member in unit-school-cell-1 (person targets)."""
    from eventstore import open_store
    from services.embedded import seed_minimal_province

    folder = tmp_path_factory.mktemp("walls")
    settings = Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"})
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    with TestClient(app=create_app(settings)) as client:
        member = Desk(client, settings).enrol(1)
        yield client, settings, {"unit-school-cell-1": member}


def request(
    client: Client,
    settings: Settings,
    operation: str,
    role: Role,
    caller: str,
    target: str,
    people: dict[str, str],
    key: str,
) -> Any:
    headers = bearer(settings, role, caller) | {"Idempotency-Key": key}
    if operation in UNIT_READS:
        return client.get(f"/units/{target}{UNIT_READS[operation]}", headers=headers)
    if operation == "renameUnit":
        body = {"name": "Chi bộ Tên Mới", "occurred_on": "2022-01-03", "expected_version": 8}
        return client.post(f"/units/{target}/rename", json=body, headers=headers)
    if operation == "registerUnit":
        body = {
            "unit_id": "unit-new-cell",
            "code": "NEW",
            "name": "Chi bộ Mới",
            "kind": "cell",
            "parent_id": target,
            "occurred_on": "2022-01-03",
            "expected_version": 8,
        }
        return client.post("/units", json=body, headers=headers)
    person = people.get(target, "person-00000000000000000000000000000000")
    if operation == "getPerson":
        return client.get(f"/people/{person}", headers=headers)
    if operation == "listNextSteps":
        return client.get(f"/people/{person}/next-steps", headers=headers)
    step = next(s for s in STEPS if s.operation_id == operation)
    body = sample_body(step.body)
    if "to_cell_id" in body:  # the receiving cell is checked against the walls too: keep it in the target's unit
        body["to_cell_id"] = target
    return client.post(step.route.replace("{person_id}", person), json=body, headers=headers)


def test_the_table_covers_every_operation(world: tuple[Client, Settings, dict[str, str]]) -> None:
    client, _, _ = world
    operations = {
        op["operationId"]
        for path in client.get("/schema/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert operations - PUBLIC - CREATING == set(ROLES_ALLOWED)


CASES = [(op, role, position) for op in sorted(ROLES_ALLOWED) for role in ROLE_LETTERS for position in POSITIONS]


@pytest.mark.parametrize(("operation", "role", "position"), CASES)
def test_the_wall(world: tuple[Client, Settings, dict[str, str]], operation: str, role: Role, position: str) -> None:
    client, settings, people = world
    caller, target = POSITIONS[position]
    allowed = WALL_PASSES[position] and ROLE_LETTERS[role] in ROLES_ALLOWED[operation]
    before = client.get("/ready").json()["log_position"]
    key = f"wall-{operation}-{role}-{position}"

    answer = request(client, settings, operation, role, caller, target, people, key)

    assert answer.status_code < 500, answer.text
    if allowed:
        assert answer.status_code != 404, f"{role} at {caller} should reach {operation} on {target}: {answer.text}"
        return
    missing = request(
        client, settings, operation, Role.PROVINCIAL_ADMIN, "unit-province", "unit-nowhere", {}, key + "-missing"
    )
    assert answer.status_code == 404, answer.text
    assert answer.json()["detail"] == missing.json()["detail"]
    assert client.get("/ready").json()["log_position"] == before
