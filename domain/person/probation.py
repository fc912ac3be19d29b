"""From the admission decision to official membership (DOMAIN.md §2.9–§2.11): ceremony and probation."""

from __future__ import annotations

from domain.calendar import WorkingCalendar
from domain.person import commands as c
from domain.person import events as ev
from domain.person import member_commands as mc
from domain.person import member_events as mev
from domain.person.facts import PersonFacts, require
from domain.person.guards import (
    breaches,
    cell_vote,
    check_helper,
    check_step,
    file_of,
    membership_of,
    refuse_order,
)
from domain.person.records import Membership, PersonState
from domain.person.stages import Stage
from domain.person.values import clean_text
from domain.rules.authority import check_auth_admit, check_auth_cell
from domain.rules.base import RuleSet
from domain.rules.deadlines import RecognitionStep, ceremony_deadline, recognise_deadline
from domain.rules.probation import check_newmember_course, check_recognise_backdate, probation_ends_on
from domain.rules.votes import VoteOutcome, check_recognise_deadlock, vote_outcome

Events = list[ev.PersonEvent]


def receive_admission_decision(
    state: PersonState,
    cmd: c.ReceiveAdmissionDecision,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.9: the cell records receiving the decision; R-CEREMONY-DEADLINE counts from here."""
    check_step(state, cmd, {Stage.ADMITTED})
    check_auth_cell(cmd.acting_unit_id, state.cell_id or "")
    if file_of(state).decision_received_on is not None:
        raise refuse_order(cmd, "the decision was already received", "chi bộ đã nhận quyết định")
    deadline = ceremony_deadline(rules, calendar, cmd.occurred_on)
    return [ev.AdmissionDecisionReceived(rule_set=rules.rule_set_id, ceremony_deadline=deadline)]


def consent_to_late_ceremony(
    state: PersonState,
    cmd: c.ConsentToLateCeremony,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-CEREMONY-DEADLINE: the upper level's written consent to a ceremony after 30 working days."""
    check_step(state, cmd, {Stage.ADMITTED})
    ref = clean_text(cmd.consent_ref, "consent_ref")
    return [ev.LateCeremonyConsented(rule_set=rules.rule_set_id, consent_ref=ref)]


def hold_ceremony(
    state: PersonState, cmd: c.HoldCeremony, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§2.9 R-CEREMONY-DEADLINE (late only with consent); a mentor is assigned; probation starts today."""
    check_step(state, cmd, {Stage.ADMITTED})
    check_auth_cell(cmd.acting_unit_id, state.cell_id or "")
    check_helper(facts, cmd.mentor_id, cmd.person_id)
    file = file_of(state)
    deadline = require(file.ceremony_deadline, "ceremony_deadline")
    deadline.refuse_if_late(calendar, cmd.occurred_on, file.late_ceremony_consent_ref)
    ends_on = probation_ends_on(rules, cmd.occurred_on)
    held = ev.AdmissionCeremonyHeld(
        rule_set=rules.rule_set_id,
        mentor_id=cmd.mentor_id,
        ceremony_ref=clean_text(cmd.ceremony_ref, "ceremony_ref"),
        probation_ends_on=ends_on,
        recognition_vote_deadline=recognise_deadline(rules, calendar, RecognitionStep.CELL_VOTE, ends_on),
    )
    return [held, *breaches(rules, calendar, deadline, cmd.occurred_on)]


def complete_new_member_course(
    state: PersonState,
    cmd: mc.CompleteNewMemberCourse,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-NEWMEMBER-COURSE: the course a probationary member takes before recognition."""
    check_step(state, cmd, {Stage.PROBATIONARY})
    if membership_of(state).course_completed:
        raise refuse_order(cmd, "the course is already recorded", "đã ghi nhận hoàn thành lớp học")
    ref = clean_text(cmd.certificate_ref, "certificate_ref")
    return [mev.NewMemberCourseCompleted(rule_set=rules.rule_set_id, certificate_ref=ref)]


def hold_recognition_vote(
    state: PersonState,
    cmd: mc.HoldRecognitionVote,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.11: a vote after probation (R-RECOGNISE-BACKDATE); deadlocks go up (R-RECOGNISE-DEADLOCK)."""
    check_step(state, cmd, {Stage.PROBATIONARY})
    m = membership_of(state)
    if m.cell_verdict is not None:
        raise refuse_order(cmd, "the cell has already reached two-thirds", "chi bộ đã biểu quyết đạt hai phần ba")
    cell = cell_vote(state, cmd, facts, rules, cmd.yes, cmd.no)
    check_recognise_backdate(rules, m.ceremony_on, cmd.occurred_on)
    outcome = vote_outcome(rules, cmd.yes, cmd.no, cell.denominator)
    escalate = check_recognise_deadlock(rules, m.inconclusive_rounds, outcome)
    if outcome is VoteOutcome.FOR:
        check_newmember_course(m.course_completed)
    return _recognition_events(rules, calendar, cmd, cell.denominator, outcome, escalate, m)


def _recognition_events(
    rules: RuleSet,
    calendar: WorkingCalendar,
    cmd: mc.HoldRecognitionVote,
    denominator: int,
    outcome: VoteOutcome,
    escalate: bool,
    m: Membership,
) -> Events:
    """The round, its escalation if deadlocked, and the first round's lateness (R-RECOGNISE-DEADLINE)."""
    clock = recognise_deadline(rules, calendar, RecognitionStep.DECISION, cmd.occurred_on)
    events: Events = [
        mev.RecognitionVoteHeld(
            rule_set=rules.rule_set_id,
            round=m.rounds + 1,
            yes=cmd.yes,
            no=cmd.no,
            denominator=denominator,
            outcome=outcome,
            resolution_ref=clean_text(cmd.resolution_ref, "resolution_ref"),
            decision_deadline=None if outcome is VoteOutcome.INCONCLUSIVE else clock,
        )
    ]
    if escalate:
        events.append(
            mev.RecognitionEscalated(rule_set=rules.rule_set_id, rounds=m.rounds + 1, decision_deadline=clock)
        )
    if m.rounds == 0:
        events += breaches(rules, calendar, m.recognition_vote_deadline, cmd.occurred_on)
    return events


def _check_verdict(state: PersonState, cmd: c.PersonCommand, wanted: VoteOutcome) -> bool:
    """The cell's two-thirds verdict, or an escalation, precedes the body's decision; True if escalated."""
    m = membership_of(state)
    if m.cell_verdict is not wanted and not m.escalated:
        raise refuse_order(cmd, f"the cell has not voted {wanted}", "chi bộ chưa biểu quyết đề nghị")
    return m.escalated


def recognise_official(
    state: PersonState,
    cmd: mc.RecogniseOfficial,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.11 R-AUTH-ADMIT, R-NEWMEMBER-COURSE; official 12 months from the ceremony (R-RECOGNISE-BACKDATE)."""
    check_step(state, cmd, {Stage.PROBATIONARY})
    escalated = _check_verdict(state, cmd, VoteOutcome.FOR)
    m = membership_of(state)
    check_auth_admit(
        rules,
        require(facts.decider, "decider"),
        cmd.acting_unit_id,
        cmd.votes_in_favour,
        upper_only=escalated,
    )
    check_newmember_course(m.course_completed)
    official_from = check_recognise_backdate(rules, m.ceremony_on, cmd.occurred_on)
    recognised = mev.OfficialRecognised(
        rule_set=rules.rule_set_id,
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        decider_unit_id=cmd.acting_unit_id,
        official_from=official_from,
    )
    return [recognised, *breaches(rules, calendar, m.decision_deadline, cmd.occurred_on)]


def strike_off_probationary(
    state: PersonState,
    cmd: mc.StrikeOffProbationary,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§3: not recognised after probation → struck off (xóa tên) by the competent body (R-AUTH-ADMIT)."""
    check_step(state, cmd, {Stage.PROBATIONARY})
    escalated = _check_verdict(state, cmd, VoteOutcome.AGAINST)
    check_auth_admit(
        rules,
        require(facts.decider, "decider"),
        cmd.acting_unit_id,
        cmd.votes_in_favour,
        upper_only=escalated,
    )
    struck = mev.ProbationaryMemberStruckOff(
        rule_set=rules.rule_set_id,
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        decider_unit_id=cmd.acting_unit_id,
        reason=clean_text(cmd.reason, "reason"),
    )
    return [struck, *breaches(rules, calendar, membership_of(state).decision_deadline, cmd.occurred_on)]
