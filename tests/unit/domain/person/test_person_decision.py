"""From the cell's resolution to the admission decision (DOMAIN.md §2.7–§2.8), and rejection (§3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand, RuleViolation
from domain.particulars import Particulars
from domain.person import commands as c
from domain.person.events import AdmissionDecided, CandidateRejected, DeadlineBreached
from domain.person.facts import CellFacts, DeciderFacts, PersonFacts, SponsorFacts
from domain.person.handlers import decide, handle
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.values import RejectionLevel
from domain.units.kinds import UnitKind

RESOLVED_ON = date(2021, 5, 20)


def at(state: PersonState, on: date, unit: str | None = None) -> dict[str, Any]:
    return {"person_id": state.person_id, "occurred_on": on, "acting_unit_id": unit or state.cell_id}


def admit(state: PersonState, body: DeciderFacts, on: date, votes: int | None = None) -> c.DecideAdmission:
    return c.DecideAdmission(**at(state, on, body.unit_id), decision_ref="QĐ 101", votes_in_favour=votes)


def test_r_vote_twothirds_committee_resolves_with_6_of_9_not_5(
    cell_approved: PersonState, calendar: WorkingCalendar, committee: DeciderFacts
) -> None:
    def resolve(yes: int) -> c.ApproveAtCommittee:
        return c.ApproveAtCommittee(
            **at(cell_approved, date(2021, 6, 1), committee.unit_id), yes=yes, resolution_ref="NQ"
        )

    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        decide(cell_approved, resolve(5), calendar, PersonFacts(decider=committee))
    assert (
        handle(cell_approved, resolve(6), calendar, PersonFacts(decider=committee))[0].stage is Stage.COMMITTEE_APPROVED
    )


def test_committee_facts_must_describe_the_acting_unit(
    cell_approved: PersonState, calendar: WorkingCalendar, committee: DeciderFacts
) -> None:
    cmd = c.ApproveAtCommittee(**at(cell_approved, date(2021, 6, 1), "other-committee"), yes=9, resolution_ref="NQ")
    with pytest.raises(InvalidCommand, match=r"^facts.decider:"):
        decide(cell_approved, cmd, calendar, PersonFacts(decider=committee))


def test_r_stage_order_sub_committee_appraises_before_the_committee(
    sponsored: PersonState,
    calendar: WorkingCalendar,
    cell: CellFacts,
    sponsors: tuple[SponsorFacts, ...],
    committee: DeciderFacts,
) -> None:
    under_sub = replace(cell, sub_committee_id="sub-1")
    vote = c.ApproveAtCell(**at(sponsored, RESOLVED_ON), yes=7, no=0, resolution_ref="NQ")
    state = handle(sponsored, vote, calendar, PersonFacts(cell=under_sub, sponsors=sponsors))[0]
    resolve = c.ApproveAtCommittee(**at(state, date(2021, 6, 1), committee.unit_id), yes=9, resolution_ref="NQ")
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(state, resolve, calendar, PersonFacts(decider=committee))
    appraise = c.AppraiseAtSubCommittee(**at(state, date(2021, 5, 25), "sub-1"), appraisal_ref="TĐ 1")
    state = handle(state, appraise, calendar)[0]
    assert handle(state, resolve, calendar, PersonFacts(decider=committee))[0].stage is Stage.COMMITTEE_APPROVED


def test_a_grassroots_cell_resolution_goes_straight_to_the_decider(
    sponsored: PersonState,
    calendar: WorkingCalendar,
    cell: CellFacts,
    sponsors: tuple[SponsorFacts, ...],
    committee: DeciderFacts,
    upper: DeciderFacts,
) -> None:
    grassroots = replace(cell, is_grassroots_cell=True)
    vote = c.ApproveAtCell(**at(sponsored, RESOLVED_ON), yes=7, no=0, resolution_ref="NQ")
    state = handle(sponsored, vote, calendar, PersonFacts(cell=grassroots, sponsors=sponsors))[0]
    resolve = c.ApproveAtCommittee(**at(state, date(2021, 6, 1), committee.unit_id), yes=9, resolution_ref="NQ")
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(state, resolve, calendar, PersonFacts(decider=committee))
    assert (
        handle(state, admit(state, upper, date(2021, 6, 1)), calendar, PersonFacts(decider=upper))[0].stage
        is Stage.ADMITTED
    )


def test_r_auth_admit_refuses_an_undelegated_grassroots_committee(
    committee_approved: PersonState, calendar: WorkingCalendar, committee: DeciderFacts
) -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        decide(
            committee_approved,
            admit(committee_approved, committee, date(2021, 6, 10), 9),
            calendar,
            PersonFacts(decider=committee),
        )


def test_r_auth_admit_delegated_committee_needs_two_thirds_of_all_members(
    committee_approved: PersonState, calendar: WorkingCalendar, committee: DeciderFacts
) -> None:
    delegated = PersonFacts(decider=replace(committee, admission_delegated=True))
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        decide(committee_approved, admit(committee_approved, committee, date(2021, 6, 10), 5), calendar, delegated)
    state = handle(committee_approved, admit(committee_approved, committee, date(2021, 6, 10), 6), calendar, delegated)[
        0
    ]
    assert state.stage is Stage.ADMITTED


def test_r_decide_deadline_decision_on_the_60th_working_day_is_on_time(
    committee_approved: PersonState, calendar: WorkingCalendar, upper: DeciderFacts
) -> None:
    due = calendar.add_working_days(RESOLVED_ON, 60)
    events = decide(committee_approved, admit(committee_approved, upper, due), calendar, PersonFacts(decider=upper))
    assert [type(e) for e in events] == [AdmissionDecided]


def test_r_decide_deadline_a_late_decision_stands_and_records_the_breach(
    committee_approved: PersonState, calendar: WorkingCalendar, upper: DeciderFacts
) -> None:
    due = calendar.add_working_days(RESOLVED_ON, 60)
    late_day = calendar.add_working_days(RESOLVED_ON, 61)
    state, events = handle(
        committee_approved, admit(committee_approved, upper, late_day), calendar, PersonFacts(decider=upper)
    )
    assert state.stage is Stage.ADMITTED
    assert events[1] == DeadlineBreached(
        rule_set="qd24-2021", rule_id="R-DECIDE-DEADLINE", due_on=due, late_by_working_days=1
    )


def test_r_decide_deadline_one_extension_moves_the_due_date_a_second_is_refused(
    committee_approved: PersonState, calendar: WorkingCalendar, upper: DeciderFacts
) -> None:
    extend = c.ExtendDecisionDeadline(
        **at(committee_approved, date(2021, 6, 15), upper.unit_id), extra_working_days=30, reason="Bổ sung hồ sơ"
    )
    state = handle(committee_approved, extend, calendar)[0]
    with pytest.raises(RuleViolation, match=r"^R-DECIDE-DEADLINE:"):
        decide(state, replace(extend, occurred_on=date(2021, 6, 16), extra_working_days=1), calendar)
    day_90 = calendar.add_working_days(RESOLVED_ON, 90)
    events = decide(state, admit(state, upper, day_90), calendar, PersonFacts(decider=upper))
    assert [type(e) for e in events] == [AdmissionDecided]


def test_r_decide_deadline_extension_over_30_working_days_is_refused(
    committee_approved: PersonState, calendar: WorkingCalendar, upper: DeciderFacts
) -> None:
    extend = c.ExtendDecisionDeadline(
        **at(committee_approved, date(2021, 6, 15), upper.unit_id), extra_working_days=31, reason="x"
    )
    with pytest.raises(RuleViolation, match=r"^R-DECIDE-DEADLINE:"):
        decide(committee_approved, extend, calendar)


def test_a_rejected_candidate_returns_to_the_source_pool_with_a_new_file(
    committee_approved: PersonState,
    calendar: WorkingCalendar,
    upper: DeciderFacts,
    citizen_id: str,
    particulars: Particulars,
    helper: PersonFacts,
) -> None:
    reject = c.RejectCandidate(
        **at(committee_approved, date(2021, 6, 20), upper.unit_id),
        level=RejectionLevel.DECIDER,
        reason="Chưa đủ tiêu chuẩn",
    )
    state, events = handle(committee_approved, reject, calendar, PersonFacts(decider=upper))
    assert events == [
        CandidateRejected(
            rule_set="qd24-2021", level=RejectionLevel.DECIDER, reason="Chưa đủ tiêu chuẩn", cell_id="cell-teachers"
        )
    ]
    assert (state.stage, state.file) == (Stage.REJECTED, None)
    again = c.NominateCandidate(
        **at(state, date(2022, 1, 10)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ",
    )
    assert handle(state, again, calendar, helper)[0].stage is Stage.SOURCE_POOL


def test_a_rejection_needs_a_reason(sponsored: PersonState, calendar: WorkingCalendar) -> None:
    reject = c.RejectCandidate(**at(sponsored, date(2021, 5, 20)), level=RejectionLevel.CELL, reason="")
    with pytest.raises(InvalidCommand, match=r"^reason:"):
        decide(sponsored, reject, calendar)


def test_r_stage_order_the_committee_cannot_reject_before_the_cell_votes(
    sponsored: PersonState, calendar: WorkingCalendar
) -> None:
    reject = c.RejectCandidate(
        **at(sponsored, date(2021, 5, 20), "school-committee"), level=RejectionLevel.COMMITTEE, reason="x"
    )
    with pytest.raises(RuleViolation, match=r"^R-STAGE-ORDER:"):
        decide(sponsored, reject, calendar)


def test_r_auth_admit_only_the_competent_body_rejects_at_the_decision(
    committee_approved: PersonState, calendar: WorkingCalendar
) -> None:
    cell_body = DeciderFacts(unit_id="cell-teachers", kind=UnitKind.CELL)
    reject = c.RejectCandidate(**at(committee_approved, date(2021, 6, 20)), level=RejectionLevel.DECIDER, reason="x")
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        decide(committee_approved, reject, calendar, PersonFacts(decider=cell_body))
