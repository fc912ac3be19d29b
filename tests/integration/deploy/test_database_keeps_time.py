"""I14: for the app role the database decides `recorded_at` and `position`; only the owner writes past times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from eventstore import open_store
from eventstore.canonical import GENESIS_HASH, canonical_json, chain_hash, content_digest
from eventstore.postgres_append import POSITION
from services.migrations.run import upgrade
from tests.support.events import CODEC, metadata, noted

from .conftest import as_role

OWN_BLOCK = POSITION.replace("(SELECT xid_offset FROM log_position_offset)", "partyledger_xid_offset()") + " + 1"
INSERT = (
    "INSERT INTO event_log (position, stream_id, stream_version, unit_id, event_type, schema_version, data, "
    "metadata, occurred_on, recorded_at, prev_hash, hash) "
    "VALUES ({position}, 'file-forged', 1, 'unit-cell-1', 'Noted', 1, %s, %s, '2021-12-15', %s, %s, %s)"
)


def forged_row(recorded_at: datetime) -> tuple[str, str, datetime, bytes, bytes]:
    """A first event of a stream, correctly hashed over the `recorded_at` it claims."""
    data, meta = {"text": "back-dated"}, metadata(actor="someone-else").as_json(None)
    digest = content_digest(
        stream_id="file-forged", stream_version=1, unit_id="unit-cell-1", event_type="Noted", schema_version=1,
        data=data, metadata=meta, occurred_on=datetime(2021, 12, 15).date(), recorded_at=recorded_at,
    )  # fmt: skip
    return (canonical_json(data).decode(), canonical_json(meta).decode(), recorded_at, GENESIS_HASH,
            chain_hash(GENESIS_HASH, digest))  # fmt: skip


@pytest.fixture
def app_url(postgres_url: str, app_role: tuple[str, str]) -> str:
    upgrade(postgres_url, *app_role)
    return as_role(postgres_url, *app_role)


def test_the_app_role_cannot_back_date_an_event(app_url: str) -> None:
    last_year = datetime.now(UTC) - timedelta(days=365)
    with psycopg.connect(app_url, autocommit=True) as app, pytest.raises(psycopg.Error, match="database's present"):
        app.execute(INSERT.format(position=OWN_BLOCK), forged_row(last_year))
    store = open_store(app_url, codec=CODEC)
    assert store.read_stream("file-forged") == []
    store.close()


def test_the_app_role_cannot_choose_a_position(app_url: str) -> None:
    with psycopg.connect(app_url, autocommit=True) as app, pytest.raises(psycopg.Error, match="not this transaction"):
        app.execute(INSERT.format(position=1), forged_row(datetime.now(UTC)))


def test_appends_by_the_app_role_keep_verifying(app_url: str) -> None:
    store = open_store(app_url, codec=CODEC)
    first = store.append("file-1", [noted("one"), noted("two")], expected_version=0)
    store.append("file-1", [noted("three")], expected_version=first.stream_version)
    store.seal()
    report = store.verify()
    store.close()
    assert report.ok and report.events_checked == 3, report.summary()


def test_the_owner_still_restores_recorded_times(postgres_url: str, app_url: str) -> None:
    last_year = datetime.now(UTC) - timedelta(days=365)
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(INSERT.format(position=1), forged_row(last_year))
    store = open_store(postgres_url, codec=CODEC)
    assert [e.recorded_at for e in store.read_stream("file-forged")] == [last_year]
    assert store.verify().ok
    store.close()


def test_the_app_role_cannot_back_date_an_idempotency_key_or_a_seal(app_url: str) -> None:
    """The keys' `recorded_at` and the seals' `sealed_at` are the database's too (step 7)."""
    store = open_store(app_url, codec=CODEC)
    store.append("file-1", [noted("one")], expected_version=0)
    store.close()
    last_year = datetime.now(UTC) - timedelta(days=365)
    with psycopg.connect(app_url, autocommit=True) as app:
        with pytest.raises(psycopg.Error, match="recorded_at is the database's to write"):
            app.execute("INSERT INTO idempotency_keys VALUES ('forged', '\\x00', 'file-1', 1, 1, 1, %s)", (last_year,))
        with pytest.raises(psycopg.Error, match="sealed_at is the database's to write"):
            app.execute("INSERT INTO log_seals VALUES (1, 1, 1, %s, %s, %s)", (GENESIS_HASH, GENESIS_HASH, last_year))
        assert app.execute("SELECT count(*) FROM log_seals").fetchone() == (0,)


def test_keys_and_seals_written_by_the_app_role_carry_the_databases_time(app_url: str) -> None:
    store = open_store(app_url, codec=CODEC)
    store.append("file-1", [noted("one")], expected_version=0, idempotency_key="user:key-1")
    made = store.seal()
    store.close()
    with psycopg.connect(app_url, autocommit=True) as app:
        row = app.execute("SELECT now() - recorded_at FROM idempotency_keys WHERE key = 'user:key-1'").fetchone()
        sealed = app.execute("SELECT sealed_at FROM log_seals").fetchone()
    assert row is not None and timedelta(0) <= row[0] < timedelta(minutes=1)
    assert made is not None and sealed == (made.sealed_at,)
