"""Leaving the party (DOMAIN.md §3–§4): violations and discipline, strike-off, voluntary exit, annulment."""

from __future__ import annotations

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.person import events as ev
from domain.person import member_commands as mc
from domain.person import member_events as mev
from domain.person.facts import PersonFacts, require, require_decider
from domain.person.guards import cell_vote, check_step, membership_of, refuse_order
from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES, Stage
from domain.person.values import clean_text
from domain.rules.authority import Penalty, check_auth_admit, check_auth_discipline, check_auth_strikeoff
from domain.rules.base import RuleSet
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import (
    StrikeOffGround,
    appeal_deadline,
    check_exit_voluntary,
    check_expel_appeal,
    check_strikeoff_grounds,
)
from domain.rules.votes import check_vote_twothirds

Events = list[ev.PersonEvent]

ABANDONMENT = frozenset({StrikeOffGround.INACTIVE_OR_NO_DUES, StrikeOffGround.CARD_RETURNED_OR_DESTROYED})
"""Strike-off grounds that amount to abandoning the party: readmission is barred for good (R-READMIT)."""


def report_violation(
    state: PersonState, cmd: mc.ReportViolation, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """A violation is now pending: it blocks a voluntary exit (R-EXIT-VOLUNTARY) until dealt with."""
    check_step(state, cmd, MEMBER_STAGES)
    return [mev.ViolationReported(rule_set=rules.rule_set_id, reason=clean_text(cmd.reason, "reason"))]


def dismiss_violation(
    state: PersonState,
    cmd: mc.DismissViolation,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """The pending violation is closed without a penalty."""
    check_step(state, cmd, MEMBER_STAGES)
    if not membership_of(state).pending_violation:
        raise refuse_order(cmd, "no violation is pending", "không có vi phạm đang xem xét")
    return [mev.ViolationDismissed(rule_set=rules.rule_set_id, reason=clean_text(cmd.reason, "reason"))]


def discipline_member(
    state: PersonState,
    cmd: mc.DisciplineMember,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-AUTH-DISCIPLINE (probation: reprimand or warning only); an expulsion is appealable for 30 days."""
    check_step(state, cmd, MEMBER_STAGES)
    body = require_decider(facts, cmd.acting_unit_id)
    on_probation = state.stage is Stage.PROBATIONARY
    check_auth_discipline(cmd.penalty, body.kind, body.expulsion_delegated, on_probation)
    expelled = cmd.penalty is Penalty.EXPULSION
    if cmd.readmit_bar is not None and not expelled:
        raise InvalidCommand("readmit_bar", "only an expulsion bars readmission", "chỉ khai trừ mới ghi lý do này")
    disciplined = mev.MemberDisciplined(
        rule_set=rules.rule_set_id,
        penalty=cmd.penalty,
        reason=clean_text(cmd.reason, "reason"),
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        body_unit_id=body.unit_id,
        readmit_bar=cmd.readmit_bar,
        appeal_by=appeal_deadline(rules, cmd.occurred_on) if expelled else None,
    )
    return [disciplined]


def appeal_expulsion(
    state: PersonState, cmd: mc.AppealExpulsion, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-EXPEL-APPEAL: one appeal, within 30 days of the expulsion."""
    check_step(state, cmd, {Stage.EXPELLED})
    last = state.departures[-1]
    if last.appealed:
        raise refuse_order(cmd, "the expulsion was already appealed", "đã khiếu nại quyết định khai trừ")
    check_expel_appeal(rules, last.left_on, cmd.occurred_on)
    return [mev.ExpulsionAppealed(rule_set=rules.rule_set_id, appeal_ref=clean_text(cmd.appeal_ref, "appeal_ref"))]


def resolve_expulsion_appeal(
    state: PersonState,
    cmd: mc.ResolveExpulsionAppeal,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """An appeal decided: upheld, or overturned and the membership restored as it was."""
    check_step(state, cmd, {Stage.EXPELLED})
    last = state.departures[-1]
    if not last.appealed or last.appeal_resolved:
        raise refuse_order(cmd, "no appeal is pending", "không có khiếu nại đang chờ giải quyết")
    ref = clean_text(cmd.decision_ref, "decision_ref")
    return [mev.ExpulsionAppealResolved(rule_set=rules.rule_set_id, upheld=cmd.upheld, decision_ref=ref)]


def propose_strike_off(
    state: PersonState,
    cmd: mc.ProposeStrikeOff,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-STRIKEOFF-GROUNDS: the cell proposes with two-thirds (R-VOTE-TWOTHIRDS) on a listed ground only."""
    check_step(state, cmd, MEMBER_STAGES)
    if membership_of(state).strike_off_ground is not None:
        raise refuse_order(cmd, "a strike-off is already proposed", "đã có đề nghị xóa tên")
    cell = cell_vote(state, cmd, facts, rules, cmd.yes, cmd.no)
    rated_years = [r.year for r in state.ratings]
    streak = state.not_completed_streak(max(rated_years)) if rated_years else 0
    check_strikeoff_grounds(rules, cmd.ground, cmd.evidence_months, streak)
    check_vote_twothirds(rules, cmd.yes, cell.denominator)
    proposed = mev.StrikeOffProposed(
        rule_set=rules.rule_set_id,
        ground=cmd.ground,
        yes=cmd.yes,
        no=cmd.no,
        denominator=cell.denominator,
        resolution_ref=clean_text(cmd.resolution_ref, "resolution_ref"),
        evidence_months=cmd.evidence_months,
    )
    return [proposed]


def decide_strike_off(
    state: PersonState, cmd: mc.DecideStrikeOff, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-AUTH-ADMIT (probationary) or R-AUTH-STRIKEOFF (official) decides; abandonment bars readmission."""
    check_step(state, cmd, MEMBER_STAGES)
    ground = membership_of(state).strike_off_ground
    if ground is None:
        raise refuse_order(cmd, "the cell has not proposed a strike-off", "chi bộ chưa đề nghị xóa tên")
    body = require(facts.decider, "decider")
    if state.stage is Stage.PROBATIONARY:
        check_auth_admit(rules, body, cmd.acting_unit_id, cmd.votes_in_favour)
    else:
        check_auth_strikeoff(require_decider(facts, cmd.acting_unit_id).kind)
    struck = mev.MemberStruckOff(
        rule_set=rules.rule_set_id,
        ground=ground,
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        decider_unit_id=body.unit_id,
        readmit_bar=ReadmitBar.ABANDONED_ACTIVITY if ground in ABANDONMENT else None,
    )
    return [struck]


def grant_voluntary_exit(
    state: PersonState,
    cmd: mc.GrantVoluntaryExit,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-EXIT-VOLUNTARY: only with no pending violation; bars readmission unless for family hardship."""
    check_step(state, cmd, MEMBER_STAGES)
    check_exit_voluntary(membership_of(state).pending_violation)
    exited = mev.VoluntaryExitGranted(
        rule_set=rules.rule_set_id,
        reason=clean_text(cmd.reason, "reason"),
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        readmit_bar=None if cmd.family_hardship else ReadmitBar.VOLUNTARY_EXIT,
    )
    return [exited]


def annul_admission(
    state: PersonState, cmd: mc.AnnulAdmission, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§3: an admission found wrong is annulled by the competent body (R-AUTH-ADMIT)."""
    check_step(state, cmd, {Stage.ADMITTED} | MEMBER_STAGES)
    check_auth_admit(rules, require(facts.decider, "decider"), cmd.acting_unit_id, cmd.votes_in_favour)
    annulled = mev.AdmissionAnnulled(
        rule_set=rules.rule_set_id,
        reason=clean_text(cmd.reason, "reason"),
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        decider_unit_id=cmd.acting_unit_id,
    )
    return [annulled]
