"""The committee's dashboard over one unit or a subtree: funnel, members, the year's figures, term targets.

`units[0]` is the unit the dashboard is for; every count sums the rows of all `units` (pass `subtree_units`).
Term targets and yearly plans are those set on `units[0]` (its congress resolution); when it has none, the
sum of those set on the other units (e.g. a bloc committee adding up its grassroots committees' targets).
A term "2020-2025" counts the steps taken in the calendar years 2020 to 2025 inclusive.

The funnel, the members and the closed files are counted at the end of the chosen year when the caller says
which year is the current one (`current_year`): today's counts less the net changes of the years after it, by
the dates on the papers. For the current year (or a later one) they are today's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import sqlalchemy as sa

from domain.person.stages import PIPELINE, Stage
from domain.units.events import TargetMetric

from ..rollup import pruned
from ..unit_dashboard import DropoutsRow, StageCounts, StageDaysRow, YearRow
from ..unit_plans import PlanRow, TargetRow
from .reading import add_counts, distinct_units, keyed_rows, reflected_position, version_of
from .rollup import SummedRows, summed_rows, sums_only

ACTUALS: Final[dict[TargetMetric, str]] = {
    TargetMetric.ADMISSIONS: "admitted",
    TargetMetric.OFFICIAL_RECOGNITIONS: "recognised",
    TargetMetric.AWARENESS_TRAINEES: "trained",
    TargetMetric.SOURCE_POOL: "nominated",
}
"""Which yearly figure each kind of target is measured by."""

RowsByUnit = Mapping[str, Mapping[str, Any]]
"""unit → (row key → row), each row of the kind its key names (`keyed_rows`, or a replay's rows)."""

CLOSED_STAGES: Final = (
    Stage.REJECTED,
    Stage.WITHDRAWN,
    Stage.STRUCK_OFF,
    Stage.EXPELLED,
    Stage.EXITED,
    Stage.ANNULLED,
)


@dataclass(frozen=True)
class StageCount:
    stage: str
    label_vi: str
    count: int


@dataclass(frozen=True)
class StageTime:
    """How long those who moved on from a stage spent in it (calendar days)."""

    stage: str
    label_vi: str
    count: int
    average_days: float


@dataclass(frozen=True)
class MemberCounts:
    probationary: int
    official: int

    @property
    def total(self) -> int:
        return self.probationary + self.official


@dataclass(frozen=True)
class YearFigures:
    """Steps taken in the year; `exits`, `dropouts`, `screening` and `breaches` by kind."""

    year: int
    nominated: int = 0
    trained: int = 0
    sent_up: int = 0
    admitted: int = 0
    ceremonies: int = 0
    recognised: int = 0
    enrolled: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    reinstated: int = 0
    exits: dict[str, int] = field(default_factory=dict)
    dropouts: dict[str, int] = field(default_factory=dict)
    screening: dict[str, int] = field(default_factory=dict)
    breaches: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TargetProgress:
    metric: str
    label_vi: str
    term_target: int | None
    term_actual: int
    year_plan: int | None
    year_actual: int


@dataclass(frozen=True)
class Dashboard:
    position: int
    units: tuple[str, ...]
    year: int
    term: str
    funnel: tuple[StageCount, ...]
    members: MemberCounts
    closed: tuple[StageCount, ...]
    dropouts: dict[str, dict[str, int]]
    stage_time: tuple[StageTime, ...]
    figures: YearFigures
    targets: tuple[TargetProgress, ...]


def term_years(term: str) -> range:
    """'2020-2025' → 2020 … 2025."""
    try:
        first, last = (int(part) for part in term.split("-"))
    except ValueError as exc:
        raise ValueError(f"a term is written like 2020-2025, not {term!r}") from exc
    if not 1900 < first <= last < 2200:
        raise ValueError(f"a term is written like 2020-2025, not {term!r}")
    return range(first, last + 1)


def dashboard(
    connection: sa.Connection, units: list[str], year: int, term: str, current_year: int | None = None
) -> Dashboard:
    chosen = distinct_units(units)
    version = version_of(connection, "unit_dashboard")
    plans_version = version_of(connection, "unit_plans")
    position = min(
        reflected_position(connection, "unit_dashboard", version, chosen),
        reflected_position(connection, "unit_plans", plans_version, chosen),
    )
    keys = dashboard_keys(year, term, current_year)
    summed = summed_rows(connection, "unit_dashboard", version, {"": chosen}, keys)[""]
    wanted_plans = plan_keys(year, term)
    plans = summed_rows(connection, "unit_plans", plans_version, {"": chosen}, wanted_plans)[""]
    own = keyed_rows(connection, "unit_plans", plans_version, chosen[:1], wanted_plans)[chosen[0]]
    return _dashboard(position, chosen, year, term, sums_only(summed), own, plans, current_year)


def dashboard_keys(year: int, term: str, current_year: int | None = None) -> list[str]:
    """The unit_dashboard row keys a dashboard for `year` and `term` reads (and the years after `year` up to
    the current one, whose net changes take today's counts back to the end of `year`)."""
    years = sorted({year, *term_years(term), *_later_years(year, current_year)})
    return ["funnel", "members", "closed", "dropouts", "stage_days", *(f"year:{y}" for y in years)]


def _later_years(year: int, current_year: int | None) -> range:
    """The years whose changes are taken off today's counts; one past the current year for a paper dated in
    the next year before the rule against future dates (R-DATE-FUTURE) held."""
    return range(year + 1, current_year + 2) if current_year is not None else range(0)


def plan_keys(year: int, term: str) -> list[str]:
    """The unit_plans row keys: the term's targets and the year's plans."""
    return [
        f"{kind}:{period}:{metric}" for metric in TargetMetric for kind, period in (("target", term), ("plan", year))
    ]


def dashboard_from_rows(
    position: int,
    units: list[str],
    year: int,
    term: str,
    rows: RowsByUnit,
    plans: RowsByUnit,
    current_year: int | None = None,
) -> Dashboard:
    """The dashboard from rows however they were obtained: the live tables, or a replay "as of" a date (I9)."""
    chosen = distinct_units(units)
    summed = _summed({unit: rows.get(unit, {}) for unit in chosen})
    plan_sums: SummedRows = {}
    for unit in chosen:
        for key, row in plans.get(unit, {}).items():
            sums = plan_sums.setdefault(key, {"n": 0, "sum": {}})
            sums["n"] += 1
            add_counts(sums["sum"], row)
    return _dashboard(position, chosen, year, term, summed, plans.get(chosen[0], {}), plan_sums, current_year)


def _dashboard(
    position: int,
    chosen: list[str],
    year: int,
    term: str,
    summed: Mapping[str, Any],
    own_plans: Mapping[str, Any],
    plan_sums: SummedRows,
    current_year: int | None,
) -> Dashboard:
    """The dashboard from the units' rows summed (`summed`), the plans set on `chosen[0]` (`own_plans`) and the
    plans of all of them summed (`plan_sums`): the same answer whether the sums were kept or made now."""
    years = sorted({year, *term_years(term)})
    by_year = {y: _figures(y, summed.get(f"year:{y}", {})) for y in years}
    targets = _targets(own_plans, plan_sums, term, year, by_year)
    since: dict[str, int] = {}
    for later in _later_years(year, current_year):
        add_counts(since, summed.get(f"year:{later}", {}).get("stages", {}))
    funnel = _before(summed.get("funnel", {}), since)
    members = _before(summed.get("members", {}), {s: since.get(stage, 0) for stage, s in MEMBER_KEYS.items()})
    closed = _before(summed.get("closed", {}), since)
    dropouts: DropoutsRow = summed.get("dropouts", {})
    return Dashboard(
        position=position,
        units=tuple(chosen),
        year=year,
        term=term,
        funnel=tuple(_count(stage, funnel) for stage in PIPELINE),
        members=MemberCounts(members.get("probationary", 0), members.get("official", 0)),
        closed=tuple(_count(stage, closed) for stage in CLOSED_STAGES),
        dropouts=dropouts,
        stage_time=_stage_time(summed.get("stage_days", {})),
        figures=by_year[year],
        targets=targets,
    )


MEMBER_KEYS: Final[dict[str, str]] = {Stage.PROBATIONARY.value: "probationary", Stage.OFFICIAL.value: "official"}
"""The stage a member bucket counts, as the year rows' `stages` name it."""


def _before(counts: Mapping[str, int], changes: Mapping[str, int]) -> dict[str, int]:
    """Counts as they stood before the given net changes (a stage empty today may have held some)."""
    return {key: max(0, counts.get(key, 0) - changes.get(key, 0)) for key in {*counts, *changes}}


def _summed(rows_by_unit: RowsByUnit) -> dict[str, Any]:
    """The roll-up made now: each row key's counters added up over the units (a row of the same kind as the
    key's), zeros dropped as a kept roll-up drops them (`projections.rollup.pruned`)."""
    summed: dict[str, Any] = {}
    for rows in rows_by_unit.values():
        for key, row in rows.items():
            add_counts(summed.setdefault(key, {}), row)
    return {key: pruned(row) for key, row in summed.items()}


def _count(stage: Stage, counts: StageCounts) -> StageCount:
    return StageCount(stage.value, stage.label_vi, counts.get(stage.value, 0))


def _stage_time(days: StageDaysRow) -> tuple[StageTime, ...]:
    order = {stage.value: index for index, stage in enumerate(Stage)}
    return tuple(
        StageTime(stage, Stage(stage).label_vi, spent["count"], round(spent["days"] / spent["count"], 1))
        for stage, spent in sorted(days.items(), key=lambda item: order.get(item[0], len(order)))
        if spent.get("count")
    )


def _figures(year: int, row: YearRow) -> YearFigures:
    return YearFigures(
        year=year,
        nominated=row.get("nominated", 0),
        trained=row.get("trained", 0),
        sent_up=row.get("sent_up", 0),
        admitted=row.get("admitted", 0),
        ceremonies=row.get("ceremonies", 0),
        recognised=row.get("recognised", 0),
        enrolled=row.get("enrolled", 0),
        transferred_in=row.get("transferred_in", 0),
        transferred_out=row.get("transferred_out", 0),
        reinstated=row.get("reinstated", 0),
        exits=row.get("exits", {}),
        dropouts=row.get("dropouts", {}),
        screening=row.get("screening", {}),
        breaches=row.get("breaches", {}),
    )


def _targets(
    own: Mapping[str, Any], sums: SummedRows, term: str, year: int, by_year: dict[int, YearFigures]
) -> tuple[TargetProgress, ...]:
    progress = []
    for metric in TargetMetric:
        actual = ACTUALS[metric]
        target = _own_or_sum(own, sums, f"target:{term}:{metric}", "target")
        plan = _own_or_sum(own, sums, f"plan:{year}:{metric}", "planned")
        term_actual = sum(getattr(by_year[y], actual) for y in term_years(term))
        progress.append(
            TargetProgress(metric.value, metric.label_vi, target, term_actual, plan, getattr(by_year[year], actual))
        )
    return tuple(progress)


def _planned_in(own: Mapping[str, Any], sums: SummedRows, year: int, metric: TargetMetric) -> int | None:
    return _own_or_sum(own, sums, f"plan:{year}:{metric}", "planned")


def _own_or_sum(own: Mapping[str, Any], sums: SummedRows, key: str, figure: str) -> int | None:
    """The figure of the first unit's own row at `key`, or else the sum of the other units' (None if none has
    one). `sums` covers every unit; the first has no row at `key` when it is summed, so it adds nothing."""
    row: TargetRow | PlanRow | None = own.get(key)
    if row is not None:
        return int(row[figure])  # type: ignore[literal-required]  # "target" of a TargetRow, "planned" of a PlanRow
    summed = sums.get(key)
    return int(summed["sum"].get(figure, 0)) if summed is not None and summed["n"] else None


@dataclass(frozen=True)
class YearProgress:
    year: int
    actual: int
    plan: int | None


def yearly_progress(connection: sa.Connection, units: list[str], term: str) -> dict[str, tuple[YearProgress, ...]]:
    """Each target metric, year by year over the term: what was done against that year's plan (for a chart;
    one read for all years instead of one dashboard per year)."""
    chosen = distinct_units(units)
    years = term_years(term)
    version = version_of(connection, "unit_dashboard")
    rows = summed_rows(connection, "unit_dashboard", version, {"": chosen}, [f"year:{y}" for y in years])[""]
    summed = sums_only(rows)
    figures = {y: _figures(y, summed.get(f"year:{y}", {})) for y in years}
    keys = [f"plan:{y}:{metric}" for y in years for metric in TargetMetric]
    plans_version = version_of(connection, "unit_plans")
    sums = summed_rows(connection, "unit_plans", plans_version, {"": chosen}, keys)[""]
    own = keyed_rows(connection, "unit_plans", plans_version, chosen[:1], keys)[chosen[0]]
    return {
        metric.value: tuple(
            YearProgress(y, getattr(figures[y], ACTUALS[metric]), _planned_in(own, sums, y, metric)) for y in years
        )
        for metric in TargetMetric
    }
