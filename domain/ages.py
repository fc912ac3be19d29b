"""Ages as the party counts them: full months for eligibility (R-ELIG-AGE), bands for the HD 11 statistics.

A month is complete on the day of the month the person was born on; when that month is shorter (born on the
31st, or on 29 February), it is complete on the month's last day — the rule the Civil Code 2015 (art. 148)
gives for periods counted in months. So a person born on 31 January has one full month on 28 February (29 in
a leap year), and a person born on 29 February 2004 is 18 years old on 28 February 2022.
"""

from __future__ import annotations

import calendar
from datetime import date
from enum import StrEnum
from typing import Final


def age_in_full_months(date_of_birth: date, on: date) -> int:
    """Completed months of life on `on` (R-ELIG-AGE counts 18 to 60 years in full months)."""
    if on < date_of_birth:
        raise ValueError(f"{on} is before the date of birth {date_of_birth}")
    months = (on.year - date_of_birth.year) * 12 + (on.month - date_of_birth.month)
    month_length = calendar.monthrange(on.year, on.month)[1]
    if on.day < min(date_of_birth.day, month_length):
        months -= 1
    return months


def age_in_full_years(date_of_birth: date, on: date) -> int:
    """Completed years of life on `on`, by the same month-end rule."""
    return age_in_full_months(date_of_birth, on) // 12


class AgeBand(StrEnum):
    """The age bands of the party's yearly statistics (tuổi đời): 18–30, then by ten years, over 70."""

    UNDER_18 = "under-18"
    AGE_18_30 = "18-30"
    AGE_31_40 = "31-40"
    AGE_41_50 = "41-50"
    AGE_51_60 = "51-60"
    AGE_61_70 = "61-70"
    OVER_70 = "over-70"

    @property
    def label_vi(self) -> str:
        return _BAND_LABELS_VI[self]


_BAND_LABELS_VI: Final[dict[AgeBand, str]] = {
    AgeBand.UNDER_18: "Dưới 18 tuổi",
    AgeBand.AGE_18_30: "Từ 18 đến 30 tuổi",
    AgeBand.AGE_31_40: "Từ 31 đến 40 tuổi",
    AgeBand.AGE_41_50: "Từ 41 đến 50 tuổi",
    AgeBand.AGE_51_60: "Từ 51 đến 60 tuổi",
    AgeBand.AGE_61_70: "Từ 61 đến 70 tuổi",
    AgeBand.OVER_70: "Trên 70 tuổi",
}

_BAND_UPPER_AGES: Final[tuple[tuple[int, AgeBand], ...]] = (
    (17, AgeBand.UNDER_18),
    (30, AgeBand.AGE_18_30),
    (40, AgeBand.AGE_31_40),
    (50, AgeBand.AGE_41_50),
    (60, AgeBand.AGE_51_60),
    (70, AgeBand.AGE_61_70),
)


def age_band(date_of_birth: date, on: date) -> AgeBand:
    """The statistics band of a person's age in completed years on `on` (30 years 11 months is 18–30)."""
    years = age_in_full_years(date_of_birth, on)
    for upper, band in _BAND_UPPER_AGES:
        if years <= upper:
            return band
    return AgeBand.OVER_70


def age_band_five_year(date_of_birth: date, on: date) -> str:
    """The finer breakdown some provincial reports use: 18-30, then 31-35, 36-40, … 66-70, over-70."""
    years = age_in_full_years(date_of_birth, on)
    if years < 18:
        return "under-18"
    if years <= 30:
        return "18-30"
    if years > 70:
        return "over-70"
    lower = 31 + (years - 31) // 5 * 5
    return f"{lower}-{lower + 4}"
