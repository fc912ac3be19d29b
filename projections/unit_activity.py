"""How much each unit records: steps per month by event type, and the last step (a "pulse" for dashboards).

Rows: `month:<yyyy-mm>` → {event type: count} by `recorded_at`; `last` → {position, event_type, occurred_on,
recorded_at}. Counting rows make any double application visible, which the exactly-once tests rely on.
"""

from __future__ import annotations

from .base import Applied
from .rows import UnitRows

name = "unit_activity"
version = 1
event_types: frozenset[str] | None = None


def apply(rows: UnitRows, applied: Applied) -> None:
    envelope = applied.envelope
    recorded = envelope.recorded_at
    kind = envelope.event_type
    month = rows.edit(f"month:{recorded.year:04d}-{recorded.month:02d}")
    month[kind] = month.get(kind, 0) + 1
    last = rows.edit("last")
    last["position"], last["event_type"] = envelope.position, kind
    last["occurred_on"], last["recorded_at"] = envelope.occurred_on.isoformat(), recorded.isoformat()
