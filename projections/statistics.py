"""Counts for the yearly statistical forms of HD 11-HD/BTCTW: admissions, exits and ratings by the
breakdowns sex, age band, ethnicity, religion, education and occupation (DOMAIN.md §5).

Rows: `s:<year>:<metric>` → {dimension: {value: count}} with metric `admissions` (the decision's year),
`exits` (with the extra dimension `type`: struck_off, expelled, voluntary_exit, probationary_struck_off,
annulled) and `ratings` (the year rated, with the extra dimension `grade`); `s:<year>:exits:<type>` and
`s:<year>:ratings:<grade>` break each type and grade down the same way. The particulars are the person's as
recorded at the event, the age band is the age on the event's date (`domain.particulars.age_band`), and an
event counts in the unit holding the person's file or membership when it happened.
"""

from __future__ import annotations

from datetime import date

from domain.particulars import Particulars, age_band

from .base import Applied
from .person_view import EXITS, exit_type, own
from .rows import Row, UnitRows

name = "statistics"
version = 1
event_types: frozenset[str] | None = frozenset({"AdmissionDecided", "MemberRated", "MemberDisciplined", *EXITS})

DIMENSIONS = ("sex", "age_band", "ethnicity", "religion", "education", "occupation")


def apply(rows: UnitRows, applied: Applied) -> None:
    person = own(applied)
    if person is None or person.particulars is None:
        return
    on, event_type = applied.envelope.occurred_on, applied.envelope.event_type
    values = breakdown(person.particulars, on)
    if event_type == "AdmissionDecided":
        _count(rows.edit(f"s:{on.year}:admissions"), values)
    elif event_type == "MemberRated":
        grade, year = str(applied.event.grade), applied.event.year
        _count(rows.edit(f"s:{year}:ratings"), values, ("grade", grade))
        _count(rows.edit(f"s:{year}:ratings:{grade}"), values)
    elif (kind := exit_type(applied)) is not None:
        _count(rows.edit(f"s:{on.year}:exits"), values, ("type", kind))
        _count(rows.edit(f"s:{on.year}:exits:{kind}"), values)


def breakdown(particulars: Particulars, on: date) -> dict[str, str]:
    """The value of each HD 11 dimension for a person on a date."""
    return {
        "sex": particulars.sex.value,
        "age_band": age_band(particulars.date_of_birth, on).value,
        "ethnicity": particulars.ethnicity.value,
        "religion": particulars.religion.value,
        "education": particulars.education.value,
        "occupation": particulars.occupation.value,
    }


def _count(row: Row, values: dict[str, str], extra: tuple[str, str] | None = None) -> None:
    """One more person in each dimension's value (and in the extra dimension's, if any)."""
    for dimension, value in (*values.items(), extra) if extra else values.items():
        counts = row.get(dimension)
        if counts is None:
            counts = row[dimension] = {}
        counts[value] = counts.get(value, 0) + 1
