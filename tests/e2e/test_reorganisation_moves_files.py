"""R-UNIT-REORG through the API: when a cell is merged, split or dissolved, its open files and its members go
to the unit named to take its files on the effective date — the successor's officers then see them and take
their next steps (the vote reads the successor's roll), the old cell's token sees nothing, and an as-of answer
before the effective date still shows the old cell."""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Actor, Role
from services.commands.reorganisation import follow_reorganisations
from services.ledger import Ledger
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk, walk_to_sponsored

EFFECTIVE = "2022-01-03"
REORGANISATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "merger": ("/merger", {"successor_id": SIBLING}),
    "split": ("/split", {"successor_ids": [SIBLING, "unit-school-cell-3"], "files_successor_id": SIBLING}),
    "dissolution": ("/dissolution", {"successor_id": SIBLING}),
}


def _reorganise(client: Client, desk: Desk, how: str) -> None:
    admin = desk.who(Role.PROVINCIAL_ADMIN, "unit-province")
    version = client.get("/units/unit-province", headers=admin).json()["tree_version"]
    path, body = REORGANISATIONS[how]
    common = {"effective_on": EFFECTIVE, "reference": "QĐ 12-QĐ/TU", "occurred_on": "2021-12-28"}
    answer = desk.post(admin, f"/units/{CELL}{path}", {**body, **common, "expected_version": version})
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("how", sorted(REORGANISATIONS))
def test_open_files_and_members_follow_the_successor_and_its_officers_take_the_next_steps(
    client: Client, settings: Settings, how: str
) -> None:
    desk = Desk(client, settings)
    members = [desk.enrol(n) for n in (1, 2, 3, 4)]
    pooled = desk.nominate(8, members[0])
    sponsored = desk.nominate(9, members[0])
    version = walk_to_sponsored(desk, sponsored, members)

    _reorganise(client, desk, how)

    successor = desk.who(Role.CELL_SECRETARY, SIBLING)
    for person in (pooled, sponsored, *members):
        seen = client.get(f"/people/{person}", headers=successor)
        assert (seen.status_code, seen.json()["cell_id"]) == (200, SIBLING), seen.text
        gone = client.get(f"/people/{person}", headers=desk.who(Role.CELL_SECRETARY, CELL))
        assert gone.status_code == 404
    certificate = {"certificate_ref": "GCN 5", "issued_on": "2022-01-25"}
    desk.step(successor, pooled, "/training-certificate", 2, "2022-02-01", **certificate)  # 2: nominated, moved
    vote = {"yes": 4, "no": 0, "resolution_ref": "NQ 2-NQ/CB"}
    desk.step(successor, sponsored, "/cell-vote", version + 1, "2022-02-10", **vote)  # the successor's roll of four

    catch_up_every_unit(settings)
    files = client.get(f"/units/{SIBLING}/files", headers=successor).json()
    assert {(f["stream_id"], f["cell_id"]) for f in files["files"]} >= {(pooled, SIBLING), (sponsored, SIBLING)}
    roll = client.get(f"/units/{SIBLING}/members", headers=successor).json()
    assert {m["stream_id"] for m in roll["members"]} >= set(members)


def test_as_of_before_the_effective_date_keeps_the_old_cell(client: Client, settings: Settings) -> None:
    desk = Desk(client, settings)
    member = desk.enrol(1)
    _reorganise(client, desk, "merger")
    auditor = bearer(settings, Role.AUDITOR, "unit-province")
    before = client.get(
        f"/audit/people/{member}/as-of", params={"on": "2021-12-31", "clock": "occurred"}, headers=auditor
    )
    after = client.get(
        f"/audit/people/{member}/as-of", params={"on": "2022-01-31", "clock": "occurred"}, headers=auditor
    )
    assert before.status_code == after.status_code == 200, before.text
    assert (before.json()["cell_id"], after.json()["cell_id"]) == (CELL, SIBLING)


def test_a_reorganisation_followed_twice_moves_no_one_twice(client: Client, settings: Settings) -> None:
    desk = Desk(client, settings)
    member = desk.enrol(1)
    _reorganise(client, desk, "dissolution")
    ledger: Ledger = client.app.state.ledger
    again = follow_reorganisations(ledger, Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province"))
    assert again.moved == 0
    history = client.get(f"/audit/people/{member}/history", headers=bearer(settings, Role.AUDITOR, "unit-province"))
    assert [e["event_type"] for e in history.json()["events"]].count("MovedByReorganisation") == 1
