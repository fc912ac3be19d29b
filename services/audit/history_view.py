"""A page of the log as auditors read it: each event exactly as stored, its hashes, and whether it still fits
its stream's chain (the API's answer and the dashboard's table alike)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from eventstore import EventStore, RecordedEvent
from eventstore.canonical import GENESIS_HASH
from eventstore.field_cipher import SealBroken
from eventstore.history import previous_links
from eventstore.store import opened
from eventstore.verify import check_row


class HistoryEvent(msgspec.Struct, frozen=True):
    """An event exactly as the log holds it, its hashes, and whether it still fits its stream's chain."""

    position: int
    stream_id: str
    stream_version: int
    unit_id: str
    also_unit_id: str | None
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    occurred_on: date
    recorded_at: datetime
    prev_hash: str
    hash: str
    chain: str
    """ok | changed | removed | inserted (see `partyledger verify`)."""


class HistoryPage(msgspec.Struct, frozen=True):
    events: list[HistoryEvent]
    next_cursor: str | None


def history_page(store: EventStore, events: list[RecordedEvent], limit: int) -> HistoryPage:
    """A page of events with each one's chain status (the API's answer and the dashboard's table)."""
    links = previous_links(store, events)
    shown = []
    store.cipher.prefetch(events)
    for event in events:
        previous = (event.stream_id, event.stream_version - 1)
        prev_hash = GENESIS_HASH if event.stream_version == 1 else links.get(previous)
        problem = check_row(event, event.stream_version - 1, prev_hash) if prev_hash is not None else None
        chain = "removed" if prev_hash is None else (problem.kind if problem else "ok")
        readable = shown_to_auditor(store, event)
        shown.append(
            HistoryEvent(
                event.position,
                event.stream_id,
                event.stream_version,
                event.unit_id,
                event.also_unit_id,
                event.event_type,
                event.schema_version,
                readable.data,
                readable.metadata,
                event.occurred_on,
                event.recorded_at,
                event.prev_hash.hex(),
                event.hash.hex(),
                chain,
            )
        )
    following = str(events[-1].position) if len(events) == limit else None
    return HistoryPage(shown, following)


def shown_to_auditor(store: EventStore, event: RecordedEvent) -> RecordedEvent:
    """The row with its personal fields opened for an auditor of the subtree (I13); a sealed field that no
    longer opens (changed behind the application's back) is shown as stored, beside its failed chain status."""
    try:
        return opened(store.cipher, event)
    except SealBroken:
        return event
