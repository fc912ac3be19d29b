"""A verify walked in parallel ranges gives the very report of the one-process walk, tampered or not."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventstore import open_store, verify_events, verify_store
from eventstore import verify_ranges as verify_ranges_module
from eventstore.canonical import canonical_json
from eventstore.postgres import PostgresEventStore
from eventstore.verify_ranges import split, verify_ranges
from tests.support.events import CODEC, noted
from tests.support.stores import Backdoor, settle

TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12)


class SteppingClock:
    """Server time that moves by a drawn step at each append: microseconds, days, years."""

    def __init__(self) -> None:
        self.now = datetime(1999, 12, 31, 23, 59, 59, 999_999, tzinfo=UTC)
        self.steps: Iterator[timedelta] = iter(())

    def __call__(self) -> datetime:
        self.now += next(self.steps, timedelta(microseconds=1))
        return self.now


@pytest.fixture
def backdoor(postgres_url: str) -> Backdoor:
    open_store(postgres_url, codec=CODEC).close()  # the schema
    backdoor = Backdoor(postgres_url)
    backdoor.disable_append_only()
    backdoor.execute("ALTER TABLE log_seals DISABLE TRIGGER USER")
    return backdoor


@contextmanager
def emptied(backdoor: Backdoor, clock: SteppingClock | None = None) -> Iterator[PostgresEventStore]:
    """A store on the emptied log (one per example: a store remembers its streams' heads)."""
    backdoor.execute("TRUNCATE event_log, log_seals")
    store = open_store(backdoor.url, codec=CODEC, clock=clock or SteppingClock())
    assert isinstance(store, PostgresEventStore)
    try:
        yield store
    finally:
        store.close()


appends = st.lists(
    st.tuples(
        st.integers(0, 4),  # which stream
        TEXT,
        st.dates(date(1930, 1, 1), date(2099, 12, 31)),
        st.timedeltas(timedelta(microseconds=1), timedelta(days=900)),
        st.booleans(),  # seal after it
    ),
    min_size=1,
    max_size=30,
)
tampering = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["data", "delete", "hash", "version", "occurred"]), st.integers(0, 29)),
)


def tamper(backdoor: Backdoor, positions: list[int], how: tuple[str, int] | None) -> None:
    if how is None:
        return
    kind, index = how
    position = positions[index % len(positions)]
    statements: dict[str, tuple[str, tuple[Any, ...]]] = {
        "data": ("UPDATE event_log SET data = %s WHERE position = %s", (canonical_json({"text": "giả"}).decode(),)),
        "delete": ("DELETE FROM event_log WHERE position = %s", ()),
        "hash": ("UPDATE event_log SET hash = %s WHERE position = %s", (b"\x01" * 32,)),
        "version": ("UPDATE event_log SET stream_version = stream_version + 100 WHERE position = %s", ()),
        "occurred": ("UPDATE event_log SET occurred_on = occurred_on + 1 WHERE position = %s", ()),
    }
    sql, values = statements[kind]
    backdoor.execute(sql, (*values, position))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(appends, tampering, st.integers(2, 5))
def test_ranges_report_what_one_walk_reports(
    backdoor: Backdoor, drawn: list[tuple[int, str, date, timedelta, bool]], how: tuple[str, int] | None, processes: int
) -> None:
    clock = SteppingClock()
    clock.steps = iter([step for _, _, _, step, _ in drawn])
    with emptied(backdoor, clock) as store:
        versions, positions = [0] * 5, []
        for stream, text, on, _, seal in drawn:
            result = store.append(f"file-{stream}", [noted(text, on=on)], expected_version=versions[stream])
            versions[stream] += 1
            positions.append(result.last_position)
            if seal:
                store.seal()
        settle(store)
        tamper(backdoor, positions, how)
        settle(store)  # the tampering transaction, or another of the cluster, may hold the horizon a moment

        one_walk = verify_events(store.iter_raw(), store.seals())
        threads = ThreadPoolExecutor(processes)
        in_ranges = verify_ranges(backdoor.url, store.seals(), processes, executor=threads)

    assert in_ranges == one_walk
    if how is None or how[0] != "delete":  # a stream's last event after the last seal leaves no trace
        assert one_walk.ok is (how is None)


def test_a_large_log_is_verified_by_several_processes(backdoor: Backdoor) -> None:
    """Real processes (spawned, each with its own connection), and a change in the second half named."""
    with emptied(backdoor) as store:
        positions = [store.append(f"file-{n}", [noted(f"#{n}")], expected_version=0).last_position for n in range(400)]
        store.seal()
        settle(store)
        assert verify_store(store, processes=2) == verify_events(store.iter_raw(), store.seals())
        assert verify_store(store, processes=2).summary().startswith("log intact: 400 events in 400 streams")

        backdoor.execute("UPDATE event_log SET unit_id = 'unit-x' WHERE position = %s", (positions[300],))

        report = verify_store(store, processes=2)
        assert report == verify_events(store.iter_raw(), store.seals()) == verify_store(store, processes=1)
    assert report.problem is not None and (report.problem.position, report.problem.kind) == (positions[300], "changed")
    assert report.events_checked == 300


def test_an_empty_log_verifies_in_ranges(backdoor: Backdoor) -> None:
    with emptied(backdoor) as store:
        assert verify_store(store, processes=3).summary() == verify_events([], []).summary()


def test_a_large_logs_ranges_are_cut_from_a_sample(backdoor: Backdoor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above `2 × SAMPLE_ROWS` rows the bounds are percentiles of a block sample: still in order, the last the
    log's head, and the walk's answer the same wherever they fall."""
    monkeypatch.setattr(verify_ranges_module, "SAMPLE_ROWS", 40)
    asked: list[str] = []
    one = verify_ranges_module._one

    def noted_one(connection: Any, sql: str, values: tuple[Any, ...]) -> Any:
        asked.append(sql)
        return one(connection, sql, values)

    monkeypatch.setattr(verify_ranges_module, "_one", noted_one)
    with emptied(backdoor) as store:
        positions = [store.append(f"file-{n}", [noted(f"#{n}")], expected_version=0).last_position for n in range(400)]
        store.seal()
        settle(store)
        backdoor.execute("ANALYZE event_log")

        bounds = split(backdoor.url, 3)
        report = verify_ranges(backdoor.url, store.seals(), 3, executor=ThreadPoolExecutor(3))

        assert report == verify_events(store.iter_raw(), store.seals())
    assert any("TABLESAMPLE" in sql for sql in asked)
    assert bounds[0] == 0 and bounds[-1] == positions[-1] and bounds == sorted(set(bounds))
    assert report.ok and report.events_checked == 400
