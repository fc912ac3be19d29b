"""Finding a person by citizen ID reveals nothing outside the caller's subtree (I8).

Nominating or enrolling a citizen ID that is already filed with a unit the caller does not govern is refused
the same way whatever that file holds — a member, an open file, a withdrawn candidate — naming neither the
unit, the stage nor the person; nothing is written, the file stays where it is, and the attempt is recorded
for the administrators. The way to bring the file over is a request the holder grants
(R-FILE-REQUEST, tests/security/test_file_request_walls.py).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from services import denial_records
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import SIBLING, Desk, citizen, particulars, person
from tests.security.conftest import log_state

STRANGER = bearer_args = (Role.CELL_SECRETARY, SIBLING)


def _nominate(client: Client, settings: Settings, n: int, key: str) -> Any:
    body = {"citizen_id": citizen(n), "particulars": particulars("Người Khác"), "helper_id": person(9),
            "resolution_ref": "NQ 7", "occurred_on": "2021-05-04", "expected_version": 0}  # fmt: skip
    headers = bearer(settings, *STRANGER, user="nosy.secretary") | {"Idempotency-Key": key}
    return client.post("/people", json=body, headers=headers)


def _enrol(client: Client, settings: Settings, n: int, key: str) -> Any:
    body = {"citizen_id": citizen(n), "particulars": particulars("Người Khác"), "cell_id": SIBLING,
            "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
            "roll_ref": "Sổ 9", "occurred_on": "2021-05-04", "expected_version": 0}  # fmt: skip
    headers = bearer(settings, *STRANGER, user="nosy.secretary") | {"Idempotency-Key": key}
    return client.post("/people/enrolment", json=body, headers=headers)


@pytest.fixture
def held(client: Client, settings: Settings) -> dict[str, int]:
    """Three citizen IDs held by unit-school-cell-1: a member, an open file, a withdrawn candidate."""
    desk = Desk(client, settings)
    member = desk.enrol(1)
    desk.enrol(9, official=True)  # the stranger's helper, in the stranger's own cell is not needed: never reached
    desk.nominate(2, member)
    desk.nominate(3, member)
    withdrawn = desk.post(desk.cell, f"/people/{person(3)}/withdrawal",
                          {"reason": "Xin rút", "occurred_on": "2021-02-01", "expected_version": 1})  # fmt: skip
    assert withdrawn.status_code == 201, withdrawn.text
    return {"member": 1, "open file": 2, "withdrawn": 3}


def test_a_citizen_id_filed_outside_the_callers_units_answers_the_same_whatever_its_file_holds(
    client: Client, settings: Settings, held: dict[str, int]
) -> None:
    before = log_state(settings)
    answers = [_nominate(client, settings, n, f"nominate-{n}") for n in held.values()]
    answers += [_enrol(client, settings, n, f"enrolment-{n}") for n in held.values()]
    assert {a.status_code for a in answers} == {409}, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1, [a.text for a in answers]
    said = answers[0].json()
    assert said["type"].endswith("/filed-elsewhere")
    assert "unit-school" not in answers[0].text and "Người" not in answers[0].text
    assert log_state(settings) == before


def test_the_withdrawn_candidates_file_stays_with_its_cell(
    client: Client, settings: Settings, held: dict[str, int]
) -> None:
    _nominate(client, settings, held["withdrawn"], "take-it")
    own = client.get(f"/people/{person(3)}", headers=bearer(settings, Role.CELL_SECRETARY, "unit-school-cell-1"))
    assert own.json()["cell_id"] == "unit-school-cell-1"


def test_the_attempt_is_recorded_for_the_administrators(
    client: Client, settings: Settings, held: dict[str, int]
) -> None:
    _nominate(client, settings, held["member"], "nominate-member")
    page = client.get("/units/unit-province/denials", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province"))
    found = [d for d in page.json()["denials"] if d["user_id"] == "nosy.secretary"]
    assert [(d["status"], d["path"]) for d in found] == [(409, "/people")]
    assert "filed elsewhere" in found[0]["reason"]


def test_a_wall_answers_without_waiting_for_its_record(
    client: Client, settings: Settings, held: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """I8: no timing difference — the denial is written after the answer, not before it."""
    slow = denial_records.record_denial

    def slow_record(engine: Any, denial: denial_records.Denial) -> None:
        time.sleep(1.5)
        slow(engine, denial)

    monkeypatch.setattr(denial_records, "record_denial", slow_record)
    monkeypatch.setattr("services.api.audit.denials.record_denial", slow_record, raising=False)  # any importer
    stranger = bearer(settings, *STRANGER, user="timed.secretary")
    started = time.perf_counter()
    answer = client.get(f"/people/{person(1)}", headers=stranger)
    took = time.perf_counter() - started
    assert answer.status_code == 404
    assert took < 1.0, took
    page = client.get("/units/unit-province/denials", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province"))
    assert "timed.secretary" in {d["user_id"] for d in page.json()["denials"]}
