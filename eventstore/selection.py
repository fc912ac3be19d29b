"""What an auditor's reads select: the history filter, and the (position, hash) pairs a seal binds.

Plain values, shared by the `EventStore` interface and every adapter that answers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """Which events: of these units (or any), of one stream, of these types, by one actor, in date ranges on
    either clock (`occurred_*` inclusive dates; `recorded_from` inclusive, `recorded_before` exclusive)."""

    units: Sequence[str] | None = None
    stream_id: str | None = None
    event_types: Sequence[str] | None = None
    actor: str | None = None
    occurred_from: date | None = None
    occurred_to: date | None = None
    recorded_from: datetime | None = None
    recorded_before: datetime | None = None
    known_by: tuple[date, datetime] | None = None
    """(d, t): events dated on or before d OR recorded before t — both clocks' answers in one read."""


@dataclass(frozen=True, slots=True)
class PositionHash:
    position: int
    hash: bytes
