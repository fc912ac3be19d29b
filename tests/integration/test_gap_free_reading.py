"""I4 under stress: 16 writers hold their transactions open for random times while a reader tails the log.

The reader must end having seen every committed event exactly once, each stream in version order, and must
never have moved its checkpoint past an event that committed later.
"""

from __future__ import annotations

import random
import threading
import time
from typing import Any

import pytest

from eventstore import WrongExpectedVersion
from eventstore.postgres import PostgresEventStore, postgres_pool
from tests.support.events import CODEC, noted

WRITERS = 16
APPENDS_PER_WRITER = 40
SHARED_STREAMS = 4


class SlowCommitStore(PostgresEventStore):
    """Holds each append's transaction open for a random time after the insert, before the commit."""

    def _execute_append(self, sql: str, parameters: list[object]) -> list[tuple[Any, ...]]:
        with self._connection() as connection, connection.transaction():
            rows = connection.execute(sql, parameters).fetchall()
            time.sleep(random.uniform(0, 0.02))
        return rows


def write(store: SlowCommitStore, writer: int, failures: list[BaseException]) -> None:
    """Each writer appends to its own stream and, with retries on conflict, to a few shared ones."""
    try:
        for number in range(APPENDS_PER_WRITER):
            own = f"file-w{writer}"
            store.append(own, [noted(f"{writer}:{number}", unit=f"unit-{writer % 3}")], expected_version=number)
            shared = f"file-shared{number % SHARED_STREAMS}"
            while True:
                try:
                    version = store.stream_version(shared)
                    store.append(shared, [noted(f"s{writer}:{number}", unit="unit-shared")], expected_version=version)
                    break
                except WrongExpectedVersion:
                    continue
    except BaseException as exc:  # surfaced by the test thread
        failures.append(exc)


def tail(store: PostgresEventStore, stop: threading.Event, seen: list[tuple[int, str, int]]) -> None:
    checkpoint = 0
    while True:
        finished = stop.is_set()
        page = store.read_all(after_position=checkpoint, limit=50)
        seen.extend((e.position, e.stream_id, e.stream_version) for e in page)
        assert page.reached >= checkpoint
        checkpoint = page.reached
        if finished and not page.events:
            return
        time.sleep(0.001)


@pytest.mark.slow
def test_a_tailing_reader_sees_every_event_exactly_once_under_16_slow_writers(postgres_url: str) -> None:
    store = SlowCommitStore(postgres_pool(postgres_url, size=WRITERS + 2), codec=CODEC)
    store.create_schema()
    reader_store = PostgresEventStore(postgres_pool(postgres_url, size=2), codec=CODEC)
    failures: list[BaseException] = []
    seen: list[tuple[int, str, int]] = []
    stop = threading.Event()
    reader = threading.Thread(target=tail, args=(reader_store, stop, seen))
    reader.start()
    writers = [threading.Thread(target=write, args=(store, w, failures)) for w in range(WRITERS)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    reader.join(timeout=60)

    assert not failures, failures
    committed = [(e.position, e.stream_id, e.stream_version) for e in store.iter_raw()]
    assert len(committed) == WRITERS * APPENDS_PER_WRITER * 2
    assert sorted(seen) == committed, "the reader missed or repeated events"
    assert len(set(seen)) == len(seen)
    last_version: dict[str, int] = {}
    for _, stream, version in seen:
        assert version == last_version.get(stream, 0) + 1, f"{stream} read out of order"
        last_version[stream] = version
    store.close()
    reader_store.close()


def test_two_writers_racing_for_one_version_leave_exactly_one_winner(postgres_url: str) -> None:
    store = SlowCommitStore(postgres_pool(postgres_url, size=4), codec=CODEC)
    store.create_schema()
    store.append("file-race", [noted("start")], expected_version=0)
    outcomes: list[str] = []

    def contend(name: str) -> None:
        try:
            store.append("file-race", [noted(name)], expected_version=1)
            outcomes.append("won")
        except WrongExpectedVersion as refused:
            outcomes.append(f"lost at {refused.current}")

    threads = [threading.Thread(target=contend, args=(f"writer-{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["lost at 2"] * 5 + ["won"]
    assert [e.stream_version for e in store.read_stream("file-race")] == [1, 2]
    store.close()


def test_decisions_see_every_commit_while_projections_wait_for_the_horizon(postgres_url: str) -> None:
    """A transaction left open (a worker's, say) holds the horizon back: projections wait, decisions do not."""
    import psycopg

    store = PostgresEventStore.from_url(postgres_url, codec=CODEC)
    store.create_schema()
    with psycopg.connect(postgres_url) as blocker:
        blocker.execute("CREATE TEMP TABLE hold (x int)")  # takes a transaction id and keeps it open
        written = store.append("file-late", [noted("just enrolled", unit="unit-cell")], expected_version=0)

        assert store.read_unit("unit-cell").events == []
        assert [e.position for e in store.unit_history("unit-cell")] == [written.last_position]
        blocker.rollback()
    assert [e.position for e in store.read_unit("unit-cell")] == [written.last_position]
    store.close()
