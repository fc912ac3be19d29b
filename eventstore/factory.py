"""Open the right adapter for a database URL, so callers never branch on the backend."""

from __future__ import annotations

from pathlib import Path

from domain.codec import EVENTS, EventCodec

from .memory import MemoryEventStore
from .postgres import PostgresEventStore
from .sqlite import SqliteEventStore
from .store import Clock, EventStore, utc_now


def open_store(
    url: str | Path, *, codec: EventCodec = EVENTS, clock: Clock = utc_now, create: bool = True, durable: bool = True
) -> EventStore:
    """`postgresql://…` gives the production adapter; `sqlite:///…` or a file path the embedded one;
    `memory://` a new, empty log in this process's memory (fast tests of use cases).

    `durable=False` is for bulk loads that are redone if interrupted (the seed): commits stop waiting for disk.
    """
    text = str(url)
    store: PostgresEventStore | SqliteEventStore
    if text.startswith("memory://"):
        return MemoryEventStore(codec=codec, clock=clock)
    if text.startswith(("postgresql", "postgres://")):
        store = PostgresEventStore.from_url(text, codec=codec, clock=clock, durable=durable)
    elif text.startswith("sqlite") or "://" not in text:
        store = SqliteEventStore.from_url(text, codec=codec, clock=clock, durable=durable)
    else:
        raise ValueError(
            f"unsupported database URL {text.split('://')[0]!r}: use postgresql://, sqlite:/// or memory://"
        )
    if create:
        try:
            store.create_schema()
        except BaseException:
            store.close()  # an unreferenced open pool is reaped by the GC, possibly on its own worker thread
            raise
    return store
