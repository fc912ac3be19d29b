"""R-RETRACT over HTTP: retract an entry, be refused in Vietnamese, meet the wall, and let auditors see both."""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Role
from services.commands.walls import today
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, SIBLING, Desk, particulars

SCHOOL = "unit-school"


@pytest.fixture
def desk(client: Client, settings: Settings) -> Desk:
    return Desk(client, settings)


def retraction(version: int, entry: int, reason: str = "Ghi nhầm ngày trên giấy chứng nhận") -> dict[str, Any]:
    return {"expected_version": version, "entry_version": entry, "reason": reason, "occurred_on": today().isoformat()}


def test_a_mistaken_entry_is_retracted_and_the_right_one_recorded(desk: Desk) -> None:
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-06-20", certificate_ref="GCN", issued_on="2021-06-19")

    answer = desk.post(desk.cell, f"/people/{who}/retractions", retraction(2, 2))

    assert answer.status_code == 201, answer.text
    shown = desk.client.get(f"/people/{who}", headers=desk.cell).json()
    assert (shown["stage"], shown["version"]) == ("SourcePool", 3)
    v = desk.step(
        desk.cell, who, "/training-certificate", 3, "2021-01-20", certificate_ref="GCN", issued_on="2021-01-19"
    )
    assert v == 4
    catch_up_every_unit(desk.settings)
    files = desk.client.get(f"/units/{CELL}/files", headers=desk.cell).json()
    row = next(r for r in files["files"] if r["stream_id"] == who)
    assert (row["stage"], row["stage_since"]) == ("Trained", "2021-01-20")


def test_refusals_name_the_rule_in_vietnamese_and_write_nothing(desk: Desk) -> None:
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-06-20", certificate_ref="GCN", issued_on="2021-06-19")
    desk.step(desk.cell, who, "/application", 2, "2021-06-25", application_ref="Đơn")
    before = desk.client.get("/ready").json()["log_position"]

    later_first = desk.post(desk.cell, f"/people/{who}/retractions", retraction(3, 2))
    nomination = desk.post(desk.cell, f"/people/{who}/retractions", retraction(3, 1))
    no_reason = desk.post(desk.cell, f"/people/{who}/retractions", retraction(3, 3, reason="  "))

    for answer in (later_first, nomination):
        assert answer.status_code == 422, answer.text
        assert answer.json()["rule_id"] == "R-RETRACT" and answer.json()["message_vi"]
    assert "thu hồi các bước sau trước" in later_first.json()["message_vi"]
    assert no_reason.status_code == 422
    assert desk.client.get("/ready").json()["log_position"] == before


def test_walls_a_sibling_cell_and_a_cell_under_a_committees_entry(desk: Desk) -> None:
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    school = desk.who(Role.GRASSROOTS_OFFICER, SCHOOL)
    sibling = desk.who(Role.CELL_SECRETARY, SIBLING)
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-06-20", certificate_ref="GCN", issued_on="2021-06-19")
    missing = desk.post(sibling, "/people/person-00000000000000000000000000000000/retractions", retraction(2, 2))

    foreign = desk.post(sibling, f"/people/{who}/retractions", retraction(2, 2))

    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    body = {"particulars": particulars("Quần Chúng Ưu Tú")}
    committees = desk.post(
        school, f"/people/{who}/particulars", {"expected_version": 2, "occurred_on": "2021-06-21"} | body
    )
    assert committees.status_code == 201, committees.text
    not_the_cells = desk.post(desk.cell, f"/people/{who}/retractions", retraction(3, 3))
    assert not_the_cells.status_code == 404  # the committee recorded it: the cell cannot take it back
    assert desk.post(school, f"/people/{who}/retractions", retraction(3, 3)).status_code == 201


def test_auditors_see_the_entry_and_its_retraction(desk: Desk, settings: Settings) -> None:
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-06-20", certificate_ref="GCN", issued_on="2021-06-19")
    assert desk.post(desk.cell, f"/people/{who}/retractions", retraction(2, 2)).status_code == 201

    auditor = bearer(settings, Role.AUDITOR, SCHOOL, user="kiem-tra-1")
    history = desk.client.get(f"/audit/people/{who}/history", headers=auditor).json()

    kinds = [e["event_type"] for e in history["events"]]
    assert kinds == ["CandidateNominated", "AwarenessTrainingCertified", "EntryRetracted"]
    retracted = history["events"][-1]
    assert retracted["data"]["entry_version"] == 2 and retracted["data"]["reason"].startswith("Ghi nhầm")


def test_the_step_is_documented_from_its_row(client: Client) -> None:
    document = client.get("/schema/openapi.json").json()
    operation = document["paths"]["/people/{person_id}/retractions"]["post"]
    assert operation["operationId"] == "retractEntry"
