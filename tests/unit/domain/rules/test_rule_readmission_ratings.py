"""R-READMIT and R-RATING (grades before qd294-2025, the 100-point bands from it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.qd294_2025 import QD294_2025
from domain.rules.ratings import Grade, check_rating
from domain.rules.readmission import ReadmitBar, check_readmit

LEFT = date(2018, 5, 10)


def readmit(on: date, *, bar: ReadmitBar | None = None, before: int = 0, cleared: date | None = None) -> None:
    check_readmit(
        QD24_2021,
        readmitted_before=before,
        left_on=LEFT,
        bar=bar,
        conviction_cleared_on=cleared,
        provincial_consent_ref="CV 5-CV/TU",
        deciding_on=on,
    )


def test_r_readmit_accepts_exactly_36_months_after_leaving() -> None:
    readmit(date(2021, 5, 10))


def test_r_readmit_refuses_36_months_less_a_day() -> None:
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        readmit(date(2021, 5, 9))


def test_r_readmit_accepts_60_months_after_a_cleared_conviction() -> None:
    readmit(date(2024, 9, 1), cleared=date(2019, 9, 1))


def test_r_readmit_refuses_59_months_after_a_cleared_conviction() -> None:
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        readmit(date(2024, 8, 31), cleared=date(2019, 9, 1))


def test_r_readmit_refuses_a_second_readmission() -> None:
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        readmit(date(2025, 1, 1), before=1)


@pytest.mark.parametrize("bar", list(ReadmitBar))
def test_r_readmit_refuses_every_barred_ground(bar: ReadmitBar) -> None:
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        readmit(date(2025, 1, 1), bar=bar)


def test_r_readmit_refuses_without_provincial_consent_when_deciding() -> None:
    with pytest.raises(RuleViolation, match=r"^R-READMIT:"):
        check_readmit(QD24_2021, readmitted_before=0, left_on=LEFT, bar=None, deciding_on=date(2025, 1, 1))


def test_r_readmit_lets_a_file_open_before_the_waiting_period_ends() -> None:
    check_readmit(QD24_2021, readmitted_before=0, left_on=LEFT, bar=None, deciding_on=None)


def test_r_rating_accepts_a_grade_before_qd294() -> None:
    assert check_rating(QD24_2021, Grade.GOOD, None, 10, 0) is Grade.GOOD


def test_r_rating_refuses_a_score_before_qd294() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD24_2021, Grade.GOOD, 80, 10, 0)


def test_r_rating_accepts_excellent_up_to_20_percent_of_good() -> None:
    assert check_rating(QD24_2021, Grade.EXCELLENT, None, 10, 1) is Grade.EXCELLENT


def test_r_rating_refuses_excellent_past_20_percent_of_good() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD24_2021, Grade.EXCELLENT, None, 10, 2)


def test_r_rating_refuses_a_second_rating_in_a_year() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD24_2021, Grade.GOOD, None, 10, 0, already_rated=True)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, Grade.EXCELLENT),
        (90, Grade.EXCELLENT),
        (89, Grade.GOOD),
        (70, Grade.GOOD),
        (69, Grade.COMPLETED),
        (50, Grade.COMPLETED),
        (49, Grade.NOT_COMPLETED),
        (0, Grade.NOT_COMPLETED),
    ],
)
def test_r_rating_100_point_bands_from_qd294(score: int, grade: Grade) -> None:
    assert check_rating(QD294_2025, None, score, 100, 0) is grade


def test_r_rating_refuses_a_grade_without_score_from_qd294() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD294_2025, Grade.GOOD, None, 10, 0)


def test_r_rating_refuses_a_grade_that_contradicts_the_score() -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD294_2025, Grade.EXCELLENT, 89, 10, 0)


@pytest.mark.parametrize("score", [-1, 101])
def test_r_rating_refuses_a_score_outside_0_to_100(score: int) -> None:
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(QD294_2025, None, score, 10, 0)


def test_r_rating_under_50_needs_a_stated_grade_when_the_u_band_is_switched_off() -> None:
    rules = replace(QD294_2025, rating_below_completed_is_not_completed=False)
    with pytest.raises(RuleViolation, match=r"^R-RATING:"):
        check_rating(rules, None, 40, 10, 0)
    assert check_rating(rules, Grade.COMPLETED, 40, 10, 0) is Grade.COMPLETED
