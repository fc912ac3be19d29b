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
from projections.queries.deadlines import DeadlineSummary, deadline_summary
from projections.queries.reading import version_of
from projections.queries.rollup import summed_rows, sums_only
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
    deadlines: DeadlineSummary
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
    plan, the most urgent deadlines and how many are overdue, and a line per child unit."""
    board = queries.dashboard(connection, units, year, term, today.year)
    years = {
        metric: [YearBar(p.year, p.actual, p.plan) for p in progress]
        for metric, progress in queries.yearly_progress(connection, units, term).items()
    }
    kids = tree.as_of(today).children(units[0])
    scopes = subtrees_units(tree, kids, today) if kids else {}
    deadlines = deadline_summary(connection, units, today, calendar, scopes)
    children = _children(connection, tree, units[0], today, scopes, deadlines)
    return Overview(min(board.position, deadlines.position), board, years, deadlines, children)


def _children(
    connection: sa.Connection,
    tree: UnitTree,
    unit_id: str,
    today: date,
    scopes: dict[str, list[str]],
    deadlines: DeadlineSummary,
) -> tuple[ChildFigures, ...]:
    """Each child of the unit as it is today (the board above may show a past year): its open files, members
    and overdue deadlines, summed over the child's subtree (`scopes`) from one read (a child that is a group,
    as the city's communes are, from its kept sums)."""
    if not scopes:
        return ()
    view = tree.as_of(today)
    version = version_of(connection, "unit_dashboard")
    summed = summed_rows(connection, "unit_dashboard", version, scopes, ["funnel", "members"])
    result = []
    for kid in view.children(unit_id):
        rows = sums_only(summed.get(kid, {}))
        funnel: StageCounts = rows.get("funnel", {})
        members: MembersRow = rows.get("members", {})
        unit = view.get(kid)
        assert unit is not None
        result.append(
            ChildFigures(
                kid,
                unit.name,
                unit.code,
                sum(funnel.values()),
                members.get("probationary", 0),
                members.get("official", 0),
                deadlines.overdue_by_scope.get(kid, 0),
            )
        )
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
