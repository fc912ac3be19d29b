"""A log and its read-model tables on each database, with a runner over a chosen list of projections."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore, open_store
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from tests.support.stores import sqlite_url


@pytest.fixture(params=["sqlite", "postgres"])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return sqlite_url(tmp_path)


@pytest.fixture
def store(ledger_url: str) -> Iterator[EventStore]:
    opened = open_store(ledger_url, codec=EVENTS)
    yield opened
    opened.close()


@pytest.fixture
def engine(ledger_url: str, store: EventStore) -> Iterator[sa.Engine]:
    created = projection_engine(ledger_url)
    create_projection_tables(created)
    yield created
    created.dispose()
