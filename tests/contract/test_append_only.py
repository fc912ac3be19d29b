"""I1: the database itself refuses to change or remove a row of the log, whoever asks."""

from __future__ import annotations

import pytest

from eventstore import EventStore
from tests.support.events import CODEC, noted
from tests.support.stores import Backdoor, open_for_test


@pytest.mark.parametrize("store_url", ["sqlite", "postgres"], indirect=True)  # the databases' own triggers
@pytest.mark.parametrize(
    "statement",
    [
        'UPDATE event_log SET data = \'{"text": "rewritten"}\'',
        "DELETE FROM event_log",
        "DELETE FROM event_log WHERE stream_version = 1",
        "UPDATE idempotency_keys SET stream_version = 9",
        "DELETE FROM log_seals",
    ],
)
def test_update_and_delete_are_refused_by_the_database(store: EventStore, backdoor: Backdoor, statement: str) -> None:
    store.append("file-1", [noted("original")], expected_version=0, idempotency_key="k")
    store.seal()

    with pytest.raises(backdoor.refusal, match="append-only"):
        backdoor.execute(statement)

    assert [e.data["text"] for e in store.read_stream("file-1")] == ["original"]
    assert len(store.seals()) == 1


def test_truncate_is_refused_on_postgres(postgres_url: str) -> None:
    """SQLite has no TRUNCATE (its `DELETE FROM event_log` is refused above); PostgreSQL refuses it."""
    store = open_for_test(postgres_url, CODEC)
    backdoor = Backdoor(postgres_url)
    store.append("file-1", [noted()], expected_version=0)
    for table in ("event_log", "idempotency_keys", "log_seals", "seal_timestamps"):
        with pytest.raises(backdoor.refusal, match="append-only"):
            backdoor.execute(f"TRUNCATE {table}")
    assert len(store.read_stream("file-1")) == 1
    store.close()
