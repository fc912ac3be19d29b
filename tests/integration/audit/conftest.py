"""A log on each database with a clock the test moves, so papers can be entered late (I9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import open_store
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from tests.support.stores import AnyStore, sqlite_url


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
def store(ledger_url: str, clock: MovingClock) -> Iterator[AnyStore]:
    opened = open_store(ledger_url, codec=EVENTS, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def engine(ledger_url: str, store: AnyStore) -> Iterator[sa.Engine]:
    created = projection_engine(ledger_url)
    create_projection_tables(created)
    yield created
    created.dispose()
