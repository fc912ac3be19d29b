"""Term targets from the congress resolution and yearly plans, per unit (DOMAIN.md §5).

Rows: `target:<term>:<metric>` → {term, metric, target, reference, set_on}; `plan:<year>:<metric>` →
{year, metric, planned, set_on}. A later resolution for the same key replaces the earlier one.
"""

from __future__ import annotations

from domain.units.events import TermTargetSet, YearlyPlanSet

from .base import Applied
from .rows import UnitRows

name = "unit_plans"
version = 1
event_types: frozenset[str] | None = frozenset({"TermTargetSet", "YearlyPlanSet"})


def apply(rows: UnitRows, applied: Applied) -> None:
    event, on = applied.event, applied.envelope.occurred_on.isoformat()
    if isinstance(event, TermTargetSet):
        rows.put(
            f"target:{event.term}:{event.metric}",
            {
                "term": event.term,
                "metric": str(event.metric),
                "target": event.target,
                "reference": event.reference,
                "set_on": on,
            },
        )
    elif isinstance(event, YearlyPlanSet):
        rows.put(
            f"plan:{event.year}:{event.metric}",
            {"year": event.year, "metric": str(event.metric), "planned": event.planned, "set_on": on},
        )
