"""A person's file over HTTP: the whole pipeline, off-ramps, refusals, conflicts, retries and walls."""

from __future__ import annotations

from typing import Any

import pytest

from services.commands.actors import Role
from services.commands.person_steps import STEPS
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import (
    CELL,
    SIBLING,
    Desk,
    Headers,
    citizen,
    log_position,
    particulars,
    sample_body,
    walk_to_sponsored,
)


@pytest.fixture
def desk(client: Client, settings: Settings) -> Desk:
    return Desk(client, settings)


@pytest.fixture
def members(desk: Desk) -> list[str]:
    return [desk.enrol(n) for n in (1, 2, 3, 4)]


def decision(version: int) -> dict[str, Any]:
    return {"expected_version": version, "occurred_on": "2022-01-10", "decision_ref": "QĐ 101-QĐ/ĐUK"}


def test_a_candidate_goes_from_nomination_to_official_membership(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    v = walk_to_sponsored(desk, who, members)
    v = desk.step(desk.cell, who, "/cell-vote", v, "2021-12-15", yes=4, no=0, resolution_ref="NQ 20-NQ/CB")
    school = desk.who(Role.GRASSROOTS_OFFICER, "unit-school")
    v = desk.step(school, who, "/committee-resolution", v, "2021-12-20", yes=7, committee_size=9, resolution_ref="NQ 7")
    not_competent = desk.post(school, f"/people/{who}/admission-decision", decision(v))
    assert not_competent.status_code == 422 and not_competent.json()["rule_id"] == "R-AUTH-ADMIT"
    bloc = desk.who(Role.UPPER_OFFICER, "unit-bloc")
    v = desk.step(bloc, who, "/admission-decision", v, "2022-01-10", decision_ref="QĐ 101-QĐ/ĐUK")
    v = desk.step(desk.cell, who, "/admission-decision-receipt", v, "2022-01-12")
    v = desk.step(desk.cell, who, "/ceremony", v, "2022-01-20", mentor_id=members[1], ceremony_ref="BB lễ kết nạp")
    v = desk.step(desk.cell, who, "/new-member-course", v, "2022-06-01", certificate_ref="GCN ĐVM 3")
    v = desk.step(desk.cell, who, "/recognition-vote", v, "2023-02-01", yes=4, no=0, resolution_ref="NQ 2-NQ/CB")
    v = desk.step(bloc, who, "/official-recognition", v, "2023-02-15", decision_ref="QĐ 55-QĐ/ĐUK")
    shown = desk.client.get(f"/people/{who}", headers=desk.cell).json()
    assert (shown["stage"], shown["stage_vi"], shown["version"]) == ("Official", "Đảng viên chính thức", v)
    assert shown["official_from"] == "2023-01-20" and "citizen_id" not in shown and citizen(9) not in str(shown)
    assert official_on_dashboard(desk) == 5


def official_on_dashboard(desk: Desk) -> int:
    """Run the projections in-process (the worker's part is the lead's test), then read the cell's dashboard."""
    catch_up_every_unit(desk.settings)
    board = desk.client.get(f"/units/{CELL}/dashboard", params={"year": 2023}, headers=desk.cell)
    assert board.status_code == 200, board.text
    official: int = board.json()["members"]["official"]
    return official


def test_the_cell_rejects_a_candidate(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    desk.step(desk.cell, who, "/rejection", 1, "2021-01-05", level="cell", reason="Chưa đủ tiêu chuẩn")
    assert desk.client.get(f"/people/{who}", headers=desk.cell).json()["stage"] == "Rejected"


def test_a_probationary_member_not_recognised_is_struck_off(desk: Desk, members: list[str]) -> None:
    who = desk.enrol(8, official=False)
    v = desk.step(desk.cell, who, "/recognition-vote", 1, "2021-06-21", yes=0, no=4, resolution_ref="NQ 3-NQ/CB")
    bloc = desk.who(Role.UPPER_OFFICER, "unit-bloc")
    desk.step(bloc, who, "/probationary-strike-off", v, "2021-07-12", decision_ref="QĐ 9", reason="Không đủ tư cách")
    assert desk.client.get(f"/people/{who}", headers=desk.cell).json()["stage"] == "StruckOff"


def test_a_rule_refusal_names_its_rule_in_both_languages_and_writes_nothing(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    before = log_position(desk.client)
    body = {"expected_version": 1, "occurred_on": "2021-01-05", "application_ref": "Đơn"}
    refused = desk.post(desk.cell, f"/people/{who}/application", body)
    assert refused.status_code == 422 and refused.json()["rule_id"] == "R-STAGE-ORDER"
    assert "không thực hiện được" in refused.json()["message_vi"]
    assert log_position(desk.client) == before


def test_a_stale_expected_version_is_a_conflict(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    desk.step(desk.cell, who, "/training-certificate", 1, "2021-01-15", certificate_ref="GCN", issued_on="2021-01-10")
    body = {"expected_version": 1, "occurred_on": "2021-01-16", "particulars": particulars("Quần Chúng Mới")}
    stale = desk.post(desk.cell, f"/people/{who}/particulars", body)
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    ahead = desk.post(desk.cell, f"/people/{who}/particulars", body | {"expected_version": 7})
    assert ahead.status_code == 409


def test_a_retry_returns_the_first_answer_and_writes_nothing(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    body = {"expected_version": 1, "occurred_on": "2021-01-15", "certificate_ref": "GCN", "issued_on": "2021-01-10"}
    first = desk.post(desk.cell, f"/people/{who}/training-certificate", body, key="retry-0001")
    again = desk.post(desk.cell, f"/people/{who}/training-certificate", body, key="retry-0001")
    assert (
        again.status_code == 201 and again.json() | {"duplicate": False} == first.json() and again.json()["duplicate"]
    )
    other = desk.post(
        desk.cell, f"/people/{who}/training-certificate", body | {"certificate_ref": "GCN 2"}, key="retry-0001"
    )
    assert other.status_code == 422
    assert log_position(desk.client) == first.json()["last_position"]


def every_write(desk: Desk, headers: Headers, who: str, *, creating: bool = True) -> set[int]:
    steps = [s for s in STEPS if creating or not s.creates]
    return {desk.post(headers, s.route.replace("{person_id}", who), sample_body(s.body)).status_code for s in steps}


def test_a_sibling_cell_gets_404_for_every_endpoint_of_another_cells_person(desk: Desk, members: list[str]) -> None:
    sibling = desk.who(Role.CELL_SECRETARY, SIBLING)
    who = members[0]
    reads = {desk.client.get(f"/people/{who}{tail}", headers=sibling).status_code for tail in ("", "/next-steps")}
    writes = every_write(desk, sibling, who, creating=False)
    assert reads == {404} and writes == {404}


def test_viewers_and_auditors_never_write(desk: Desk, members: list[str]) -> None:
    before = log_position(desk.client)
    for role in (Role.VIEWER, Role.AUDITOR):
        assert every_write(desk, desk.who(role, "unit-province"), members[0]) == {404}
    assert desk.client.get(f"/people/{members[0]}", headers=desk.who(Role.VIEWER, "unit-province")).status_code == 200
    assert log_position(desk.client) == before


def test_next_steps_follow_the_stage_and_the_role(desk: Desk, members: list[str]) -> None:
    who = desk.nominate(9, members[0])
    steps = desk.client.get(f"/people/{who}/next-steps", headers=desk.cell).json()
    names = {s["operation_id"] for s in steps}
    assert {"recordTrainingCertificate", "withdrawCandidate", "rejectCandidate"} <= names
    assert "decideAdmission" not in names and "approveAtCell" not in names


def test_a_malformed_person_id_is_a_missing_person(desk: Desk, members: list[str]) -> None:
    """F6 of the fuzzing: not a 400 about events, which would tell the caller how ids are made."""
    viewer = desk.who(Role.VIEWER, "unit-school")
    for path in ("/people/0", "/people/0/next-steps", "/people/PERSON-x"):
        assert desk.client.get(path, headers=viewer).status_code == 404
    rating = desk.post(
        desk.cell,
        "/people/0/rating",
        {"expected_version": 1, "occurred_on": "2022-01-03", "year": 2021, "grade": "good"},
    )
    assert rating.status_code == 404
