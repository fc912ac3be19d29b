"""A pooled connection whose backend was terminated (pg_terminate_backend, a failover) costs no request: reads
and keyed appends are tried again on another connection; an append without a key keeps its error, because
whether it committed is unknown (eventstore/postgres_retry.py, found by the soak)."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from eventstore.postgres import PostgresEventStore
from tests.support.events import CODEC, noted


@pytest.fixture
def store(postgres_url: str) -> Iterator[PostgresEventStore]:
    opened = PostgresEventStore.from_url(postgres_url, codec=CODEC, pool_size=1)
    opened.create_schema()
    yield opened
    opened.close()


def _terminate_pooled_backend(store: PostgresEventStore, url: str) -> None:
    """Kill the one idle pooled connection's backend, as an administrator would."""
    with store.pool.connection() as connection:
        pid = connection.info.backend_pid
    with psycopg.connect(url, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone() == (True,)


def test_a_read_on_a_terminated_connection_is_served_by_another(store: PostgresEventStore, postgres_url: str) -> None:
    store.append("notes-1", [noted("first")], expected_version=0, idempotency_key="note-1")
    _terminate_pooled_backend(store, postgres_url)

    assert [e.data for e in store.read_stream("notes-1")] == [{"text": "first"}]


def test_a_keyed_append_on_a_terminated_connection_is_recorded_once(
    store: PostgresEventStore, postgres_url: str
) -> None:
    _terminate_pooled_backend(store, postgres_url)

    result = store.append("notes-2", [noted("kept")], expected_version=0, idempotency_key="note-2")

    assert (result.stream_version, result.duplicate) == (1, False)
    assert store.stream_version("notes-2") == 1


def test_an_append_without_a_key_keeps_its_error(store: PostgresEventStore, postgres_url: str) -> None:
    _terminate_pooled_backend(store, postgres_url)

    with pytest.raises(psycopg.OperationalError):
        store.append("notes-3", [noted("unsure")], expected_version=0)
    assert store.stream_version("notes-3") == 0
