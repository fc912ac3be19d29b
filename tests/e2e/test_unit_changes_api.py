"""Unit changes over HTTP: reorganisations with successors and effective dates, delegation, targets and plans.

Each goes through the handler the CLI and the generator use, answers the tree's new version and log position,
and is refused as RFC 9457 problem details naming the rule — with nothing written.
"""

from __future__ import annotations

from typing import Any

from services.commands.actors import Role
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.e2e.conftest import Client, bearer

SEEDED_VERSION = 8
DECISION = {"occurred_on": "2025-06-20"}
REFERENCE = "Quyết định số 12-QĐ/TU ngày 20/6/2025"


class Admin:
    """The provincial administrator posting unit changes, each with a fresh Idempotency-Key."""

    def __init__(
        self, client: Client, settings: Settings, role: Role = Role.PROVINCIAL_ADMIN, unit: str = "unit-province"
    ):
        self.client, self.headers, self.keys = client, bearer(settings, role, unit), 0

    def post(self, path: str, version: int = SEEDED_VERSION, key: str | None = None, **body: Any) -> Any:
        """A decision with its reference (a yearly plan has none)."""
        self.keys += 1
        if not path.endswith("yearly-plans"):
            body = {"reference": REFERENCE} | body
        headers = self.headers | {"Idempotency-Key": key or f"change-{self.keys:04d}"}
        return self.client.post(path, json=DECISION | {"expected_version": version} | body, headers=headers)

    def unit(self, unit_id: str) -> dict[str, Any]:
        response = self.client.get(f"/units/{unit_id}", headers=self.headers)
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer


def position(client: Client) -> int:
    head: int = client.get("/ready").json()["log_position"]
    return head


def test_a_merger_answers_the_new_version_and_position_and_the_tree_keeps_its_history(
    client: Client, settings: Settings
) -> None:
    admin = Admin(client, settings)
    merged = admin.post(
        "/units/unit-school-cell-5/merger", successor_id="unit-school-cell-4", effective_on="2025-07-01"
    )

    assert merged.status_code == 201, merged.text
    assert merged.json() | {"first_position": 0} == {
        "stream_id": "unittree-province",
        "stream_version": SEEDED_VERSION + 1,
        "first_position": 0,
        "last_position": position(client),
        "duplicate": False,
    }
    assert admin.unit("unit-school")["tree_version"] == SEEDED_VERSION + 1
    on_the_eve = client.get(
        "/units/unit-school/members", params={"on": "2025-06-30"}, headers=admin.headers
    )  # the tree as of a date still has the merged cell: no 404 for it before its end
    assert on_the_eve.status_code == 200


def test_a_move_puts_the_unit_under_its_new_parent(client: Client, settings: Settings) -> None:
    admin = Admin(client, settings)
    registered = admin.client.post(
        "/units",
        json={
            "unit_id": "unit-academy",
            "code": "HV",
            "name": "Đảng bộ Học viện",
            "kind": "grassroots_committee",
            "parent_id": "unit-bloc",
            "occurred_on": "2024-01-02",
            "expected_version": SEEDED_VERSION,
        },
        headers=admin.headers | {"Idempotency-Key": "register-academy"},
    )
    assert registered.status_code == 201, registered.text

    moved = admin.post(
        "/units/unit-school-cell-5/move", SEEDED_VERSION + 1, parent_id="unit-academy", effective_on="2025-07-01"
    )

    assert moved.status_code == 201, moved.text
    assert admin.unit("unit-school-cell-5")["path"] == ["unit-province", "unit-bloc", "unit-academy"]


def test_a_split_and_a_dissolution_name_their_successors(client: Client, settings: Settings) -> None:
    admin = Admin(client, settings)
    split = admin.post(
        "/units/unit-school-cell-5/split",
        successor_ids=["unit-school-cell-3", "unit-school-cell-4"],
        files_successor_id="unit-school-cell-4",
        effective_on="2025-07-01",
    )
    dissolved = admin.post(
        "/units/unit-school-cell-2/dissolution",
        SEEDED_VERSION + 1,
        successor_id="unit-school-cell-1",
        effective_on="2025-07-01",
    )
    assert (split.status_code, dissolved.status_code) == (201, 201), (split.text, dissolved.text)
    assert dissolved.json()["stream_version"] == SEEDED_VERSION + 2


def test_a_refused_reorganisation_names_its_rule_in_both_languages_and_writes_nothing(
    client: Client, settings: Settings
) -> None:
    admin = Admin(client, settings)
    before = position(client)
    refusals = {
        "R-UNIT-REORG": admin.post(
            "/units/unit-school/merger", successor_id="unit-bloc", effective_on="2025-07-01"
        ),  # cells still under it
        "R-UNIT-TREE": admin.post(
            "/units/unit-school-cell-1/reclassification", kind="grassroots_committee", effective_on="2025-07-01"
        ),
        "R-AUTH-ADMIT": admin.post("/units/unit-school-cell-1/admission-delegation", admission_delegated=True),
    }
    for rule_id, response in refusals.items():
        assert response.status_code == 422, response.text
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["rule_id"] == rule_id
        assert problem["message_vi"] and problem["message_vi"] != problem["message_en"]
    assert position(client) == before


def test_delegation_retries_and_stale_versions(client: Client, settings: Settings) -> None:
    admin = Admin(client, settings)
    first = admin.post("/units/unit-school/admission-delegation", key="delegate-school", admission_delegated=True)
    again = admin.post("/units/unit-school/admission-delegation", key="delegate-school", admission_delegated=True)
    stale = admin.post("/units/unit-school/admission-delegation", admission_delegated=False)

    assert first.status_code == again.status_code == 201, first.text
    assert again.json() == first.json() | {"duplicate": True}
    assert admin.unit("unit-school")["admission_delegated"] is True
    assert stale.status_code == 409 and stale.json()["current_version"] == SEEDED_VERSION + 1


def test_only_the_administrator_reorganises_and_only_in_its_subtree(client: Client, settings: Settings) -> None:
    before = position(client)
    for role, unit, path, successor in (
        (Role.UPPER_OFFICER, "unit-bloc", "/units/unit-school-cell-5/merger", "unit-school-cell-4"),
        (Role.PROVINCIAL_ADMIN, "unit-school-cell-4", "/units/unit-school-cell-4/merger", "unit-school-cell-3"),
    ):
        refused = Admin(client, settings, role, unit).post(path, successor_id=successor, effective_on="2025-07-01")
        assert refused.status_code == 404, refused.text
    assert position(client) == before


def test_targets_and_plans_reach_the_dashboard(client: Client, settings: Settings) -> None:
    secretary = Admin(client, settings, Role.CELL_SECRETARY, "unit-school-cell-1")
    target = secretary.post("/units/unit-school-cell-1/term-targets", term="2025-2030", metric="admissions", target=2)
    plan = secretary.post(
        "/units/unit-school-cell-1/yearly-plans", SEEDED_VERSION + 1, year=2025, metric="admissions", planned=1
    )
    sibling = secretary.post(
        "/units/unit-school-cell-2/yearly-plans", SEEDED_VERSION + 2, year=2025, metric="admissions", planned=1
    )
    assert (target.status_code, plan.status_code, sibling.status_code) == (201, 201, 404), sibling.text

    behind = client.get(
        "/units/unit-school-cell-1/dashboard", params={"year": 2025, "wait": 0}, headers=secretary.headers
    )  # no worker has run yet: the answer says how far behind it is, and since when
    assert behind.headers["X-Caught-Up"] == "false" and float(behind.headers["X-Log-Age"]) > 0
    assert int(behind.headers["X-Log-Head"]) == plan.json()["last_position"]

    catch_up(settings)
    board = client.get(
        "/units/unit-school-cell-1/dashboard",
        params={"year": 2025, "term": "2025-2030", "min_position": plan.json()["last_position"], "wait": 1},
        headers=secretary.headers,
    )
    assert board.status_code == 200 and board.headers["X-Caught-Up"] == "true"
    assert board.headers["X-Log-Age"] == "0.000"
    [admissions] = [t for t in board.json()["targets"] if t["metric"] == "admissions"]
    assert (admissions["term_target"], admissions["year_plan"]) == (2, 1), admissions


def catch_up(settings: Settings) -> None:
    """What the worker does after the doorbell, in-process."""
    catch_up_every_unit(settings)
