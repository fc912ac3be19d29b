"""Members admitted before the ledger started, entered from the roll (EnrollMember → MemberEnrolled)."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.particulars import Particulars
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.events import DeadlineBreached
from domain.person.facts import CellFacts, DeciderFacts, PersonFacts
from domain.person.handlers import decide, handle
from domain.person.member_events import MemberEnrolled, OfficialRecognised, RecognitionVoteHeld
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.state import initial_state, replay
from domain.person.values import RejectionLevel
from tests.support.person_ids import person_id_of

ENROLLED_ON = date(2020, 10, 15)
CEREMONY_ON = date(2019, 3, 10)
ADMITTED_ON = date(2019, 2, 20)
CELL = "cell-teachers"


def empty(citizen_id: str) -> PersonState:
    return initial_state(person_id_of(citizen_id))


def enrol(state: PersonState, citizen_id: str, particulars: Particulars, **changes: Any) -> mc.EnrollMember:
    command = mc.EnrollMember(
        person_id=state.person_id,
        occurred_on=ENROLLED_ON,
        acting_unit_id="school-committee",
        citizen_id=citizen_id,
        particulars=particulars,
        cell_id=CELL,
        admitted_on=ADMITTED_ON,
        ceremony_on=CEREMONY_ON,
        official_from=date(2020, 3, 10),
        roll_ref="Thẻ đảng viên số 19012345",
    )
    return replace(command, **changes)


def refusal(state: PersonState, command: mc.EnrollMember, calendar: WorkingCalendar) -> DomainError:
    with pytest.raises(DomainError) as caught:
        decide(state, command, calendar)
    assert caught.value.message_en and unicodedata.is_normalized("NFC", caught.value.message_vi)
    return caught.value


def rule_of(state: PersonState, command: mc.EnrollMember, calendar: WorkingCalendar) -> str:
    error = refusal(state, command, calendar)
    assert isinstance(error, RuleViolation), error
    return error.rule_id


def test_an_official_member_from_the_roll_is_official_with_seniority_from_the_decision(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    state, events = handle(empty(citizen_id), enrol(empty(citizen_id), citizen_id, particulars), calendar)
    assert [type(e) for e in events] == [MemberEnrolled]
    assert state.stage is Stage.OFFICIAL and state.cell_id == CELL and state.particulars == particulars
    m = state.membership
    assert m is not None and (m.admitted_on, m.ceremony_on) == (ADMITTED_ON, CEREMONY_ON)
    assert m.official_from == m.probation_ends_on == date(2020, 3, 10)
    assert m.mentor_id is None and m.recognition_vote_deadline is None and m.course_completed
    assert state.file is None and state.readmissions == 0 and events[0].rule_set == "qd24-2021"


def test_a_probationary_member_from_the_roll_has_the_recognition_vote_clock_running(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    command = enrol(empty(citizen_id), citizen_id, particulars, ceremony_on=date(2020, 9, 1), official_from=None)
    state = handle(empty(citizen_id), command, calendar)[0]
    m = state.membership
    assert state.stage is Stage.PROBATIONARY and m is not None
    assert m.probation_ends_on == date(2021, 9, 1) and not m.course_completed and m.official_from is None
    assert m.recognition_vote_deadline is not None
    assert m.recognition_vote_deadline.rule_id == "R-RECOGNISE-DEADLINE"
    assert m.recognition_vote_deadline.due_on == calendar.add_working_days(date(2021, 9, 1), 30)


def test_r_recognise_backdate_official_exactly_12_months_after_the_ceremony_else_refused(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    state = empty(citizen_id)
    assert decide(state, enrol(state, citizen_id, particulars, official_from=date(2020, 3, 10)), calendar)
    for wrong in (date(2020, 3, 9), date(2020, 3, 11), date(2021, 3, 10)):
        assert rule_of(state, enrol(state, citizen_id, particulars, official_from=wrong), calendar) == (
            "R-RECOGNISE-BACKDATE"
        )


def test_r_recognise_backdate_not_official_before_the_enrolment_date(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    state = empty(citizen_id)
    on_the_day = enrol(state, citizen_id, particulars, ceremony_on=date(2019, 10, 15), official_from=date(2020, 10, 15))
    assert decide(state, on_the_day, calendar)
    a_day_early = replace(on_the_day, occurred_on=date(2020, 10, 14))
    assert rule_of(state, a_day_early, calendar) == "R-RECOGNISE-BACKDATE"


def test_r_elig_age_18_in_full_months_on_the_decision_date(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    state = empty(citizen_id)
    eighteenth = date(2008, 5, 1)
    adult = enrol(state, citizen_id, particulars, admitted_on=eighteenth, ceremony_on=date(2008, 5, 20))
    adult = replace(adult, official_from=date(2009, 5, 20))
    assert decide(state, adult, calendar)
    assert rule_of(state, replace(adult, admitted_on=date(2008, 4, 30)), calendar) == "R-ELIG-AGE"
    assert rule_of(state, replace(adult, admitted_on=date(1989, 1, 1)), calendar) == "R-ELIG-AGE"


def test_r_stage_order_decision_then_ceremony_then_enrolment(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    state = empty(citizen_id)
    same_day = enrol(state, citizen_id, particulars, admitted_on=CEREMONY_ON)
    assert decide(state, same_day, calendar)
    ceremony_first = enrol(state, citizen_id, particulars, admitted_on=date(2019, 3, 11))
    assert rule_of(state, ceremony_first, calendar) == "R-STAGE-ORDER"
    on_enrolment = enrol(state, citizen_id, particulars, ceremony_on=ENROLLED_ON, official_from=None)
    assert decide(state, on_enrolment, calendar)
    future = enrol(state, citizen_id, particulars, ceremony_on=date(2020, 10, 16), official_from=None)
    assert rule_of(state, future, calendar) == "R-STAGE-ORDER"


def test_the_identity_number_must_fit_the_particulars_and_the_stream(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    """A new stream's id comes from the service's keyed index (the domain holds no key); a stream that
    already carries a number (a closed file, a former member) refuses any other."""
    state = empty(citizen_id)
    carrying = replace(state, citizen_id=citizen_id)
    wrong_year = replace(particulars, date_of_birth=date(1991, 5, 1))
    for before, command in (
        (state, enrol(state, citizen_id, wrong_year)),
        (carrying, enrol(carrying, "001090123457", particulars)),
        (state, enrol(state, "999090123456", particulars)),
    ):
        error = refusal(before, command, calendar)
        assert isinstance(error, InvalidCommand) and error.field == "citizen_id"


def test_never_into_an_open_file_or_a_membership(
    nominated: PersonState, official: PersonState, citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    later = date(2023, 1, 10)
    for state in (nominated, official):
        command = enrol(state, citizen_id, particulars, occurred_on=later)
        assert rule_of(state, command, calendar) == "R-STAGE-ORDER"


def test_after_a_rejection_the_membership_must_begin_after_the_last_recorded_step(
    nominated: PersonState, citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    reject = c.RejectCandidate(
        person_id=nominated.person_id,
        occurred_on=date(2021, 4, 1),
        acting_unit_id=CELL,
        level=RejectionLevel.CELL,
        reason="Chưa đủ tiêu chuẩn",
    )
    rejected = handle(nominated, reject, calendar)[0]
    before = enrol(rejected, citizen_id, particulars, occurred_on=date(2023, 1, 10))
    assert rule_of(rejected, before, calendar) == "R-STAGE-ORDER"
    after = replace(
        before,
        admitted_on=date(2021, 6, 1),
        ceremony_on=date(2021, 6, 20),
        official_from=date(2022, 6, 20),
    )
    state, events = handle(rejected, after, calendar)
    assert state.stage is Stage.OFFICIAL and isinstance(events[0], MemberEnrolled) and not events[0].readmission


def exit_member(official: PersonState, calendar: WorkingCalendar, hardship: bool) -> PersonState:
    leave = mc.GrantVoluntaryExit(
        person_id=official.person_id,
        occurred_on=date(2022, 9, 1),
        acting_unit_id="school-committee",
        reason="Hoàn cảnh gia đình",
        decision_ref="QĐ 9",
        family_hardship=hardship,
    )
    return handle(official, leave, calendar)[0]


def test_r_readmit_after_a_departure_is_a_readmission_unless_barred(
    official: PersonState, citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    back = {
        "occurred_on": date(2027, 1, 5),
        "admitted_on": date(2025, 10, 1),
        "ceremony_on": date(2025, 10, 20),
        "official_from": date(2026, 10, 20),
    }
    left = exit_member(official, calendar, hardship=True)
    state, events = handle(left, enrol(left, citizen_id, particulars, **back), calendar)
    assert state.stage is Stage.OFFICIAL and state.readmissions == 1
    assert isinstance(events[0], MemberEnrolled) and events[0].readmission
    barred = exit_member(official, calendar, hardship=False)
    assert rule_of(barred, enrol(barred, citizen_id, particulars, **back), calendar) == "R-READMIT"


def test_an_enrolled_probationary_member_is_recognised_as_official_12_months_after_the_ceremony(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar, cell: CellFacts, upper: DeciderFacts
) -> None:
    ceremony_on = date(2020, 9, 1)
    command = enrol(empty(citizen_id), citizen_id, particulars, ceremony_on=ceremony_on, official_from=None)
    state = handle(empty(citizen_id), command, calendar)[0]
    at = {"person_id": state.person_id, "acting_unit_id": CELL}
    course = mc.CompleteNewMemberCourse(**at, occurred_on=date(2021, 1, 8), certificate_ref="GCN")
    state = handle(state, course, calendar)[0]
    late_vote = mc.HoldRecognitionVote(**at, occurred_on=date(2021, 11, 1), yes=7, no=0, resolution_ref="NQ")
    state, events = handle(state, late_vote, calendar, PersonFacts(cell=cell))
    assert [type(e) for e in events] == [RecognitionVoteHeld, DeadlineBreached]
    recognise = mc.RecogniseOfficial(
        person_id=state.person_id, occurred_on=date(2021, 11, 20), acting_unit_id=upper.unit_id, decision_ref="QĐ"
    )
    state, new = handle(state, recognise, calendar, PersonFacts(decider=upper))
    assert isinstance(new[0], OfficialRecognised) and new[0].official_from == date(2021, 9, 1)
    assert state.stage is Stage.OFFICIAL


def test_replay_of_an_enrolment_equals_the_live_state_and_the_event_round_trips(
    citizen_id: str, particulars: Particulars, calendar: WorkingCalendar
) -> None:
    for official_from in (date(2020, 3, 10), None):
        state = empty(citizen_id)
        live, events = handle(state, enrol(state, citizen_id, particulars, official_from=official_from), calendar)
        assert replay(state.person_id, [(e, ENROLLED_ON) for e in events]) == live
        name, version, data = EVENTS.encode(events[0])
        assert name == "MemberEnrolled" and EVENTS.decode(name, version, data) == events[0]
