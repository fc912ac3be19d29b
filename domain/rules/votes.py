"""Counting votes: the two-thirds threshold, the cell quorum and deadlocked recognition rounds."""

from __future__ import annotations

import math
from enum import StrEnum

from domain.errors import RuleViolation
from domain.rules.base import RuleSet


class VoteOutcome(StrEnum):
    """What a round decided: two-thirds for, two-thirds against, or neither (R-RECOGNISE-DEADLOCK)."""

    FOR = "for"
    AGAINST = "against"
    INCONCLUSIVE = "inconclusive"


def two_thirds_of(rules: RuleSet, denominator: int) -> int:
    """The smallest vote count that reaches the rule set's fraction of `denominator`, rounded up."""
    return math.ceil(rules.vote_fraction * denominator)


def vote_outcome(rules: RuleSet, yes: int, no: int, denominator: int) -> VoteOutcome:
    """Which way a round went when either side may reach two-thirds."""
    needed = two_thirds_of(rules, denominator)
    if denominator > 0 and yes >= needed:
        return VoteOutcome.FOR
    if denominator > 0 and no >= needed:
        return VoteOutcome.AGAINST
    return VoteOutcome.INCONCLUSIVE


def check_cell_quorum(rules: RuleSet, official_members: int) -> None:
    """R-CELL-QUORUM: a cell with fewer than 3 official members cannot hold a valid vote."""
    if official_members < rules.cell_quorum:
        raise RuleViolation(
            "R-CELL-QUORUM",
            f"the cell has {official_members} official members; a valid vote needs at least {rules.cell_quorum}",
            f"chi bộ chỉ có {official_members} đảng viên chính thức; biểu quyết hợp lệ cần ít nhất {rules.cell_quorum}",
            official_members=official_members,
        )


NOT_PASSED_VI = "nghị quyết chưa được thông qua nên không ghi vào sổ"
"""What a vote short of two-thirds means where the resolution is the step itself (admission, strike-off):
there is no resolution to record. Recognition is different by rule: each round is recorded, a round short
either way is inconclusive, and the third such round sends the case up (R-RECOGNISE-DEADLOCK)."""


def check_vote_twothirds(rules: RuleSet, yes: int, denominator: int, consequence_vi: str = NOT_PASSED_VI) -> None:
    """R-VOTE-TWOTHIRDS: yes ≥ ⌈2/3 × denominator⌉, the denominator fixed by law, not by attendance.

    `consequence_vi` tells the officer what the refusal means for the file (what to do instead)."""
    needed = two_thirds_of(rules, denominator)
    if denominator <= 0 or yes < needed:
        raise RuleViolation(
            "R-VOTE-TWOTHIRDS",
            f"{yes} votes in favour of {denominator}; at least {needed} are needed: the resolution did not pass",
            f"chỉ có {yes}/{denominator} phiếu tán thành; cần ít nhất {needed} phiếu — {consequence_vi}",
            yes=yes,
            denominator=denominator,
            needed=needed,
        )


def check_recognise_deadlock(rules: RuleSet, inconclusive_before: int, outcome: VoteOutcome) -> bool:
    """R-RECOGNISE-DEADLOCK: after 3 rounds reaching two-thirds neither way the upper committee decides.

    Refuses a further cell round once deadlocked; returns True when this round is the one that escalates.
    """
    if inconclusive_before >= rules.deadlock_rounds:
        raise RuleViolation(
            "R-RECOGNISE-DEADLOCK",
            f"{rules.deadlock_rounds} rounds reached two-thirds neither way; the upper committee decides",
            f"đã biểu quyết {rules.deadlock_rounds} lần không đạt hai phần ba; cấp ủy cấp trên xem xét, quyết định",
            rounds=inconclusive_before,
        )
    return outcome is VoteOutcome.INCONCLUSIVE and inconclusive_before + 1 == rules.deadlock_rounds
