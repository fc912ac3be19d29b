"""Readers' horizon on a shared cluster: other databases' transactions never stall the log, this one's do (I4)."""

from __future__ import annotations

import psycopg

from eventstore import open_store
from eventstore.postgres_schema import LOCAL_HORIZON
from tests.support.events import CODEC, noted, texts


def _hold_a_transaction_open(url: str) -> psycopg.Connection[tuple[object, ...]]:
    """A writer that has taken a transaction id and neither commits nor rolls back."""
    connection = psycopg.connect(url)
    connection.execute("CREATE TABLE IF NOT EXISTS elsewhere (x int)")
    connection.commit()
    connection.execute("INSERT INTO elsewhere VALUES (1)")
    return connection


def test_a_transaction_open_in_another_database_does_not_hold_the_readers_back(
    postgres_url: str, other_database: str
) -> None:
    store = open_store(postgres_url, codec=CODEC)
    stalled = _hold_a_transaction_open(other_database)
    try:
        store.append("file-a", [noted("a", unit="unit-x")], expected_version=0)
        assert texts(store.read_unit("unit-x")) == ["a"]
        assert store.head_position() == store.read_stream("file-a")[0].position
    finally:
        stalled.rollback()
        stalled.close()
        store.close()


def test_a_transaction_open_in_this_database_still_holds_them_back(postgres_url: str) -> None:
    store = open_store(postgres_url, codec=CODEC)
    stalled = _hold_a_transaction_open(postgres_url)
    try:
        store.append("file-a", [noted("a", unit="unit-x")], expected_version=0)
        page = store.read_unit("unit-x")
        assert page.events == []  # it might commit an event below this one later: never read past it
        assert store.read_stream("file-a")[0].data["text"] == "a"  # streams are read whole, as ever
    finally:
        stalled.rollback()
        stalled.close()
    assert texts(store.read_unit("unit-x")) == ["a"]
    store.close()


def test_the_horizon_planned_once_answers_as_step_2_did(postgres_url: str, other_database: str) -> None:
    """Step 3 only changed how the function is planned: in every state it must give step 2's number."""
    open_store(postgres_url, codec=CODEC).close()
    with psycopg.connect(postgres_url, autocommit=True) as reader:
        reader.execute(LOCAL_HORIZON.replace("partyledger_horizon()", "step_2_horizon()"))

        def both() -> tuple[int, int]:
            row = reader.execute("SELECT partyledger_horizon(), step_2_horizon()").fetchone()
            assert row is not None
            return int(row[0]), int(row[1])

        idle = both()
        elsewhere = _hold_a_transaction_open(other_database)
        while_elsewhere = both()
        here = _hold_a_transaction_open(postgres_url)
        while_here = both()
        held_at = reader.execute(
            "SELECT (%s + partyledger_xid_offset()) * 1024", (here.execute("SELECT txid_current()").fetchone() or [0])
        ).fetchone()
        for stalled in (elsewhere, here):
            stalled.rollback()
            stalled.close()

    assert [new == old for new, old in (idle, while_elsewhere, while_here)] == [True, True, True]
    assert held_at is not None and while_here[0] == held_at[0]  # held at this database's open writer
