"""Event types for the store's own tests, so the contract suite does not depend on the party's domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.codec import EventCodec
from eventstore import EventMetadata, LeanEvent, NewEvent

CODEC = EventCodec()


@CODEC.register
@dataclass(frozen=True)
class Noted:
    event_type: ClassVar[str] = "Noted"
    schema_version: ClassVar[int] = 1
    text: str


@CODEC.register
@dataclass(frozen=True)
class Counted:
    event_type: ClassVar[str] = "Counted"
    schema_version: ClassVar[int] = 1
    count: int


def metadata(**overrides: str) -> EventMetadata:
    values = {
        "actor": "user-thu",
        "acting_unit": "unit-cell-1",
        "role": "cell_secretary",
        "rule_set": "qd24-2021",
        "correlation_id": str(uuid.uuid4()),
    }
    values.update(overrides)
    return EventMetadata(**values)


def noted(text: str = "Chi bộ họp xét", unit: str = "unit-cell-1", on: date = date(2021, 12, 15)) -> NewEvent:
    return NewEvent("Noted", {"text": text}, on, unit, metadata(acting_unit=unit))


def texts(events: Iterable[LeanEvent]) -> list[str]:
    """The `text` of each `Noted` a unit read returned, decoded as the runner decodes it."""
    return [CODEC.decode_json(e.event_type, e.schema_version, e.data_json).text for e in events]
