"""R-AUTH-ADMIT, R-AUTH-DISCIPLINE, R-AUTH-CELL and R-AUTH-STRIKEOFF."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.errors import RuleViolation
from domain.rules.authority import (
    Penalty,
    check_auth_admit,
    check_auth_cell,
    check_auth_discipline,
    check_auth_strikeoff,
)
from domain.rules.qd24_2021 import QD24_2021
from domain.units.kinds import UnitKind

RULES = QD24_2021
K = UnitKind


@dataclass(frozen=True)
class Body:
    unit_id: str
    kind: UnitKind
    admission_delegated: bool = False
    committee_size: int = 0


UPPER = Body("bloc", K.UPPER_COMMITTEE)
DELEGATED = Body("school", K.GRASSROOTS_COMMITTEE, admission_delegated=True, committee_size=9)
UNDELEGATED = Body("school", K.GRASSROOTS_COMMITTEE, committee_size=9)


def test_r_auth_admit_accepts_the_upper_standing_committee() -> None:
    check_auth_admit(RULES, UPPER, "bloc", None)


def test_r_auth_admit_accepts_the_provincial_standing_committee() -> None:
    check_auth_admit(RULES, Body("province", K.PROVINCIAL_COMMITTEE), "province", None)


def test_r_auth_admit_accepts_a_delegated_committee_with_6_of_9() -> None:
    check_auth_admit(RULES, DELEGATED, "school", 6)


def test_r_auth_admit_refuses_a_delegated_committee_with_5_of_9() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        check_auth_admit(RULES, DELEGATED, "school", 5)


def test_r_auth_admit_refuses_a_committee_without_delegation() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        check_auth_admit(RULES, UNDELEGATED, "school", 9)


def test_r_auth_admit_refuses_a_cell() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        check_auth_admit(RULES, Body("cell", K.CELL), "cell", 3)


def test_r_auth_admit_refuses_a_unit_that_is_not_the_body_described() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        check_auth_admit(RULES, UPPER, "another-bloc", None)


def test_r_auth_admit_refuses_a_delegated_committee_once_the_case_went_up() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-ADMIT:"):
        check_auth_admit(RULES, DELEGATED, "school", 9, upper_only=True)
    check_auth_admit(RULES, UPPER, "bloc", None, upper_only=True)


@pytest.mark.parametrize("penalty", [Penalty.REPRIMAND, Penalty.WARNING])
def test_r_auth_discipline_accepts_a_cell_reprimand_or_warning(penalty: Penalty) -> None:
    check_auth_discipline(penalty, K.CELL, False, on_probation=False)


@pytest.mark.parametrize("penalty", [Penalty.REMOVAL_FROM_POST, Penalty.EXPULSION])
def test_r_auth_discipline_refuses_a_cell_anything_heavier(penalty: Penalty) -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-DISCIPLINE:"):
        check_auth_discipline(penalty, K.CELL, True, on_probation=False)


def test_r_auth_discipline_accepts_expulsion_by_a_delegated_grassroots_committee() -> None:
    check_auth_discipline(Penalty.EXPULSION, K.GRASSROOTS_COMMITTEE, True, on_probation=False)


def test_r_auth_discipline_refuses_expulsion_by_an_undelegated_grassroots_committee() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-DISCIPLINE:"):
        check_auth_discipline(Penalty.EXPULSION, K.GRASSROOTS_COMMITTEE, False, on_probation=False)


def test_r_auth_discipline_accepts_expulsion_by_the_upper_committee() -> None:
    check_auth_discipline(Penalty.EXPULSION, K.UPPER_COMMITTEE, False, on_probation=False)


def test_r_auth_discipline_accepts_a_warning_during_probation() -> None:
    check_auth_discipline(Penalty.WARNING, K.UPPER_COMMITTEE, False, on_probation=True)


def test_r_auth_discipline_refuses_removal_from_post_during_probation() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-DISCIPLINE:"):
        check_auth_discipline(Penalty.REMOVAL_FROM_POST, K.UPPER_COMMITTEE, False, on_probation=True)


def test_r_auth_cell_accepts_the_cell_holding_the_file() -> None:
    check_auth_cell("cell-1", "cell-1")


def test_r_auth_cell_refuses_another_cell() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-CELL:"):
        check_auth_cell("cell-2", "cell-1")


def test_r_auth_strikeoff_accepts_a_grassroots_committee() -> None:
    check_auth_strikeoff(K.GRASSROOTS_COMMITTEE)


def test_r_auth_strikeoff_refuses_a_cell() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-STRIKEOFF:"):
        check_auth_strikeoff(K.CELL)
