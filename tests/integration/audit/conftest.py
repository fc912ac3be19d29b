"""A log on each database with a clock the test moves, so papers can be entered late (I9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore, open_store
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from tests.support.stores import settle, sqlite_url


class MovingClock:
    """The server clock as the test sets it: `recorded_at` of the next append."""

    def __init__(self) -> None:
        self.now = datetime(2020, 1, 1, 2, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return sqlite_url(tmp_path)


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock()


@pytest.fixture
def store(ledger_url: str, clock: MovingClock) -> Iterator[EventStore]:
    opened = open_store(ledger_url, codec=EVENTS, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def engine(ledger_url: str, store: EventStore) -> Iterator[sa.Engine]:
    created = projection_engine(ledger_url)
    create_projection_tables(created)
    yield created
    created.dispose()


@pytest.fixture
def target_url(ledger_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty second database of the same kind, for a restore."""
    if ledger_url.startswith("postgresql"):
        url: str = request.getfixturevalue("other_database")
        return url
    return f"sqlite:///{tmp_path / 'restored.sqlite3'}"


@pytest.fixture
def school_log(store: EventStore, clock: MovingClock) -> EventStore:
    """The school's 2020 with the late decision, sealed once in the middle and once at the end."""
    from tests.integration.audit.late_papers import ENTERED_ON, append, on_time_and_late, register_units, the_year

    register_units(store, clock)
    ledger, _ = the_year()
    on_time, late = on_time_and_late(ledger)
    append(store, clock, on_time[:8])
    settle(store)
    store.seal()
    append(store, clock, on_time[8:])
    append(store, clock, late, entered_on=ENTERED_ON)
    settle(store)
    store.seal()
    return store
