"""R-VOTE-TWOTHIRDS, R-CELL-QUORUM and R-RECOGNISE-DEADLOCK."""

from __future__ import annotations

import pytest

from domain.errors import RuleViolation
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.votes import (
    VoteOutcome,
    check_cell_quorum,
    check_recognise_deadlock,
    check_vote_twothirds,
    two_thirds_of,
    vote_outcome,
)

RULES = QD24_2021


def test_r_vote_twothirds_accepts_5_of_7() -> None:
    check_vote_twothirds(RULES, 5, 7)


def test_r_vote_twothirds_refuses_4_of_7() -> None:
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:") as refused:
        check_vote_twothirds(RULES, 4, 7)
    assert refused.value.details == {"yes": 4, "denominator": 7, "needed": 5}


@pytest.mark.parametrize(("denominator", "needed"), [(3, 2), (6, 4), (9, 6), (10, 7), (32, 22)])
def test_r_vote_twothirds_rounds_up(denominator: int, needed: int) -> None:
    assert two_thirds_of(RULES, denominator) == needed
    check_vote_twothirds(RULES, needed, denominator)
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        check_vote_twothirds(RULES, needed - 1, denominator)


def test_r_vote_twothirds_refuses_an_empty_denominator() -> None:
    with pytest.raises(RuleViolation, match=r"^R-VOTE-TWOTHIRDS:"):
        check_vote_twothirds(RULES, 0, 0)


def test_r_cell_quorum_accepts_3_official_members() -> None:
    check_cell_quorum(RULES, 3)


def test_r_cell_quorum_refuses_2_official_members() -> None:
    with pytest.raises(RuleViolation, match=r"^R-CELL-QUORUM:"):
        check_cell_quorum(RULES, 2)


@pytest.mark.parametrize(
    ("yes", "no", "outcome"),
    [
        (5, 0, VoteOutcome.FOR),
        (0, 5, VoteOutcome.AGAINST),
        (4, 3, VoteOutcome.INCONCLUSIVE),
        (3, 3, VoteOutcome.INCONCLUSIVE),
    ],
)
def test_recognition_round_outcome_of_7(yes: int, no: int, outcome: VoteOutcome) -> None:
    assert vote_outcome(RULES, yes, no, 7) is outcome


def test_r_recognise_deadlock_does_not_escalate_after_2_inconclusive_rounds() -> None:
    assert check_recognise_deadlock(RULES, 1, VoteOutcome.INCONCLUSIVE) is False


def test_r_recognise_deadlock_escalates_on_the_3rd_inconclusive_round() -> None:
    assert check_recognise_deadlock(RULES, 2, VoteOutcome.INCONCLUSIVE) is True


def test_r_recognise_deadlock_does_not_escalate_a_decided_3rd_round() -> None:
    assert check_recognise_deadlock(RULES, 2, VoteOutcome.FOR) is False


def test_r_recognise_deadlock_refuses_a_4th_round_at_the_cell() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-DEADLOCK:"):
        check_recognise_deadlock(RULES, 3, VoteOutcome.FOR)
