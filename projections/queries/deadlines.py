"""Deadlines of a unit or subtree, most urgent first: working days left or late are counted today, here.

Rows never depend on the clock; the caller passes `today` and the working calendar (the library's holidays
plus the administrator's declarations), so the same rows answer every day correctly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from domain.calendar import WorkingCalendar

from ..deadlines import DeadlineRow
from ..schema import projection_rows as pr
from .reading import MANY_UNITS, day, distinct_units, json_text, reflected_position, unit_in, version_of
from .rollup import Scopes, cover, summed_rows


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


SHOWN = 50
"""How many running deadlines and breaches a dashboard lists (it shows how many there are in all)."""


@dataclass(frozen=True)
class DeadlineSummary:
    """What a dashboard shows of a subtree's deadlines: the most urgent running clocks and this year's latest
    breaches (`SHOWN` of each, in the board's order), how many clocks are running and how many of them are
    overdue today, and how many are overdue in each of the named scopes (a dashboard's children)."""

    position: int
    today: date
    open: tuple[OpenDeadline, ...]
    open_count: int
    overdue_count: int
    breaches: tuple[Breach, ...]
    overdue_by_scope: dict[str, int]


def deadline_summary(
    connection: sa.Connection,
    units: list[str],
    today: date,
    calendar: WorkingCalendar,
    scopes: Scopes | None = None,
    *,
    shown: int = SHOWN,
) -> DeadlineSummary:
    """The `DeadlineBoard`'s first `shown` running clocks and breaches, and its counts, without reading every
    clock of the subtree: the counts from the running clocks' due dates kept per group (`projections.rollup`:
    "due", date → clocks), the lists from the rows in order, `shown` at a time (on PostgreSQL through partial
    indexes on the due and breach dates)."""
    chosen = distinct_units(units)
    version = version_of(connection, "deadlines")
    summed = summed_rows(connection, "deadlines", version, {"": chosen, **(scopes or {})}, ["due"])
    late: dict[str, bool] = {}

    def overdue(due: dict[str, int]) -> int:
        for day_text in due:
            if day_text not in late:
                late[day_text] = calendar.working_days_between(today, date.fromisoformat(day_text)) < 0
        return sum(count for day_text, count in due.items() if late[day_text])

    due = {scope: found.get("due", {"sum": {}})["sum"] for scope, found in summed.items()}
    running = [
        _open(
            unit_id,
            row,
            date.fromisoformat(row["due_on"]),
            calendar.working_days_between(today, date.fromisoformat(row["due_on"])),
        )
        for unit_id, row in _first_rows(connection, version, chosen, "open", shown)
    ]
    since = date(today.year, 1, 1)
    breaches = [
        _breach(unit_id, row, date.fromisoformat(row["due_on"]), day(row["met_on"]))
        for unit_id, row in _first_rows(connection, version, chosen, "breached", shown, since)
    ]
    running.sort(key=lambda d: (d.working_days_left, d.due_on, d.unit_id, d.stream_id, d.clock))
    breaches.sort(key=lambda b: (-(b.met_on or b.due_on).toordinal(), b.unit_id, b.stream_id, b.clock))
    return DeadlineSummary(
        position=reflected_position(connection, "deadlines", version, chosen),
        today=today,
        open=tuple(running[:shown]),
        open_count=sum(due[""].values()),
        overdue_count=overdue(due[""]),
        breaches=tuple(breaches[:shown]),
        overdue_by_scope={scope: overdue(counts) for scope, counts in due.items() if scope != ""},
    )


def _field(connection: sa.Connection, name: str) -> str:
    """A text field of the row's JSON, written as the partial indexes are (`projections.schema`)."""
    if connection.dialect.name == "postgresql":
        return f"(data->>'{name}')"
    return f"json_extract(data, '$.{name}')"


def _first_rows(
    connection: sa.Connection, version: int, units: list[str], status: str, limit: int, since: date | None = None
) -> list[tuple[str, DeadlineRow]]:
    """At least the first `limit` running clocks (soonest due first) or breaches met since `since` (latest
    first) of the units — every row on or before the date of the `limit`-th, so that the caller's sort in the
    board's order (date, then unit, person, clock) picks exactly the board's first `limit`.

    Two reads, each in the order of a partial index (`projections.rollup_schema.DEADLINE_INDEXES`): the date of
    the `limit`-th, then the rows up to it; a tie-break in the statement's order would make PostgreSQL sort
    every running clock of the city. The units are named by their groups where a group covers them (the
    server reads the members), so the city's 30,000 ids are not sent."""
    if status == "open":
        when = _field(connection, "due_on")
        where = f"{_field(connection, 'status')} = 'open' AND {_field(connection, 'kind')} = 'deadline'"
        order, reach = when, "<="
    else:
        when = f"coalesce({_field(connection, 'met_on')}, {_field(connection, 'due_on')})"
        # A breach always carries the day its step was taken (`projections.deadlines._breach`), so "met since"
        # is the index's own date from `since` on: the walk stops there instead of filtering every breach of
        # the city since 2020 (8,288 rows read for none shown: a third of the city dashboard's deadlines).
        where = f"{_field(connection, 'status')} = 'breached' AND {when} >= :since"
        order, reach = f"{when} DESC", ">="
    among, parameters = _units_among(connection, units)
    parameters |= {"version": version, "offset": limit - 1}
    if since is not None:
        parameters["since"] = since.isoformat()
    base = f"FROM projection_rows WHERE projection = 'deadlines' AND version = :version AND {where} AND {among}"
    cut = connection.execute(
        _with_units(sa.text(f"SELECT {when} {base} ORDER BY {order} LIMIT 1 OFFSET :offset"), parameters), parameters
    ).scalar()
    bounded = f" AND {when} {reach} :cut" if cut is not None else ""
    statement = _with_units(sa.text(f"SELECT unit_id, data {base}{bounded}"), parameters)
    rows = connection.execute(
        statement.columns(sa.column("unit_id", sa.Text), sa.column("data", sa.JSON)), parameters | {"cut": cut}
    )
    return [(unit_id, data) for unit_id, data in rows]


def _units_among(connection: sa.Connection, units: list[str]) -> tuple[str, dict[str, object]]:
    """The condition "unit_id is one of `units`", and its parameters: on PostgreSQL, the groups wholly among
    them by name (their members read by the server) and the other units as one array."""
    if connection.dialect.name != "postgresql" or len(units) <= MANY_UNITS:
        return "unit_id IN :units", {"units": units}
    groups, alone = cover(connection, units)
    condition = (
        "(unit_id = ANY(:alone) OR unit_id IN (SELECT unit_id FROM rollup_members WHERE group_id = ANY(:groups)))"
    )
    return condition, {"groups": groups, "alone": alone}


def _with_units(statement: sa.TextClause, parameters: dict[str, object]) -> sa.TextClause:
    if "units" in parameters:
        return statement.bindparams(sa.bindparam("units", expanding=True))
    return statement.bindparams(
        sa.bindparam("groups", type_=ARRAY(sa.Text())), sa.bindparam("alone", type_=ARRAY(sa.Text()))
    )
