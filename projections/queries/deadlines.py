"""Deadlines of a unit or subtree, most urgent first: working days left or late are counted today, here.

Rows never depend on the clock; the caller passes `today` and the working calendar (the library's holidays
plus the administrator's declarations), so the same rows answer every day correctly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from domain.calendar import WorkingCalendar

from ..deadlines import DeadlineRow
from ..schema import projection_rows as pr
from .reading import day, distinct_units, json_text, reflected_position, unit_in, version_of


@dataclass(frozen=True)
class OpenDeadline:
    """A running clock; `working_days_left` is negative when overdue (that many working days late)."""

    unit_id: str
    stream_id: str
    full_name: str | None
    rule_id: str
    clock: str
    started_on: date | None
    due_on: date
    extensions_left: int
    working_days_left: int

    @property
    def overdue(self) -> bool:
        return self.working_days_left < 0


@dataclass(frozen=True)
class StalePaper:
    """A paper of a file not yet voted on; the cell must vote by `valid_until` (calendar days left)."""

    unit_id: str
    stream_id: str
    full_name: str | None
    rule_id: str
    issued_on: date | None
    valid_until: date
    days_left: int


@dataclass(frozen=True)
class Breach:
    unit_id: str
    stream_id: str
    full_name: str | None
    rule_id: str
    clock: str
    due_on: date
    met_on: date | None
    late_by_working_days: int


@dataclass(frozen=True)
class DeadlineBoard:
    position: int
    today: date
    open: tuple[OpenDeadline, ...]
    stale_papers: tuple[StalePaper, ...]
    breaches: tuple[Breach, ...]

    def overdue_by_rule(self) -> dict[str, int]:
        """Overdue items per deadline rule, for the dashboard (DOMAIN.md §5)."""
        counts: dict[str, int] = {}
        for item in self.open:
            if item.overdue:
                counts[item.rule_id] = counts.get(item.rule_id, 0) + 1
        return counts


def deadlines(
    connection: sa.Connection,
    units: list[str],
    today: date,
    calendar: WorkingCalendar,
    *,
    stale_within_days: int | None = 90,
    breaches_since: date | None = None,
) -> DeadlineBoard:
    """Open deadlines by urgency; papers going stale within `stale_within_days` (None: all); breaches
    recorded since `breaches_since` (default: 1 January of today's year), latest first."""
    chosen = distinct_units(units)
    version = version_of(connection, "deadlines")
    query = sa.select(pr.c.unit_id, pr.c.data).where(
        pr.c.projection == "deadlines",
        pr.c.version == version,
        unit_in(connection, pr.c.unit_id, chosen),
        pr.c.row_key.startswith("d:", autoescape=True),
        json_text("status").in_(["open", "breached"]),
    )
    board = _Sorting(today, calendar, stale_within_days, breaches_since or date(today.year, 1, 1))
    for unit_id, row in connection.execute(query):
        board.add(unit_id, row)
    position = reflected_position(connection, "deadlines", version, chosen)
    return board.sorted(position)


@dataclass
class _Sorting:
    """Rows sorted into the board's three lists, with what 'today' makes of each."""

    today: date
    calendar: WorkingCalendar
    stale_within_days: int | None
    breaches_since: date
    running: list[OpenDeadline] = field(default_factory=list)
    papers: list[StalePaper] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)

    def add(self, unit_id: str, row: DeadlineRow) -> None:
        due = date.fromisoformat(row["due_on"])
        if row["status"] == "breached":
            met_on = day(row["met_on"])
            if met_on is None or met_on >= self.breaches_since:
                self.breaches.append(_breach(unit_id, row, due, met_on))
        elif row["kind"] == "stale_paper":
            left = (due - self.today).days
            if self.stale_within_days is None or left <= self.stale_within_days:
                self.papers.append(_paper(unit_id, row, due, left))
        else:
            self.running.append(_open(unit_id, row, due, self.calendar.working_days_between(self.today, due)))

    def sorted(self, position: int) -> DeadlineBoard:
        """Most urgent first: most overdue, then soonest due; breaches latest first."""
        self.running.sort(key=lambda d: (d.working_days_left, d.due_on, d.unit_id, d.stream_id, d.clock))
        self.papers.sort(key=lambda p: (p.days_left, p.unit_id, p.stream_id, p.rule_id))
        self.breaches.sort(key=lambda b: (-(b.met_on or b.due_on).toordinal(), b.unit_id, b.stream_id, b.clock))
        return DeadlineBoard(position, self.today, tuple(self.running), tuple(self.papers), tuple(self.breaches))


def _open(unit_id: str, row: DeadlineRow, due: date, left: int) -> OpenDeadline:
    return OpenDeadline(
        unit_id,
        row["stream_id"],
        row["full_name"],
        row["rule_id"],
        row["clock"],
        day(row["started_on"]),
        due,
        row["extensions_left"],
        left,
    )


def _paper(unit_id: str, row: DeadlineRow, due: date, left: int) -> StalePaper:
    return StalePaper(unit_id, row["stream_id"], row["full_name"], row["rule_id"], day(row["started_on"]), due, left)


def _breach(unit_id: str, row: DeadlineRow, due: date, met_on: date | None) -> Breach:
    return Breach(
        unit_id,
        row["stream_id"],
        row["full_name"],
        row["rule_id"],
        row["clock"],
        due,
        met_on,
        row["late_by_working_days"],
    )
