"""One contract suite, every adapter: each test runs against SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from eventstore import EventStore
from tests.support.events import CODEC
from tests.support.stores import Backdoor, open_for_test, sqlite_url


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return sqlite_url(tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    opened = open_for_test(store_url, CODEC)
    yield opened
    opened.close()


@pytest.fixture
def backdoor(store_url: str) -> Backdoor:
    return Backdoor(store_url)
