"""Term targets from the congress resolution and yearly plans, per unit (DOMAIN.md §5).

Rows: `target:<term>:<metric>` → `TargetRow`; `plan:<year>:<metric>` → `PlanRow`. A later resolution for the
same key replaces the earlier one.
"""

from __future__ import annotations

from typing import TypedDict

from domain.units.events import TermTargetSet, YearlyPlanSet

from .base import Applied, event_names
from .rows import UnitRows

name = "unit_plans"
version = 1
event_types: frozenset[str] | None = event_names(TermTargetSet, YearlyPlanSet)


class TargetRow(TypedDict):
    """`metric` is a `TargetMetric` value; `set_on` the resolution's date (ISO)."""

    term: str
    metric: str
    target: int
    reference: str
    set_on: str


class PlanRow(TypedDict):
    year: int
    metric: str
    planned: int
    set_on: str


def apply(rows: UnitRows, applied: Applied) -> None:
    event, on = applied.event, applied.envelope.occurred_on.isoformat()
    if isinstance(event, TermTargetSet):
        target: TargetRow = {
            "term": event.term,
            "metric": str(event.metric),
            "target": event.target,
            "reference": event.reference,
            "set_on": on,
        }
        rows.put(f"target:{event.term}:{event.metric}", target)
    elif isinstance(event, YearlyPlanSet):
        plan: PlanRow = {"year": event.year, "metric": str(event.metric), "planned": event.planned, "set_on": on}
        rows.put(f"plan:{event.year}:{event.metric}", plan)
