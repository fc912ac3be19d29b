"""One contract suite, every adapter: each test runs against memory, SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from domain.codec import EventCodec
from eventstore import EventStore
from eventstore.memory import MemoryEventStore, MemoryLog
from tests.support.events import CODEC
from tests.support.stores import MEMORY_URL, Backdoor, OpenLog, open_for_test, sqlite_url
from tests.support.tampering import MemoryTamperer, SqlTamperer, Tamperer


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return MEMORY_URL if request.param == "memory" else sqlite_url(tmp_path)


@pytest.fixture
def open_log(store_url: str) -> OpenLog:
    shared = MemoryLog()

    def opened(codec: EventCodec) -> EventStore:
        return MemoryEventStore(shared, codec=codec) if store_url == MEMORY_URL else open_for_test(store_url, codec)

    return opened


@pytest.fixture
def store(open_log: OpenLog) -> Iterator[EventStore]:
    opened = open_log(CODEC)
    yield opened
    opened.close()


@pytest.fixture
def backdoor(store_url: str) -> Backdoor:
    """Raw SQL on the database: only the SQL adapters have one."""
    return Backdoor(store_url)


@pytest.fixture
def tamper(store: EventStore, store_url: str) -> Tamperer:
    if isinstance(store, MemoryEventStore):
        return MemoryTamperer(store.log)
    return SqlTamperer(Backdoor(store_url))
