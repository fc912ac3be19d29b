"""Probation and removal: R-RECOGNISE-BACKDATE, R-NEWMEMBER-COURSE, R-STRIKEOFF-GROUNDS, R-EXPEL-APPEAL, …

Also R-EXIT-VOLUNTARY and R-SCREENING.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.rules.probation import check_newmember_course, check_recognise_backdate, probation_ends_on
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.removal import (
    ScreeningOutcome,
    StrikeOffGround,
    check_exit_voluntary,
    check_expel_appeal,
    check_screening,
    check_strikeoff_grounds,
)

RULES = QD24_2021
G = StrikeOffGround


def test_r_recognise_backdate_official_exactly_12_months_after_the_ceremony() -> None:
    assert check_recognise_backdate(RULES, date(2020, 12, 18), date(2021, 12, 18)) == date(2021, 12, 18)


def test_r_recognise_backdate_keeps_the_date_however_late_the_decision() -> None:
    assert check_recognise_backdate(RULES, date(2020, 12, 18), date(2022, 6, 30)) == date(2021, 12, 18)


def test_r_recognise_backdate_refuses_a_step_one_day_before_12_months() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RECOGNISE-BACKDATE:"):
        check_recognise_backdate(RULES, date(2020, 12, 18), date(2021, 12, 17))


def test_r_recognise_backdate_of_a_ceremony_on_29_february() -> None:
    assert probation_ends_on(RULES, date(2024, 2, 29)) == date(2025, 2, 28)


def test_r_newmember_course_accepts_a_completed_course() -> None:
    check_newmember_course(True)


def test_r_newmember_course_refuses_without_the_course() -> None:
    with pytest.raises(RuleViolation, match=r"^R-NEWMEMBER-COURSE:"):
        check_newmember_course(False)


def test_r_strikeoff_grounds_accepts_3_months_inactive() -> None:
    check_strikeoff_grounds(RULES, G.INACTIVE_OR_NO_DUES, 3, 0)


def test_r_strikeoff_grounds_refuses_2_months_inactive() -> None:
    with pytest.raises(RuleViolation, match=r"^R-STRIKEOFF-GROUNDS:"):
        check_strikeoff_grounds(RULES, G.INACTIVE_OR_NO_DUES, 2, 0)


def test_r_strikeoff_grounds_accepts_12_months_of_education_without_improvement() -> None:
    check_strikeoff_grounds(RULES, G.NO_IMPROVEMENT_AFTER_EDUCATION, 12, 0)


def test_r_strikeoff_grounds_refuses_11_months_of_education() -> None:
    with pytest.raises(RuleViolation, match=r"^R-STRIKEOFF-GROUNDS:"):
        check_strikeoff_grounds(RULES, G.NO_IMPROVEMENT_AFTER_EDUCATION, 11, 0)


def test_r_strikeoff_grounds_accepts_two_years_running_not_completed() -> None:
    check_strikeoff_grounds(RULES, G.BREACHES_TWO_YEARS, None, 2)


def test_r_strikeoff_grounds_refuses_one_year_not_completed() -> None:
    with pytest.raises(RuleViolation, match=r"^R-STRIKEOFF-GROUNDS:"):
        check_strikeoff_grounds(RULES, G.BREACHES_TWO_YEARS, None, 1)


@pytest.mark.parametrize("ground", [G.CARD_RETURNED_OR_DESTROYED, G.FAILS_POLITICAL_CRITERIA])
def test_r_strikeoff_grounds_accepts_grounds_without_a_measure(ground: StrikeOffGround) -> None:
    check_strikeoff_grounds(RULES, ground, None, 0)


def test_r_expel_appeal_accepts_the_30th_day() -> None:
    check_expel_appeal(RULES, date(2021, 3, 1), date(2021, 3, 31))


def test_r_expel_appeal_refuses_the_31st_day() -> None:
    with pytest.raises(RuleViolation, match=r"^R-EXPEL-APPEAL:"):
        check_expel_appeal(RULES, date(2021, 3, 1), date(2021, 4, 1))


def test_r_exit_voluntary_accepts_with_nothing_pending() -> None:
    check_exit_voluntary(False)


def test_r_exit_voluntary_refuses_with_a_pending_violation() -> None:
    with pytest.raises(RuleViolation, match=r"^R-EXIT-VOLUNTARY:"):
        check_exit_voluntary(True)


def test_r_screening_accepts_keep_after_one_year_not_completed() -> None:
    check_screening(RULES, ScreeningOutcome.KEEP, 1)


def test_r_screening_refuses_keep_after_two_years_not_completed() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SCREENING:"):
        check_screening(RULES, ScreeningOutcome.KEEP, 2)
    check_screening(RULES, ScreeningOutcome.EDUCATE, 2)
