"""Reads auditors need: filtered history, chain neighbours, whole streams of a subtree, the hash column.

Each is a method of every adapter (`EventStore`); these functions are the auditors' vocabulary over them.
Rows come exactly as stored, never upcast: an auditor sees the row its hash covers. History reads every
committed event, horizon or not, like `unit_history`, except `read_history`'s pages (I4).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .envelope import RecordedEvent
from .selection import HistoryFilter, PositionHash
from .store import EventStore, opened

__all__ = [
    "HistoryFilter",
    "PositionHash",
    "events_of_streams",
    "position_hashes",
    "previous_links",
    "read_history",
    "read_matching",
    "streams_touching",
]


def read_history(
    store: EventStore, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100
) -> list[RecordedEvent]:
    """One page of matching events after `after_position`, in log order, exactly as stored; on PostgreSQL
    below the horizon, so that a cursor never moves past an event that commits later (I4)."""
    return store.read_history(chosen, after_position=after_position, limit=limit)


def read_matching(store: EventStore, chosen: HistoryFilter, batch: int = 20_000) -> list[RecordedEvent]:
    """Every matching event (an "as of" replay of one unit, a person's file), personal fields opened (I13):
    what a replay decodes, not what a hash covers."""
    found: list[RecordedEvent] = []
    while True:
        page = store.read_history(chosen, after_position=found[-1].position if found else 0, limit=batch)
        store.cipher.prefetch(page)
        found += [opened(store.cipher, event) for event in page]
        if len(page) < batch:
            return found


def previous_links(store: EventStore, events: Sequence[RecordedEvent]) -> dict[tuple[str, int], bytes]:
    """(stream, version) → hash of the event before each given one, for chain status on a page."""
    return store.chain_hashes(sorted({(e.stream_id, e.stream_version - 1) for e in events if e.stream_version > 1}))


def streams_touching(store: EventStore, units: Sequence[str]) -> list[str]:
    """Streams with at least one event filed under (or also naming) one of `units`."""
    return store.streams_touching(units)


def events_of_streams(store: EventStore, streams: Sequence[str]) -> Iterator[RecordedEvent]:
    """Every event of the given streams, stream by stream in version order."""
    return store.iter_streams_raw(streams)


def position_hashes(store: EventStore, batch: int = 50_000) -> Iterator[PositionHash]:
    """(position, hash) of every event in log order: all a seal binds."""
    return store.iter_hashes(batch_size=batch)
