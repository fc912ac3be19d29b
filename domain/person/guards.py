"""Checks every decision of a person shares: the step's place, the file or membership, a cell's vote."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand, RuleViolation
from domain.particulars import Particulars
from domain.person.commands import PersonCommand
from domain.person.events import DeadlineBreached, PersonEvent
from domain.person.facts import CellFacts, MemberFacts, PersonFacts, require
from domain.person.records import CandidateFile, Membership, PersonState
from domain.person.stages import Stage, check_stage_order, refuse_stage_order
from domain.rules.authority import check_auth_cell
from domain.rules.base import RuleSet
from domain.rules.deadlines import Deadline
from domain.rules.readmission import check_readmit
from domain.rules.sponsors import check_helper_official
from domain.rules.votes import check_cell_quorum


def check_step(state: PersonState, cmd: PersonCommand, allowed: Collection[Stage]) -> None:
    """R-STAGE-ORDER for this command at this state."""
    step = (type(cmd).__name__, cmd.step_vi)
    check_stage_order(state.stage, allowed, step, state.last_step_on, cmd.occurred_on)


def refuse_order(cmd: PersonCommand, en: str, vi: str) -> RuleViolation:
    """A step out of order for a reason finer than the stage (e.g. no background form yet)."""
    return refuse_stage_order(f"{type(cmd).__name__}: {en}", f"{cmd.step_vi[:1].upper()}{cmd.step_vi[1:]}: {vi}")


def file_of(state: PersonState) -> CandidateFile:
    """The open file a step needs."""
    if state.file is None:
        raise refuse_stage_order("the person has no open file", "người này không có hồ sơ đang xét")
    return state.file


def membership_of(state: PersonState) -> Membership:
    """The membership a step needs."""
    if state.membership is None:
        raise refuse_stage_order("the person is not a member", "người này không phải đảng viên")
    return state.membership


def particulars_of(state: PersonState) -> Particulars:
    """The particulars recorded at nomination (age, education)."""
    if state.particulars is None:
        raise refuse_stage_order("the person has no particulars", "chưa có thông tin cá nhân")
    return state.particulars


def check_helper(facts: PersonFacts, helper_id: str, person_id: str) -> MemberFacts:
    """The helper or mentor named is the one the facts describe, and is official (R-HELPER-OFFICIAL)."""
    member = require(facts.member, "member")
    if member.person_id != helper_id:
        raise InvalidCommand("facts.member", f"describes {member.person_id}", f"mô tả {member.person_id}")
    check_helper_official(helper_id, member.is_official, person_id)
    return member


def cell_vote(
    state: PersonState, cmd: PersonCommand, facts: PersonFacts, rules: RuleSet, yes: int, no: int
) -> CellFacts:
    """A valid vote of the cell holding the person (R-AUTH-CELL, R-CELL-QUORUM) with sane counts."""
    cell = require(facts.cell, "cell")
    check_auth_cell(cmd.acting_unit_id, state.cell_id or "")
    if cell.cell_id != state.cell_id:
        raise InvalidCommand("facts.cell", f"describes {cell.cell_id}", f"mô tả {cell.cell_id}")
    check_cell_quorum(rules, len(cell.official_member_ids))
    if yes < 0 or no < 0 or yes + no > cell.denominator:
        raise InvalidCommand(
            "yes",
            f"{yes} for and {no} against exceed the {cell.denominator} members who may vote",
            f"{yes} phiếu tán thành và {no} phiếu không tán thành vượt quá {cell.denominator} đảng viên",
        )
    return cell


def breaches(rules: RuleSet, calendar: WorkingCalendar, deadline: Deadline | None, on: date) -> list[PersonEvent]:
    """A DeadlineBreached event when the step is late: the step stands (DOMAIN.md §2.8)."""
    if deadline is None:
        return []
    late = deadline.late_by(calendar, on)
    if not late:
        return []
    return [
        DeadlineBreached(
            rule_set=rules.rule_set_id,
            rule_id=deadline.rule_id,
            due_on=deadline.due_on,
            late_by_working_days=late,
        )
    ]


def check_readmission(state: PersonState, rules: RuleSet, facts: PersonFacts, deciding_on: date | None) -> None:
    """R-READMIT against this person's own history in the stream."""
    last = state.departures[-1]
    bars = [d.readmit_bar for d in state.departures if d.readmit_bar is not None]
    consent = facts.provincial_consent
    consent_ref = None
    if consent is not None and deciding_on is not None and consent.given_on <= deciding_on:
        consent_ref = consent.document_ref
    check_readmit(
        rules,
        readmitted_before=state.readmissions,
        left_on=last.left_on,
        bar=bars[0] if bars else None,
        conviction_cleared_on=facts.conviction_cleared_on,
        provincial_consent_ref=consent_ref,
        deciding_on=deciding_on,
    )
