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
from domain.person.events import AdmissionDecided, EntryRetracted
from domain.person.member_events import MemberDisciplined, MemberRated
from domain.privacy import NotPersonal

from .base import Applied, event_names
from .person_view import EXITS, exit_type, own, undone
from .row_kinds import RowKind
from .rows import UnitRows

name = "statistics"
version = 1
event_types: frozenset[str] | None = event_names(
    AdmissionDecided, MemberRated, MemberDisciplined, EntryRetracted
) | frozenset(EXITS)

Dimension = Literal["sex", "age_band", "ethnicity", "religion", "education", "occupation", "type", "grade"]
"""The HD 11 breakdowns, and the extra dimension of `exits` (`type`) and of `ratings` (`grade`)."""
StatisticsRow = Annotated[dict[Dimension, dict[str, int]], NotPersonal.AGGREGATE]
"""A metric's counts: dimension → the person's value in it → persons."""
DIMENSIONS: Final[tuple[Dimension, ...]] = ("sex", "age_band", "ethnicity", "religion", "education", "occupation")


def apply(rows: UnitRows, applied: Applied, sign: int = 1) -> None:
    """Count the event; a retraction (R-RETRACT) takes back what its entry's events counted (`sign` −1)."""
    for taken_back in undone(applied):
        apply(rows, taken_back, -1)
    person = own(applied)
    if person is None or person.particulars is None:
        return
    on, event = applied.envelope.occurred_on, applied.event
    values = breakdown(person.particulars, on)
    if isinstance(event, AdmissionDecided):
        _count(rows, f"s:{on.year}:admissions", values, sign=sign)
    elif isinstance(event, MemberRated):
        grade, year = str(event.grade), event.year
        _count(rows, f"s:{year}:ratings", values, ("grade", grade), sign)
        _count(rows, f"s:{year}:ratings:{grade}", values, sign=sign)
    elif (kind := exit_type(applied)) is not None:
        _count(rows, f"s:{on.year}:exits", values, ("type", kind), sign)
        _count(rows, f"s:{on.year}:exits:{kind}", values, sign=sign)


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


def _count(
    rows: UnitRows,
    key: str,
    values: dict[Dimension, str],
    extra: tuple[Dimension, str] | None = None,
    sign: int = 1,
) -> None:
    """One more (or, taken back, one fewer) person in each dimension's value (and in the extra dimension's);
    a row taken back to nothing is removed, as if never counted."""
    row = rows.edit(key, StatisticsRow)
    for dimension, value in (*values.items(), extra) if extra else values.items():
        counts = row.get(dimension)
        if counts is None:
            counts = row[dimension] = {}
        count = counts.get(value, 0) + sign
        if count:
            counts[value] = count
        else:
            counts.pop(value, None)
            if not counts:
                del row[dimension]
    if not row:
        rows.delete(key)


ROWS = (RowKind("s:<year>:<metric>", StatisticsRow, NotPersonal.PROCEDURE),)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
