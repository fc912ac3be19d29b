"""Decisions from the cell's vote to the admission decision (DOMAIN.md §2.6–§2.8) and rejections (§3)."""

from __future__ import annotations

from datetime import date

from domain.calendar import WorkingCalendar
from domain.particulars import age_in_full_years
from domain.person import commands as c
from domain.person import events as ev
from domain.person.facts import CellFacts, PersonFacts, require, require_decider
from domain.person.guards import (
    breaches,
    cell_vote,
    check_readmission,
    check_step,
    file_of,
    membership_of,
    particulars_of,
    refuse_order,
)
from domain.person.pipeline import sponsor_facts
from domain.person.records import CandidateFile, PersonState
from domain.person.stages import BEFORE_VOTE, Stage
from domain.person.values import RejectionLevel, clean_text
from domain.rules.authority import check_auth_admit, check_auth_cell
from domain.rules.base import RuleSet
from domain.rules.deadlines import Deadline, ceremony_deadline, decide_deadline
from domain.rules.dossier import check_papers_stale, check_train_valid, check_verify_complete
from domain.rules.eligibility import check_elig_age, check_elig_edu
from domain.rules.sponsors import check_sponsors
from domain.rules.votes import check_vote_twothirds

Events = list[ev.PersonEvent]

CELL_NOT_PASSED_VI = (
    "chi bộ chưa đề nghị kết nạp, biểu quyết này không ghi vào sổ; chi bộ có thể biểu quyết lại, "
    f"hoặc ghi bước “{c.RejectCandidate.step_vi}” nếu quyết định không kết nạp"
)
COMMITTEE_NOT_PASSED_VI = (
    "đảng ủy chưa đề nghị kết nạp, biểu quyết này không ghi vào sổ; có thể biểu quyết lại, "
    f"hoặc ghi bước “{c.RejectCandidate.step_vi}” nếu quyết định không kết nạp"
)
"""R-VOTE-TWOTHIRDS at admission: a vote short of two-thirds is no resolution to admit (DOMAIN.md §2.6–2.7),
so nothing is recorded — unlike a recognition round, which is recorded as inconclusive (R-RECOGNISE-DEADLOCK)."""


def _check_candidate_at_vote(
    state: PersonState, file: CandidateFile, facts: PersonFacts, rules: RuleSet, cell: CellFacts, on: date
) -> None:
    """Everything the vote requires of the candidate and the dossier on the vote date (DOMAIN.md §2.6)."""
    particulars = particulars_of(state)
    check_train_valid(rules, file.certificate_issued_on, on)
    check_verify_complete(file.verification_opened, file.pending_results())
    check_papers_stale(rules, file.sponsored_on, on)
    sponsored_on = file.sponsored_on or on
    check_sponsors(
        rules, sponsor_facts(file.sponsors, facts), age_in_full_years(particulars.date_of_birth, sponsored_on)
    )
    consent = facts.provincial_consent
    check_elig_age(rules, particulars.date_of_birth, on, consent.given_on if consent else None)
    check_elig_edu(particulars.education.meets_lower_secondary(), cell.education_exemption)


def approve_at_cell(
    state: PersonState, cmd: c.ApproveAtCell, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§2.6 R-VOTE-TWOTHIRDS with R-ELIG-*, R-TRAIN-VALID, R-VERIFY-COMPLETE, R-SPONSORS, R-CELL-QUORUM."""
    check_step(state, cmd, {Stage.SPONSORED})
    file = file_of(state)
    cell = cell_vote(state, cmd, facts, rules, cmd.yes, cmd.no)
    _check_candidate_at_vote(state, file, facts, rules, cell, cmd.occurred_on)
    check_vote_twothirds(rules, cmd.yes, cell.denominator, CELL_NOT_PASSED_VI)
    return [
        ev.CellApproved(
            rule_set=rules.rule_set_id,
            yes=cmd.yes,
            no=cmd.no,
            denominator=cell.denominator,
            resolution_ref=clean_text(cmd.resolution_ref, "resolution_ref"),
            grassroots_cell=cell.is_grassroots_cell,
            sub_committee_id=cell.sub_committee_id,
            decision_deadline=decide_deadline(rules, calendar, cmd.occurred_on),
        )
    ]


def appraise_at_sub_committee(
    state: PersonState,
    cmd: c.AppraiseAtSubCommittee,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.7: the sub-committee above the cell, if there is one, appraises before the committee resolves."""
    check_step(state, cmd, {Stage.CELL_APPROVED})
    file = file_of(state)
    if file.sub_committee_id is None or file.sub_committee_appraised:
        raise refuse_order(cmd, "no sub-committee appraisal is due", "không có đảng ủy bộ phận cần thẩm định")
    check_auth_cell(cmd.acting_unit_id, file.sub_committee_id)
    ref = clean_text(cmd.appraisal_ref, "appraisal_ref")
    return [ev.SubCommitteeAppraised(rule_set=rules.rule_set_id, appraisal_ref=ref)]


def approve_at_committee(
    state: PersonState,
    cmd: c.ApproveAtCommittee,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """§2.7: the grassroots committee resolves with ≥2/3 of its members (R-VOTE-TWOTHIRDS)."""
    check_step(state, cmd, {Stage.CELL_APPROVED})
    file = file_of(state)
    if file.grassroots_cell:
        raise refuse_order(
            cmd,
            "a grassroots cell's resolution goes straight up",
            "nghị quyết của chi bộ cơ sở gửi thẳng cấp trên",
        )
    if file.sub_committee_id is not None and not file.sub_committee_appraised:
        raise refuse_order(cmd, "the sub-committee appraises first", "đảng ủy bộ phận phải thẩm định trước")
    committee = require_decider(facts, cmd.acting_unit_id)
    check_vote_twothirds(rules, cmd.yes, committee.committee_size, COMMITTEE_NOT_PASSED_VI)
    ref = clean_text(cmd.resolution_ref, "resolution_ref")
    return [
        ev.CommitteeApproved(
            rule_set=rules.rule_set_id,
            yes=cmd.yes,
            committee_size=committee.committee_size,
            resolution_ref=ref,
        )
    ]


def _decision_stage(file: CandidateFile) -> Stage:
    """The decider acts after the committee, or straight after a grassroots cell."""
    return Stage.CELL_APPROVED if file.grassroots_cell else Stage.COMMITTEE_APPROVED


def _pending_decision(state: PersonState, cmd: c.PersonCommand) -> Deadline:
    """The clock of the decision now awaited: admission (file) or recognition (membership)."""
    deadline = file_of(state).decision_deadline if state.file else membership_of(state).decision_deadline
    if deadline is None:
        raise refuse_order(cmd, "no decision is awaited", "không có quyết định nào đang chờ")
    return deadline


def extend_decision_deadline(
    state: PersonState,
    cmd: c.ExtendDecisionDeadline,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-DECIDE-DEADLINE, R-RECOGNISE-DEADLINE: one extension of bounded length, asked for in time."""
    check_step(state, cmd, {Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED, Stage.PROBATIONARY})
    deadline = _pending_decision(state, cmd).extended(calendar, cmd.extra_working_days, cmd.occurred_on)
    reason = clean_text(cmd.reason, "reason")
    return [ev.DecisionDeadlineExtended(rule_set=rules.rule_set_id, deadline=deadline, reason=reason)]


def decide_admission(
    state: PersonState, cmd: c.DecideAdmission, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§2.8 R-AUTH-ADMIT; lateness (R-DECIDE-DEADLINE) is recorded, never voids; R-READMIT if due."""
    check_step(state, cmd, {_decision_stage(state.file)} if state.file else set())
    file = file_of(state)
    check_auth_admit(rules, require(facts.decider, "decider"), cmd.acting_unit_id, cmd.votes_in_favour)
    if file.readmission:
        check_readmission(state, rules, facts, deciding_on=cmd.occurred_on)
    decided = ev.AdmissionDecided(
        rule_set=rules.rule_set_id,
        decision_ref=clean_text(cmd.decision_ref, "decision_ref"),
        decider_unit_id=cmd.acting_unit_id,
        ceremony_deadline=ceremony_deadline(rules, calendar, cmd.occurred_on),
    )
    return [decided, *breaches(rules, calendar, file.decision_deadline, cmd.occurred_on)]


def _rejection_stages(state: PersonState, level: RejectionLevel) -> set[Stage]:
    if level is RejectionLevel.CELL:
        return set(BEFORE_VOTE)
    if state.file is None:
        return set()
    if level is RejectionLevel.COMMITTEE:
        return set() if state.file.grassroots_cell else {Stage.CELL_APPROVED}
    return {_decision_stage(state.file)}


def reject_candidate(
    state: PersonState, cmd: c.RejectCandidate, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """§3: the cell, the committee or the competent decider (R-AUTH-ADMIT) turns the candidate down."""
    check_step(state, cmd, _rejection_stages(state, cmd.level))
    reason = clean_text(cmd.reason, "reason")
    late: Events = []
    if cmd.level is RejectionLevel.CELL:
        check_auth_cell(cmd.acting_unit_id, state.cell_id or "")
    elif cmd.level is RejectionLevel.DECIDER:
        check_auth_admit(rules, require(facts.decider, "decider"), cmd.acting_unit_id, cmd.votes_in_favour)
        late = breaches(rules, calendar, file_of(state).decision_deadline, cmd.occurred_on)
    rejected = ev.CandidateRejected(
        rule_set=rules.rule_set_id, level=cmd.level, reason=reason, cell_id=state.cell_id or ""
    )
    return [rejected, *late]
