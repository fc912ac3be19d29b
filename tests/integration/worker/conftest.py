"""A PostgreSQL log and a real `celery worker` process per test, on its own queue so runs never collide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import open_store
from eventstore.postgres import PostgresEventStore
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from services.settings import Settings
from tests.support.person_ids import KEY_SETTING
from tests.support.queues import queue_name


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresEventStore]:
    opened = open_store(postgres_url, codec=EVENTS)
    assert isinstance(opened, PostgresEventStore)
    yield opened
    opened.close()


@pytest.fixture
def engine(postgres_url: str, store: PostgresEventStore) -> Iterator[sa.Engine]:
    created = projection_engine(postgres_url)
    create_projection_tables(created)
    yield created
    created.dispose()


def worker_env(postgres_url: str, broker_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": broker_url,
        "PARTYLEDGER_QUEUE": queue_name("test"),
        "PARTYLEDGER_DATA_DIR": str(data_dir),
        **KEY_SETTING,
        **extra,
    }


def settings_of(env: dict[str, str]) -> Settings:
    return Settings.from_environment(env)
