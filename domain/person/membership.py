"""A member's ordinary life (DOMAIN.md §4): transfers of party activity, yearly ratings and screening."""

from __future__ import annotations

from datetime import date
from typing import Final

from domain.calendar import WorkingCalendar
from domain.errors import InvalidCommand
from domain.person import events as ev
from domain.person import member_commands as mc
from domain.person import member_events as mev
from domain.person.facts import PersonFacts, require
from domain.person.guards import breaches, check_step, membership_of, refuse_order
from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES
from domain.person.values import TransferKind
from domain.rules.authority import check_auth_cell
from domain.rules.base import RuleSet
from domain.rules.deadlines import TransferStep, transfer_deadline
from domain.rules.ratings import check_rating
from domain.rules.removal import check_screening

Events = list[ev.PersonEvent]

FIRST_YEAR: Final = 1930
"""The party was founded in 1930: no member was rated or screened for an earlier year."""


def check_year(year: int, occurred_on: date) -> None:
    """The year a rating or screening is for lies between the party's founding and the year of the paper that
    records it (a later year has not happened yet)."""
    if year < FIRST_YEAR:
        raise InvalidCommand("year", f"is before {FIRST_YEAR}", f"năm phải từ {FIRST_YEAR} trở về sau")
    if year > occurred_on.year:
        raise InvalidCommand("year", "is in the future", "năm xếp loại chưa đến")


def introduce_transfer(
    state: PersonState,
    cmd: mc.IntroduceTransfer,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-TRANSFER: an official transfer is introduced within 60 working days of its cause (lateness kept)."""
    check_step(state, cmd, MEMBER_STAGES)
    m = membership_of(state)
    if m.pending_transfer is not None or cmd.to_unit_id in {state.cell_id, m.temporary_unit_id}:
        raise refuse_order(cmd, "a transfer is pending or leads nowhere new", "đang chờ chuyển hoặc trùng nơi đến")
    if cmd.cause_on > cmd.occurred_on:
        raise InvalidCommand("cause_on", "is after the introduction", "sau ngày giới thiệu chuyển sinh hoạt")
    late: Events = []
    present_deadline = None
    if cmd.kind is TransferKind.OFFICIAL:
        introduce_by = transfer_deadline(rules, calendar, TransferStep.INTRODUCE, cmd.cause_on)
        late = breaches(rules, calendar, introduce_by, cmd.occurred_on)
        present_deadline = transfer_deadline(rules, calendar, TransferStep.PRESENT, cmd.occurred_on)
    introduced = mev.MemberTransferIntroduced(
        rule_set=rules.rule_set_id,
        kind=cmd.kind,
        to_unit_id=cmd.to_unit_id,
        cause_on=cmd.cause_on,
        present_deadline=present_deadline,
    )
    return [introduced, *late]


def present_transfer(
    state: PersonState, cmd: mc.PresentTransfer, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-TRANSFER: presented to the new unit within 30 working days; probation continues there."""
    check_step(state, cmd, MEMBER_STAGES)
    pending = membership_of(state).pending_transfer
    if pending is None:
        raise refuse_order(cmd, "no transfer was introduced", "chưa có giấy giới thiệu chuyển sinh hoạt")
    check_auth_cell(cmd.acting_unit_id, pending.to_unit_id)
    presented = mev.MemberTransferPresented(
        rule_set=rules.rule_set_id, kind=pending.kind, to_unit_id=pending.to_unit_id
    )
    return [presented, *breaches(rules, calendar, pending.present_deadline, cmd.occurred_on)]


def end_temporary_transfer(
    state: PersonState,
    cmd: mc.EndTemporaryTransfer,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-TRANSFER: back from a temporary transfer, the member counts in the home cell's votes again."""
    check_step(state, cmd, MEMBER_STAGES)
    away_at = membership_of(state).temporary_unit_id
    if away_at is None:
        raise refuse_order(cmd, "the member is not on a temporary transfer", "đảng viên không sinh hoạt tạm thời")
    return [mev.TemporaryTransferEnded(rule_set=rules.rule_set_id, from_unit_id=away_at)]


def rate_member(
    state: PersonState, cmd: mc.RateMember, facts: PersonFacts, rules: RuleSet, calendar: WorkingCalendar
) -> Events:
    """R-RATING: one rating a year, by grade or (from qd294-2025) by score, within the Excellent quota."""
    check_year(cmd.year, cmd.occurred_on)
    check_step(state, cmd, MEMBER_STAGES)
    counts = require(facts.rating, "rating")
    already = any(r.year == cmd.year for r in state.ratings)
    grade = check_rating(rules, cmd.grade, cmd.score, counts.rated_good, counts.rated_excellent, already)
    return [mev.MemberRated(rule_set=rules.rule_set_id, year=cmd.year, grade=grade, score=cmd.score)]


def record_screening_outcome(
    state: PersonState,
    cmd: mc.RecordScreeningOutcome,
    facts: PersonFacts,
    rules: RuleSet,
    calendar: WorkingCalendar,
) -> Events:
    """R-SCREENING: keep, educate or propose removal; two years running NotCompleted rule out 'keep'."""
    check_year(cmd.year, cmd.occurred_on)
    check_step(state, cmd, MEMBER_STAGES)
    check_screening(rules, cmd.outcome, state.not_completed_streak(cmd.year))
    return [mev.ScreeningOutcomeRecorded(rule_set=rules.rule_set_id, year=cmd.year, outcome=cmd.outcome)]
