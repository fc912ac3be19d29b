"""How much each unit records: steps per month by event type, and the last step (a "pulse" for dashboards).

Rows: `month:<yyyy-mm>` → `MonthRow` by `recorded_at`; `last` → `LastRow`. Counting rows make any double
application visible, which the exactly-once tests rely on.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, TypedDict

import domain.ledger_migration  # noqa: F401  (registers `LogMigrated`, which this read model counts like every event)
from domain.privacy import NotPersonal

from .base import Applied
from .row_kinds import RowKind
from .rows import Iso, UnitRows

name = "unit_activity"
version = 1
event_types: frozenset[str] | None = None

MonthRow = Annotated[dict[str, int], NotPersonal.AGGREGATE]
"""Event type → events recorded that month."""


class LastRow(TypedDict):
    """The unit's latest event; its dates are `Iso` while a batch is applied, their ISO text once stored."""

    position: Annotated[int, NotPersonal.PROCEDURE]
    event_type: Annotated[str, NotPersonal.PROCEDURE]
    occurred_on: Annotated[Iso | str, NotPersonal.PROCEDURE]
    recorded_at: Annotated[Iso | str, NotPersonal.PROCEDURE]


def apply(rows: UnitRows, applied: Applied) -> None:
    envelope = applied.envelope
    recorded = envelope.recorded_at
    kind = envelope.event_type
    month = rows.edit(_month_key(recorded.year, recorded.month), MonthRow)
    month[kind] = month.get(kind, 0) + 1
    last = rows.edit("last", LastRow)
    last["position"], last["event_type"] = envelope.position, kind
    last["occurred_on"], last["recorded_at"] = Iso(envelope.occurred_on), Iso(recorded)  # formatted once a batch


@lru_cache(maxsize=1024)
def _month_key(year: int, month: int) -> str:
    """Every event of a unit names its month: formatted once per month, not once per event."""
    return f"month:{year:04d}-{month:02d}"


ROWS = (
    RowKind("month:<yyyy-mm>", MonthRow, NotPersonal.PROCEDURE),
    RowKind("last", LastRow, NotPersonal.PROCEDURE),
)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
