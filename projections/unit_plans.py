"""Term targets from the congress resolution and yearly plans, per unit (DOMAIN.md §5).

Rows: `target:<term>:<metric>` → `TargetRow`; `plan:<year>:<metric>` → `PlanRow`. A later resolution for the
same key replaces the earlier one.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from domain.privacy import NotPersonal
from domain.units.events import TermTargetSet, YearlyPlanSet

from .base import Applied, event_names
from .row_kinds import RowKind
from .rows import UnitRows

name = "unit_plans"
version = 1
event_types: frozenset[str] | None = event_names(TermTargetSet, YearlyPlanSet)


class TargetRow(TypedDict):
    """`metric` is a `TargetMetric` value; `set_on` the resolution's date (ISO)."""

    term: Annotated[str, NotPersonal.PROCEDURE]
    metric: Annotated[str, NotPersonal.PROCEDURE]
    target: Annotated[int, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]
    set_on: Annotated[str, NotPersonal.PROCEDURE]


class PlanRow(TypedDict):
    year: Annotated[int, NotPersonal.PROCEDURE]
    metric: Annotated[str, NotPersonal.PROCEDURE]
    planned: Annotated[int, NotPersonal.PROCEDURE]
    set_on: Annotated[str, NotPersonal.PROCEDURE]


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


ROWS = (
    RowKind("target:<term>:<metric>", TargetRow, NotPersonal.PROCEDURE),
    RowKind("plan:<year>:<metric>", PlanRow, NotPersonal.PROCEDURE),
)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
