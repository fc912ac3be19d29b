"""Working days (ngày làm việc) for the deadline rules: R-DECIDE-DEADLINE, R-CEREMONY-DEADLINE, R-TRANSFER, ….

Monday to Friday, minus Vietnam's public holidays as the `holidays` library computes them, plus the
administrator's declarations. What the library gives (checked for 2019–2027, version 0.109):

- the Labour Code holidays: 1/1, Tết Nguyên Đán by the lunar calendar (eve and the first three days; since
  2013 also the fourth, and the library moves a Tết day that falls on a weekend to a weekday, so Tết 2025 is
  27–31/1), Hùng Kings' day (10/3 lunar), 30/4, 1/5, 2/9 and, since 2021, the day before or after 2/9; from
  2026, 24/11 (Vietnam Culture Day);
- "observed" days in lieu when one of these falls on a weekend (e.g. Monday 3/1/2022);
- the swaps the Government decreed for public servants up to 2026 (e.g. 2/5/2025 off, Saturday 26/4/2025
  worked): the day off is a holiday and the swapped Saturday is a working day here.

Swaps decreed after the library's release, provincial days off and one-off closures are not in the library:
an administrator declares them (`DayOffDeclared`, `WorkingDayDeclared`), and `calendar_from_declarations`
builds the calendar every projection and decision must use.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, ClassVar

import holidays

from domain.codec import EVENTS
from domain.privacy import NotPersonal
from domain.text import normalise_text

CALENDAR_STREAM_ID = "calendar-province"
"""The one stream holding the administrator's day declarations."""

REASON_MAX_LENGTH = 500


@lru_cache(maxsize=512)
def _library_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(weekdays off, weekend days worked) of one year per the library; its swaps may reach into next year."""
    calendar = holidays.country_holidays("VN", years=range(year - 1, year + 2))
    days_off = frozenset(d for d in calendar if d.year == year and d.weekday() < 5)
    worked = frozenset(d for d in calendar.weekend_workdays if d.year == year and d not in calendar)
    return days_off, worked


@lru_cache(maxsize=512)
def _library_working_days(year: int) -> tuple[int, ...]:
    """The ordinals of a year's working days per the library alone, shared by every calendar."""
    days_off, worked = _library_year(year)
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    return tuple(
        ordinal
        for ordinal in range(first, last + 1)
        if (d := date.fromordinal(ordinal)) in worked or (d.weekday() < 5 and d not in days_off)
    )


class WorkingCalendar:
    """Working days with the administrator's changes; cached per year because deadlines are hot paths."""

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self._extra_off = frozenset(extra_days_off)
        self._extra_working = frozenset(extra_working_days)
        both = self._extra_off & self._extra_working
        if both:
            raise ValueError(f"days declared both off and working: {sorted(both)}")
        self._years: dict[int, tuple[tuple[int, ...], frozenset[int]]] = {}

    @property
    def extra_days_off(self) -> frozenset[date]:
        return self._extra_off

    @property
    def extra_working_days(self) -> frozenset[date]:
        return self._extra_working

    def _year(self, year: int) -> tuple[tuple[int, ...], frozenset[int]]:
        """A year's working days as sorted ordinals and as a set, computed once."""
        cached = self._years.get(year)
        if cached is not None:
            return cached
        days = _library_working_days(year)
        off = {d.toordinal() for d in self._extra_off if d.year == year}
        added = {d.toordinal() for d in self._extra_working if d.year == year}
        if off or added:
            days = tuple(sorted((set(days) - off) | added))
        entry = (days, frozenset(days))
        self._years[year] = entry
        return entry

    def is_working_day(self, d: date) -> bool:
        return d.toordinal() in self._year(d.year)[1]

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day strictly after `start` (n = 0 gives `start` itself, working day or not)."""
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        if n == 0:
            return start
        year = start.year
        days = self._year(year)[0]
        index = bisect_right(days, start.toordinal())
        while index + n > len(days):
            n -= len(days) - index
            year += 1
            days = self._year(year)[0]
            index = 0
        return date.fromordinal(days[index + n - 1])

    def next_working_day(self, d: date) -> date:
        """The first working day on or after `d` (for a step that can only happen on a working day)."""
        days = self._year(d.year)[0]
        index = bisect_left(days, d.toordinal())
        if index == len(days):
            return date.fromordinal(self._year(d.year + 1)[0][0])
        return date.fromordinal(days[index])

    def deadline(self, start: date, n: int) -> date:
        """The last day on which a step due "within n working days" of `start` is on time."""
        return self.add_working_days(start, n)

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end; minus that count of (end, start] if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count = sum(len(self._year(year)[0]) for year in range(start.year, end.year))
        count += bisect_right(self._year(end.year)[0], end.toordinal())
        return count - bisect_right(self._year(start.year)[0], start.toordinal())

    def working_days_late(self, start: date, n: int, done_on: date) -> int:
        """Working days by which a step due within n working days of `start` was late (0 when on time)."""
        return max(0, self.working_days_between(self.deadline(start, n), done_on))


@EVENTS.register
@dataclass(frozen=True)
class DayOffDeclared:
    """An administrator made a day a day off (a decree moved a holiday, a provincial closure, …)."""

    event_type: ClassVar[str] = "DayOffDeclared"
    schema_version: ClassVar[int] = 1

    day: Annotated[date, NotPersonal.PROCEDURE]
    reason: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class WorkingDayDeclared:
    """An administrator made a day a working day (a Saturday worked in exchange for a bridge day off)."""

    event_type: ClassVar[str] = "WorkingDayDeclared"
    schema_version: ClassVar[int] = 1

    day: Annotated[date, NotPersonal.PROCEDURE]
    reason: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class DayDeclarationWithdrawn:
    """An administrator withdrew a mistaken declaration: the day is again what the library says."""

    event_type: ClassVar[str] = "DayDeclarationWithdrawn"
    schema_version: ClassVar[int] = 1

    day: Annotated[date, NotPersonal.PROCEDURE]
    reason: Annotated[str, NotPersonal.PROCEDURE]


DayDeclaration = DayOffDeclared | WorkingDayDeclared | DayDeclarationWithdrawn


def declare_day_off(day: date, reason: str) -> DayOffDeclared:
    return DayOffDeclared(day=day, reason=_reason(reason))


def declare_working_day(day: date, reason: str) -> WorkingDayDeclared:
    return WorkingDayDeclared(day=day, reason=_reason(reason))


def withdraw_day_declaration(day: date, reason: str) -> DayDeclarationWithdrawn:
    return DayDeclarationWithdrawn(day=day, reason=_reason(reason))


def _reason(reason: str) -> str:
    return normalise_text(reason, field="reason", max_length=REASON_MAX_LENGTH)


def calendar_from_declarations(declarations: Iterable[DayDeclaration]) -> WorkingCalendar:
    """The calendar after the declarations in log order; a later one about a day replaces the earlier."""
    status: dict[date, bool] = {}
    for declaration in declarations:
        if isinstance(declaration, DayOffDeclared):
            status[declaration.day] = False
        elif isinstance(declaration, WorkingDayDeclared):
            status[declaration.day] = True
        elif isinstance(declaration, DayDeclarationWithdrawn):
            status.pop(declaration.day, None)
        else:
            raise TypeError(f"not a day declaration: {declaration!r}")
    return WorkingCalendar(
        extra_days_off=(day for day, working in status.items() if not working),
        extra_working_days=(day for day, working in status.items() if working),
    )
