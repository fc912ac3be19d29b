"""Ceremony, probation and official recognition (DOMAIN.md §2.9–§2.11), and strike-off after probation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import RuleViolation
from domain.particulars import Particulars
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.events import AdmissionCeremonyHeld, DeadlineBreached
from domain.person.facts import CellFacts, DeciderFacts, MemberFacts, PersonFacts
from domain.person.handlers import decide, handle
from domain.person.member_events import OfficialRecognised, RecognitionEscalated
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.rules.authority import Penalty
from domain.rules.votes import VoteOutcome

RECEIVED_ON = date(2021, 7, 5)
CEREMONY_DUE = date(2021, 8, 16)
"""Counted by hand: 6/7–9/7 (4), then five full weeks to 13/8 (29), Monday 16/8 (30); no holiday between."""
PROBATION_ENDS = date(2022, 7, 19)
MENTOR = PersonFacts(member=MemberFacts(person_id="member-2", is_official=True))


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def ceremony(state: PersonState, on: date) -> c.HoldCeremony:
    return c.HoldCeremony(**at(state, on), mentor_id="member-2", ceremony_ref="BB")


def round_(state: PersonState, on: date, yes: int, no: int) -> mc.HoldRecognitionVote:
    return mc.HoldRecognitionVote(**at(state, on), yes=yes, no=no, resolution_ref="NQ")


def with_course(state: PersonState, calendar: WorkingCalendar) -> PersonState:
    course = mc.CompleteNewMemberCourse(**at(state, date(2021, 10, 1)), certificate_ref="GCN")
    return handle(state, course, calendar)[0]


def test_r_ceremony_deadline_on_the_30th_working_day_after_receipt_is_accepted(
    admitted: PersonState, calendar: WorkingCalendar
) -> None:
    assert admitted.file is not None and admitted.file.ceremony_deadline is not None
    assert admitted.file.ceremony_deadline.due_on == CEREMONY_DUE
    state, events = handle(admitted, ceremony(admitted, CEREMONY_DUE), calendar, MENTOR)
    assert [type(e) for e in events] == [AdmissionCeremonyHeld]
    assert state.stage is Stage.PROBATIONARY


def test_r_ceremony_deadline_on_the_31st_working_day_is_refused_without_consent(
    admitted: PersonState, calendar: WorkingCalendar
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-CEREMONY-DEADLINE:"):
        decide(admitted, ceremony(admitted, date(2021, 8, 17)), calendar, MENTOR)


def test_r_ceremony_deadline_late_ceremony_with_the_upper_level_consent_records_the_breach(
    admitted: PersonState, calendar: WorkingCalendar
) -> None:
    consent = c.ConsentToLateCeremony(**at(admitted, date(2021, 8, 10), "bloc-committee"), consent_ref="CV 9-CV/ĐUK")
    state = handle(admitted, consent, calendar)[0]
    state, events = handle(state, ceremony(state, date(2021, 8, 17)), calendar, MENTOR)
    assert state.stage is Stage.PROBATIONARY
    assert events[1] == DeadlineBreached(
        rule_set="qd24-2021", rule_id="R-CEREMONY-DEADLINE", due_on=CEREMONY_DUE, late_by_working_days=1
    )


def test_r_helper_official_refuses_a_mentor_who_is_not_official(
    admitted: PersonState, calendar: WorkingCalendar
) -> None:
    probationary_mentor = PersonFacts(member=MemberFacts(person_id="member-2", is_official=False))
    with pytest.raises(RuleViolation, match=r"^R-HELPER-OFFICIAL:"):
        decide(admitted, ceremony(admitted, date(2021, 7, 19)), calendar, probationary_mentor)


def test_probation_starts_at_the_ceremony_and_seniority_at_the_decision(probationary: PersonState) -> None:
    m = probationary.membership
    assert m is not None and probationary.file is None
    assert (m.admitted_on, m.ceremony_on, m.probation_ends_on) == (date(2021, 7, 1), date(2021, 7, 19), PROBATION_ENDS)


def test_r_recognise_backdate_refuses_a_vote_the_day_before_12_months(
    probationary: PersonState, calendar: WorkingCalendar, cell: CellFacts
) -> None:
    state = with_course(probationary, calendar)
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-BACKDATE:"):
        decide(state, round_(state, date(2022, 7, 18), 7, 0), calendar, PersonFacts(cell=cell))
    assert handle(state, round_(state, PROBATION_ENDS, 7, 0), calendar, PersonFacts(cell=cell))[0].membership


def test_r_recognise_backdate_official_from_exactly_12_months_after_the_ceremony_however_late(
    official: PersonState,
) -> None:
    assert official.stage is Stage.OFFICIAL
    assert official.membership is not None and official.membership.official_from == PROBATION_ENDS
    assert official.last_step_on == date(2022, 8, 10)


def test_r_newmember_course_required_before_a_vote_for_recognition(
    probationary: PersonState, calendar: WorkingCalendar, cell: CellFacts
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-NEWMEMBER-COURSE:"):
        decide(probationary, round_(probationary, PROBATION_ENDS, 7, 0), calendar, PersonFacts(cell=cell))


def test_r_recognise_deadline_a_late_vote_and_a_late_decision_are_recorded(
    probationary: PersonState, calendar: WorkingCalendar, cell: CellFacts, upper: DeciderFacts
) -> None:
    state = with_course(probationary, calendar)
    vote_due = calendar.add_working_days(PROBATION_ENDS, 30)
    late_vote = calendar.add_working_days(PROBATION_ENDS, 32)
    state, events = handle(state, round_(state, late_vote, 6, 0), calendar, PersonFacts(cell=cell))
    assert events[-1] == DeadlineBreached(
        rule_set="qd24-2021", rule_id="R-RECOGNISE-DEADLINE", due_on=vote_due, late_by_working_days=2
    )
    decision_day = calendar.add_working_days(late_vote, 31)
    recognise = mc.RecogniseOfficial(**at(state, decision_day, upper.unit_id), decision_ref="QĐ")
    state, events = handle(state, recognise, calendar, PersonFacts(decider=upper))
    assert isinstance(events[0], OfficialRecognised) and events[0].official_from == PROBATION_ENDS
    assert isinstance(events[1], DeadlineBreached) and events[1].late_by_working_days == 1


def test_r_recognise_deadlock_three_inconclusive_rounds_go_to_the_upper_committee(
    probationary: PersonState, calendar: WorkingCalendar, cell: CellFacts, committee: DeciderFacts, upper: DeciderFacts
) -> None:
    state = with_course(probationary, calendar)
    for day in (19, 20, 21):
        state, events = handle(state, round_(state, date(2022, 7, day), 4, 3), calendar, PersonFacts(cell=cell))
    assert isinstance(events[-1], RecognitionEscalated)
    assert state.membership is not None and state.membership.escalated
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-DEADLOCK:"):
        decide(state, round_(state, date(2022, 7, 22), 7, 0), calendar, PersonFacts(cell=cell))
    delegated = replace(committee, admission_delegated=True)
    by_grassroots = mc.RecogniseOfficial(
        **at(state, date(2022, 8, 1), delegated.unit_id), decision_ref="QĐ", votes_in_favour=9
    )
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        decide(state, by_grassroots, calendar, PersonFacts(decider=delegated))
    by_upper = mc.RecogniseOfficial(**at(state, date(2022, 8, 1), upper.unit_id), decision_ref="QĐ")
    assert handle(state, by_upper, calendar, PersonFacts(decider=upper))[0].stage is Stage.OFFICIAL


def test_r_recognise_deadlock_two_inconclusive_rounds_stay_at_the_cell(
    probationary: PersonState, calendar: WorkingCalendar, cell: CellFacts
) -> None:
    state = with_course(probationary, calendar)
    for day in (19, 20):
        state = handle(state, round_(state, date(2022, 7, day), 4, 3), calendar, PersonFacts(cell=cell))[0]
    assert state.membership is not None and not state.membership.escalated
    state = handle(state, round_(state, date(2022, 7, 21), 5, 2), calendar, PersonFacts(cell=cell))[0]
    assert state.membership is not None and state.membership.cell_verdict is VoteOutcome.FOR


def test_not_recognised_member_is_struck_off_and_may_later_apply_afresh(
    probationary: PersonState,
    calendar: WorkingCalendar,
    cell: CellFacts,
    upper: DeciderFacts,
    citizen_id: str,
    particulars: Particulars,
    helper: PersonFacts,
) -> None:
    state = handle(probationary, round_(probationary, PROBATION_ENDS, 1, 6), calendar, PersonFacts(cell=cell))[0]
    recognise = mc.RecogniseOfficial(**at(state, date(2022, 8, 1), upper.unit_id), decision_ref="QĐ")
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(state, recognise, calendar, PersonFacts(decider=upper))
    strike = mc.StrikeOffProbationary(
        **at(state, date(2022, 8, 1), upper.unit_id), decision_ref="QĐ", reason="Không đủ tư cách"
    )
    state = handle(state, strike, calendar, PersonFacts(decider=upper))[0]
    assert (state.stage, state.membership, state.departures[-1].was_official) == (Stage.STRUCK_OFF, None, False)
    again = c.NominateCandidate(
        **at(state, date(2023, 1, 5)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ",
    )
    state = handle(state, again, calendar, helper)[0]
    assert state.file is not None and not state.file.readmission


def test_r_auth_discipline_during_probation_a_warning_not_a_removal_from_post(
    probationary: PersonState, calendar: WorkingCalendar, upper: DeciderFacts
) -> None:
    def discipline(penalty: Penalty) -> mc.DisciplineMember:
        return mc.DisciplineMember(
            **at(probationary, date(2021, 12, 1), upper.unit_id), penalty=penalty, reason="Vi phạm", decision_ref="QĐ"
        )

    with pytest.raises(RuleViolation, match=r"^R-AUTH-DISCIPLINE:"):
        decide(probationary, discipline(Penalty.REMOVAL_FROM_POST), calendar, PersonFacts(decider=upper))
    state = handle(probationary, discipline(Penalty.WARNING), calendar, PersonFacts(decider=upper))[0]
    assert state.stage is Stage.PROBATIONARY and state.membership is not None
    assert state.membership.penalties == (Penalty.WARNING,)
