"""What a unit's pages show, each read in ONE snapshot (through `services.reads.read_snapshot`, as the API reads), so
the position an answer reports is the position its rows reflect."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from domain.calendar import WorkingCalendar
from domain.units.tree import UnitTree
from projections import queries
from projections.queries.dashboard import term_years
from projections.queries.reading import keyed_rows, version_of
from projections.queries.units import subtrees_units
from projections.unit_dashboard import MembersRow, StageCounts

from .charts import Bar, YearBar

TERMS = ("2020-2025", "2025-2030")


def term_of(year: int) -> str:
    """The congress term a year is read against: the one it begins or lies in (2025 opens 2025-2030)."""
    for term in reversed(TERMS):
        first, last = term_years(term)[0], term_years(term)[-1]
        if first <= year <= last:
            return term
    return TERMS[-1] if year > 2025 else TERMS[0]


@dataclass(frozen=True)
class ChildFigures:
    unit_id: str
    name: str
    code: str
    in_pipeline: int
    probationary: int
    official: int
    overdue: int


@dataclass(frozen=True)
class Overview:
    position: int
    board: queries.Dashboard
    years: dict[str, list[YearBar]]
    deadlines: queries.DeadlineBoard
    children: tuple[ChildFigures, ...]

    @property
    def funnel(self) -> list[Bar]:
        return [Bar(s.stage, s.label_vi, s.count) for s in self.board.funnel]


def overview(
    connection: sa.Connection,
    tree: UnitTree,
    units: list[str],
    year: int,
    term: str,
    today: date,
    calendar: WorkingCalendar,
) -> Overview:
    """The dashboard of `units[0]` over its subtree: this year's board, each year of the term against its
    plan, deadlines by urgency, and a line per child unit."""
    board = queries.dashboard(connection, units, year, term, today.year)
    years = {
        metric: [YearBar(p.year, p.actual, p.plan) for p in progress]
        for metric, progress in queries.yearly_progress(connection, units, term).items()
    }
    deadlines = queries.deadlines(connection, units, today, calendar)
    children = _children(connection, tree, units, today, deadlines)
    return Overview(min(board.position, deadlines.position), board, years, deadlines, children)


def _children(
    connection: sa.Connection, tree: UnitTree, units: list[str], today: date, board: queries.DeadlineBoard
) -> tuple[ChildFigures, ...]:
    """Each child of the unit as it is today (the board above may show a past year): its open files, members
    and overdue deadlines, summed over the child's subtree from one read."""
    view = tree.as_of(today)
    kids = view.children(units[0])
    if not kids:
        return ()
    owner = {unit_id: kid for kid, units in subtrees_units(tree, kids, today).items() for unit_id in units}
    rows = keyed_rows(  # today's children and their figures, whatever year the board above shows
        connection, "unit_dashboard", version_of(connection, "unit_dashboard"), list(owner), ["funnel", "members"]
    )
    sums: dict[str, list[int]] = {kid: [0, 0, 0, 0] for kid in kids}
    for unit_id, found in rows.items():
        kid = owner.get(unit_id)
        if kid is None:
            continue
        funnel: StageCounts = found.get("funnel", {})
        members: MembersRow = found.get("members", {})
        sums[kid][0] += sum(funnel.values())
        sums[kid][1] += members.get("probationary", 0)
        sums[kid][2] += members.get("official", 0)
    for item in board.open:
        if item.overdue and item.unit_id in owner:
            sums[owner[item.unit_id]][3] += 1
    result = []
    for kid in kids:
        unit = view.get(kid)
        assert unit is not None
        result.append(ChildFigures(kid, unit.name, unit.code, *sums[kid]))
    return tuple(result)


@dataclass(frozen=True)
class Freshness:
    """How current a page is: the position it reflects, the log's head and when the newest event was
    recorded; `caught_up` when the page holds every event of its units (other units' events do not count);
    when behind, since when (the first event of its units the page does not reflect yet)."""

    position: int
    head: int
    latest_at: datetime | None
    behind_since: datetime | None
    caught_up: bool
