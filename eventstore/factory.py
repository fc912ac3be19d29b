"""Open the right adapter for a database URL, so callers never branch on the backend."""

from __future__ import annotations

from pathlib import Path

from domain.codec import EVENTS, EventCodec

from .field_cipher import FieldCipher
from .memory import MemoryEventStore
from .postgres import PostgresEventStore
from .sqlite import SqliteEventStore
from .store import Clock, EventStore, utc_now
from .subject_keys import Keyring, MemoryKeyTable, SqlKeyTable, SubjectKeys


def open_store(
    url: str | Path,
    *,
    codec: EventCodec = EVENTS,
    clock: Clock = utc_now,
    create: bool = True,
    durable: bool = True,
    keyring: Keyring | None = None,
) -> EventStore:
    """`postgresql://…` gives the production adapter; `sqlite:///…` or a file path the embedded one;
    `memory://` a new, empty log in this process's memory (fast tests of use cases).

    `durable=False` is for bulk loads that are redone if interrupted (the seed): commits stop waiting for disk.
    With a `keyring` the store seals personal fields with each subject's key, kept in the key table that
    belongs to this log (`SqlKeyTable.for_log`; I13); without one it writes and reads events as they are.
    """
    text = str(url)
    store: PostgresEventStore | SqliteEventStore
    if text.startswith("memory://"):
        memory = MemoryEventStore(codec=codec, clock=clock)
        if keyring is not None:
            memory.cipher = FieldCipher(SubjectKeys(MemoryKeyTable(), keyring), codec)
        return memory
    if text.startswith(("postgresql", "postgres://")):
        store = PostgresEventStore.from_url(text, codec=codec, clock=clock, durable=durable)
    elif text.startswith("sqlite") or "://" not in text:
        store = SqliteEventStore.from_url(text, codec=codec, clock=clock, durable=durable)
    else:
        raise ValueError(
            f"unsupported database URL {text.split('://')[0]!r}: use postgresql://, sqlite:/// or memory://"
        )
    if keyring is not None:
        table = SqlKeyTable.for_log(text)
        store.cipher = FieldCipher(SubjectKeys(table, keyring), codec)
    try:
        if create:
            store.create_schema()
        if keyring is not None:
            table.create()  # even on an existing log: a log from before encryption gets its key table here (no DDL
            # when the migration made it, so the app role needs no right to create)
    except BaseException:
        store.close()  # an unreferenced open pool is reaped by the GC, possibly on its own worker thread
        raise
    return store
