"""Counts for the yearly statistical forms of HD 11-HD/BTCTW: admissions, exits and ratings by the
breakdowns sex, age band, ethnicity, religion, education and occupation (DOMAIN.md §5).

Rows: `s:<year>:<metric>` → `StatisticsRow` with metric `admissions` (the decision's year),
`exits` (with the extra dimension `type`: struck_off, expelled, voluntary_exit, probationary_struck_off,
annulled) and `ratings` (the year rated, with the extra dimension `grade`); `s:<year>:exits:<type>` and
`s:<year>:ratings:<grade>` break each type and grade down the same way. The particulars are the person's as
recorded at the event, the age band is the age on the event's date (`domain.particulars.age_band`), and an
event counts in the unit holding the person's file or membership when it happened.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final, Literal

from domain.particulars import Particulars, age_band
from domain.person.events import AdmissionDecided
from domain.person.member_events import MemberDisciplined, MemberRated
from domain.privacy import NotPersonal

from .base import Applied, event_names
from .person_view import EXITS, exit_type, own
from .row_kinds import RowKind
from .rows import UnitRows

name = "statistics"
version = 1
event_types: frozenset[str] | None = event_names(AdmissionDecided, MemberRated, MemberDisciplined) | frozenset(EXITS)

Dimension = Literal["sex", "age_band", "ethnicity", "religion", "education", "occupation", "type", "grade"]
"""The HD 11 breakdowns, and the extra dimension of `exits` (`type`) and of `ratings` (`grade`)."""
StatisticsRow = Annotated[dict[Dimension, dict[str, int]], NotPersonal.AGGREGATE]
"""A metric's counts: dimension → the person's value in it → persons."""
DIMENSIONS: Final[tuple[Dimension, ...]] = ("sex", "age_band", "ethnicity", "religion", "education", "occupation")


def apply(rows: UnitRows, applied: Applied) -> None:
    person = own(applied)
    if person is None or person.particulars is None:
        return
    on, event = applied.envelope.occurred_on, applied.event
    values = breakdown(person.particulars, on)
    if isinstance(event, AdmissionDecided):
        _count(rows.edit(f"s:{on.year}:admissions", StatisticsRow), values)
    elif isinstance(event, MemberRated):
        grade, year = str(event.grade), event.year
        _count(rows.edit(f"s:{year}:ratings", StatisticsRow), values, ("grade", grade))
        _count(rows.edit(f"s:{year}:ratings:{grade}", StatisticsRow), values)
    elif (kind := exit_type(applied)) is not None:
        _count(rows.edit(f"s:{on.year}:exits", StatisticsRow), values, ("type", kind))
        _count(rows.edit(f"s:{on.year}:exits:{kind}", StatisticsRow), values)


def breakdown(particulars: Particulars, on: date) -> dict[Dimension, str]:
    """The value of each HD 11 dimension for a person on a date."""
    return {
        "sex": particulars.sex.value,
        "age_band": age_band(particulars.date_of_birth, on).value,
        "ethnicity": particulars.ethnicity.value,
        "religion": particulars.religion.value,
        "education": particulars.education.value,
        "occupation": particulars.occupation.value,
    }


def _count(row: StatisticsRow, values: dict[Dimension, str], extra: tuple[Dimension, str] | None = None) -> None:
    """One more person in each dimension's value (and in the extra dimension's, if any)."""
    for dimension, value in (*values.items(), extra) if extra else values.items():
        counts = row.get(dimension)
        if counts is None:
            counts = row[dimension] = {}
        counts[value] = counts.get(value, 0) + 1


ROWS = (RowKind("s:<year>:<metric>", StatisticsRow, NotPersonal.PROCEDURE),)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
