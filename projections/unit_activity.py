"""How much each unit records: steps per month by event type, and the last step (a "pulse" for dashboards).

Rows: `month:<yyyy-mm>` → {event type: count} by `recorded_at`; `last` → {position, event_type, occurred_on,
recorded_at}. Counting rows make any double application visible, which the exactly-once tests rely on.
"""

from __future__ import annotations

from .base import Applied
from .rows import Row, UnitRows

name = "unit_activity"
version = 1
event_types: frozenset[str] | None = None


def apply(rows: UnitRows, applied: Applied) -> None:
    envelope = applied.envelope
    month = envelope.recorded_at.strftime("%Y-%m")

    def count(row: Row) -> None:
        row[envelope.event_type] = row.get(envelope.event_type, 0) + 1

    rows.update(f"month:{month}", count)
    rows.put(
        "last",
        {
            "position": envelope.position,
            "event_type": envelope.event_type,
            "occurred_on": envelope.occurred_on.isoformat(),
            "recorded_at": envelope.recorded_at.isoformat(),
        },
    )
