"""What the story holds for a candidate, drawn once at nomination so the funnel has realistic drop-outs.

Shares per file: about 9 % withdraw before the vote, 4 % are turned down by the cell, 1.5 % by the committee,
1 % by the decider, 1 % are not recognised after probation; one dossier in ten is sent back once for
correction, one in twenty-five moves cell; some bodies decide or vote late (a DeadlineBreached on record).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from random import Random

from domain.person.detours import RETURNABLE
from domain.person.stages import BEFORE_VOTE, PIPELINE, Stage


class Outcome(StrEnum):
    ADMIT = "admit"
    WITHDRAW = "withdraw"
    REJECT_CELL = "reject_cell"
    REJECT_COMMITTEE = "reject_committee"
    REJECT_DECIDER = "reject_decider"
    NOT_RECOGNISED = "not_recognised"


OUTCOMES: tuple[tuple[Outcome, float], ...] = (
    (Outcome.WITHDRAW, 0.09),
    (Outcome.REJECT_CELL, 0.04),
    (Outcome.REJECT_COMMITTEE, 0.015),
    (Outcome.REJECT_DECIDER, 0.01),
    (Outcome.NOT_RECOGNISED, 0.01),
)
WITHDRAW_STAGES: tuple[tuple[Stage, float], ...] = (
    (Stage.SOURCE_POOL, 0.4),
    (Stage.TRAINED, 0.3),
    (Stage.APPLIED, 0.2),
    (Stage.VERIFIED, 0.1),
)
RETURN_STAGES = tuple(s for s in PIPELINE if s in RETURNABLE)
TRANSFER_STAGES = tuple(s for s in PIPELINE if s in BEFORE_VOTE)


@dataclass
class Fate:
    """The path of one file; `waits` counts how often a step waited for a cell able to act."""

    outcome: Outcome = Outcome.ADMIT
    leave_at: Stage | None = None
    return_at: Stage | None = None
    transfer_at: Stage | None = None
    slow: bool = False
    late_decision: bool = False
    extend_decision: bool = False
    late_ceremony: bool = False
    late_vote: bool = False
    late_recognition: bool = False
    waits: int = 0


def draw_fate(rng: Random) -> Fate:
    fate = Fate(outcome=_outcome(rng))
    if fate.outcome is Outcome.WITHDRAW:
        fate.leave_at = rng.choices([s for s, _ in WITHDRAW_STAGES], [w for _, w in WITHDRAW_STAGES])[0]
    if rng.random() < 0.10:
        fate.return_at = rng.choice(RETURN_STAGES)
    if rng.random() < 0.04:
        fate.transfer_at = rng.choice(TRANSFER_STAGES)
    fate.slow = rng.random() < 0.12
    fate.late_decision = rng.random() < 0.06
    fate.extend_decision = not fate.late_decision and rng.random() < 0.04
    fate.late_ceremony = rng.random() < 0.02
    fate.late_vote = rng.random() < 0.15
    fate.late_recognition = rng.random() < 0.05
    return fate


def _outcome(rng: Random) -> Outcome:
    draw = rng.random()
    for outcome, share in OUTCOMES:
        if draw < share:
            return outcome
        draw -= share
    return Outcome.ADMIT
