"""Append domain events straight to a store for projection tests (the handlers are tested on their own)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from domain.codec import EVENTS
from domain.units.events import TargetMetric, TermTargetSet, YearlyPlanSet
from eventstore import AppendResult, EventMetadata, EventStore, NewEvent


def envelope(event: Any, unit_id: str, on: date) -> NewEvent:
    event_type, schema_version, data = EVENTS.encode(event)
    meta = EventMetadata("user-test", unit_id, "provincial_admin", "qd24-2021", str(uuid.uuid4()))
    return NewEvent(event_type, data, on, unit_id, meta, schema_version)


def set_target(store: EventStore, unit_id: str, target: int, term: str = "2020-2025") -> AppendResult:
    stream = f"plans-{unit_id}"
    event = TermTargetSet(unit_id, term, TargetMetric.ADMISSIONS, target, "NQ 01-NQ/ĐH")
    return store.append(
        stream, [envelope(event, unit_id, date(2020, 10, 1))], expected_version=store.stream_version(stream)
    )


def set_plan(store: EventStore, unit_id: str, year: int, planned: int) -> AppendResult:
    stream = f"plans-{unit_id}"
    event = YearlyPlanSet(unit_id, year, TargetMetric.ADMISSIONS, planned)
    return store.append(
        stream, [envelope(event, unit_id, date(year, 1, 15))], expected_version=store.stream_version(stream)
    )
