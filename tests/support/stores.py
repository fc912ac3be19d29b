"""Open each adapter for the contract suite, and reach under it as an attacker with database access would."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from domain.codec import EventCodec
from eventstore import EventStore, open_store
from eventstore.postgres import PostgresEventStore

MEMORY_URL = "memory://"
OpenLog = Callable[[EventCodec], EventStore]
"""Opens another store over a test's log, as another process would (with its own codec, say)."""


def settle(store: EventStore, timeout: float = 20.0) -> None:
    """Wait until readers see every committed event: on a shared PostgreSQL cluster any open transaction
    (another database's test, a worker) holds the horizon back for a moment (I4: readers never skip)."""
    if not isinstance(store, PostgresEventStore):
        return
    with store._connection() as connection:
        row = connection.execute("SELECT coalesce(max(position), 0) FROM event_log").fetchone()
    newest = int(row[0]) if row else 0
    deadline = time.monotonic() + timeout
    while store.head_position() < newest and time.monotonic() < deadline:
        time.sleep(0.05)


class Backdoor:
    """Raw SQL on the log's database, bypassing the application (for append-only and tamper tests)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_postgres = url.startswith("postgresql")

    @contextmanager
    def _connect(self) -> Iterator[Any]:
        if self.is_postgres:
            with psycopg.connect(self.url, autocommit=True) as connection:
                yield connection
        else:
            lite = sqlite3.connect(self.url.removeprefix("sqlite:///"), isolation_level=None)
            try:
                yield lite
            finally:
                lite.close()

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if not self.is_postgres:
            sql = sql.replace("%s", "?")
        with self._connect() as connection:
            cursor = connection.execute(sql, parameters)
            return list(cursor.fetchall()) if cursor.description else []

    def disable_append_only(self) -> None:
        """What a tamperer with owner rights does first."""
        if self.is_postgres:
            self.execute("ALTER TABLE event_log DISABLE TRIGGER USER")
        else:
            for operation in ("update", "delete"):
                self.execute(f"DROP TRIGGER event_log_no_{operation}")

    @property
    def refusal(self) -> type[Exception]:
        return psycopg.Error if self.is_postgres else sqlite3.DatabaseError


def open_for_test(url: str, codec: EventCodec) -> EventStore:
    return open_store(url, codec=codec)


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'ledger.sqlite3'}"
