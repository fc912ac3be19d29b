"""The catch-up runner: exactly once, race-safe, parking a poison event for one unit only (I4, I5)."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore, open_store
from projections import unit_plans
from projections.base import Applied, Projection
from projections.checkpoints import parked, unpark
from projections.engine import projection_engine
from projections.rows import UnitRows
from projections.runner import UNITS_TOGETHER, Runner
from projections.schema import create_projection_tables
from projections.storage import digest, read_rows
from tests.support.appending import set_plan, set_target


class EventCounter:
    """Counts every event per type: any double application shows as a wrong count."""

    name = "event_counter"
    version = 1
    event_types: frozenset[str] | None = None

    def apply(self, rows: UnitRows, applied: Applied) -> None:
        rows.update(
            "counts",
            lambda row: row.__setitem__(applied.envelope.event_type, row.get(applied.envelope.event_type, 0) + 1),
        )


class Exploding(EventCounter):
    """Fails on yearly plans above 100, as a projection with a bug would."""

    name = "exploding"

    def apply(self, rows: UnitRows, applied: Applied) -> None:
        if applied.envelope.event_type == "YearlyPlanSet" and applied.event.planned > 100:
            raise ValueError("planned figure out of range")
        super().apply(rows, applied)


def runner(engine: sa.Engine, store: EventStore, *projections: Any, batch_size: int = 1000) -> Runner:
    chosen: list[Projection] = list(projections) or [unit_plans, EventCounter()]
    return Runner(engine, store, EVENTS, chosen, batch_size=batch_size)


def counts(engine: sa.Engine, unit_id: str, projection: str = "event_counter") -> dict[str, int]:
    with engine.connect() as connection:
        return read_rows(connection, projection, 1, [unit_id])[unit_id].get("counts", {})


def test_catch_up_applies_every_new_event_once(engine: sa.Engine, store: EventStore) -> None:
    set_target(store, "unit-school", 5)
    for year in (2021, 2022):
        set_plan(store, "unit-school", year, 1)

    result = runner(engine, store).catch_up("unit-school")

    assert result.applied == {"unit_plans": 3, "event_counter": 3}
    assert counts(engine, "unit-school") == {"TermTargetSet": 1, "YearlyPlanSet": 2}
    with engine.connect() as connection:
        rows = read_rows(connection, "unit_plans", 1, ["unit-school"])["unit-school"]
    assert rows["target:2020-2025:admissions"]["target"] == 5
    assert rows["plan:2022:admissions"]["planned"] == 1


def test_a_repeated_catch_up_changes_nothing(engine: sa.Engine, store: EventStore) -> None:
    set_target(store, "unit-a", 3)
    first = runner(engine, store)
    first.catch_up("unit-a")
    with engine.connect() as connection:
        before = digest(connection, "event_counter", 1, "unit-a")

    again = runner(engine, store).catch_up("unit-a")

    assert again.total == 0
    with engine.connect() as connection:
        assert digest(connection, "event_counter", 1, "unit-a") == before


def test_small_batches_reach_the_same_result(engine: sa.Engine, store: EventStore) -> None:
    for year in range(2000, 2023):
        set_plan(store, "unit-b", year, year % 7)

    runner(engine, store, batch_size=4).catch_up("unit-b")

    assert counts(engine, "unit-b") == {"YearlyPlanSet": 23}


def test_workers_racing_on_one_unit_apply_each_event_once(engine: sa.Engine, store: EventStore) -> None:
    for year in range(2000, 2040):
        set_plan(store, "unit-race", year, 1)
    threads = [
        threading.Thread(target=runner(engine, store, batch_size=5).catch_up, args=("unit-race",)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert counts(engine, "unit-race") == {"YearlyPlanSet": 40}


def test_a_poison_event_parks_that_projection_for_that_unit_only(engine: sa.Engine, store: EventStore) -> None:
    set_plan(store, "unit-bad", 2021, 1)
    poison = set_plan(store, "unit-bad", 2022, 999)
    set_plan(store, "unit-bad", 2023, 2)
    set_plan(store, "unit-good", 2022, 999 - 900)

    result = runner(engine, store, EventCounter(), Exploding()).catch_up("unit-bad")
    runner(engine, store, EventCounter(), Exploding()).catch_up("unit-good")

    assert result.parked == ["exploding"]
    assert counts(engine, "unit-bad", "exploding") == {"YearlyPlanSet": 1}  # applied up to the poison
    assert counts(engine, "unit-bad", "event_counter") == {"YearlyPlanSet": 3}  # the others went on
    assert counts(engine, "unit-good", "exploding") == {"YearlyPlanSet": 1}
    with engine.connect() as connection:
        [stuck] = parked(connection)
    assert (stuck.unit_id, stuck.projection, stuck.parked_position) == ("unit-bad", "exploding", poison.last_position)
    assert stuck.parked_error is not None and "planned figure out of range" in stuck.parked_error


def test_a_parked_unit_resumes_after_a_fix_and_a_retry(engine: sa.Engine, store: EventStore) -> None:
    set_plan(store, "unit-bad", 2022, 999)
    set_plan(store, "unit-bad", 2023, 2)
    runner(engine, store, Exploding()).catch_up("unit-bad")
    assert runner(engine, store, Exploding()).catch_up("unit-bad").parked == ["exploding"]

    with engine.begin() as connection:
        assert unpark(connection, "unit-bad") == 1
    fixed = EventCounter()
    fixed.name = "exploding"  # the fixed code of the same projection
    result = runner(engine, store, fixed).catch_up("unit-bad")

    assert result.parked == []
    assert counts(engine, "unit-bad", "exploding") == {"YearlyPlanSet": 2}


@pytest.mark.parametrize("unit", ["unit-empty"])
def test_an_idle_unit_checkpoint_still_reaches_the_head(engine: sa.Engine, store: EventStore, unit: str) -> None:
    latest = set_plan(store, "unit-other", 2021, 1)
    runner(engine, store).catch_up(unit)
    with engine.connect() as connection:
        position = connection.execute(
            sa.text("SELECT min(position) FROM projection_checkpoints WHERE unit_id = :u"), {"u": unit}
        ).scalar_one()
    assert position >= latest.last_position


def test_an_event_this_code_cannot_read_parks_the_unit_and_spares_the_others(
    engine: sa.Engine, store: EventStore, ledger_url: str
) -> None:
    """A newer writer (rolling deploy) logged a type this worker does not know yet."""
    from eventstore import open_store
    from tests.support.events import CODEC, noted

    newer = open_store(ledger_url, codec=CODEC, create=False)
    set_plan(store, "unit-new", 2021, 1)
    unknown = newer.append("notes-1", [noted("from the future", unit="unit-new")], expected_version=0)
    set_plan(store, "unit-new", 2022, 1)
    set_plan(store, "unit-old", 2022, 1)
    newer.close()

    result = runner(engine, store).catch_up("unit-new")
    runner(engine, store).catch_up("unit-old")

    assert sorted(result.parked) == ["event_counter", "unit_plans"]
    assert counts(engine, "unit-new") == {"YearlyPlanSet": 1}
    assert counts(engine, "unit-old") == {"YearlyPlanSet": 1}
    with engine.connect() as connection:
        stuck = parked(connection)
    assert {(c.unit_id, c.parked_position) for c in stuck} == {("unit-new", unknown.last_position)}
    assert all("unknown event type 'Noted'" in (c.parked_error or "") for c in stuck)


def planned_and_listened(postgres_url: str, engine: sa.Engine, unit_id: str) -> tuple[EventStore, list[str]]:
    """A store whose log holds one yearly plan of `unit_id`, and the list of every statement `engine` sends."""
    create_projection_tables(engine)
    store = open_store(postgres_url, codec=EVENTS)
    set_plan(store, unit_id, 2026, 3)
    sent: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return store, sent


def test_catch_ups_commit_without_waiting_for_the_disk_and_nothing_else_does(postgres_url: str) -> None:
    """A read model's batch can be lost whole in a server crash and is applied again from its checkpoint; the
    API's records share the engine's pooled connections and must keep waiting for the disk."""
    engine = projection_engine(postgres_url, pool_size=1)
    store, sent = planned_and_listened(postgres_url, engine, "unit-quick")
    try:
        runner(engine, store).catch_up("unit-quick")
        with engine.begin() as connection:
            afterwards = connection.exec_driver_sql("SHOW synchronous_commit").scalar()
    finally:
        store.close()
        engine.dispose()

    relaxed = sent.index("SET LOCAL synchronous_commit TO off")
    writes = [n for n, sql in enumerate(sent) if sql.lstrip().startswith(("INSERT INTO projection_rows", "UPDATE"))]
    assert writes and relaxed < min(writes)  # set in the catch-up's transaction before its rows are written
    assert afterwards == "on"  # the next transaction on the same connection waits for the disk again


def test_a_relaxed_engine_commits_without_waiting_for_the_disk_and_skips_the_set_local(postgres_url: str) -> None:
    """The worker's engine (read models only): every session has synchronous_commit off, so its catch-ups
    save the SET LOCAL trip; an engine made without `relaxed` (the API's, the CLI's) is untouched."""
    relaxed = projection_engine(postgres_url, pool_size=1, relaxed=True)
    durable = projection_engine(postgres_url, pool_size=1)
    store, sent = planned_and_listened(postgres_url, relaxed, "unit-relaxed")
    try:
        result = runner(relaxed, store).catch_up("unit-relaxed")
        with relaxed.connect() as connection, durable.connect() as other:
            settings = (
                connection.exec_driver_sql("SHOW synchronous_commit").scalar(),
                other.exec_driver_sql("SHOW synchronous_commit").scalar(),
            )
    finally:
        store.close()
        relaxed.dispose()
        durable.dispose()

    assert result.applied == {"unit_plans": 1, "event_counter": 1}
    assert settings == ("off", "on")
    assert not [sql for sql in sent if sql.startswith("SET")]


def test_a_catch_up_that_finds_nothing_new_writes_nothing(postgres_url: str) -> None:
    """A unit rung again with nothing new (no event, and the horizon where it was) costs a lock and a read,
    not a rewrite of every checkpoint. The horizon is held still by a transaction left open elsewhere: any
    write in the cluster, the catch-up's own included, moves it and rightly moves the checkpoints with it."""
    engine = projection_engine(postgres_url, pool_size=1)
    create_projection_tables(engine)
    store = open_store(postgres_url, codec=EVENTS)
    set_plan(store, "unit-still", 2026, 3)
    sent: list[str] = []
    with psycopg.connect(postgres_url) as holder:
        holder.execute("SELECT pg_current_xact_id()")  # in flight until the block ends: the horizon stops here
        try:
            first = runner(engine, store).catch_up("unit-still")
            sa.event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
            again = runner(engine, store).catch_up("unit-still")
        finally:
            store.close()
            engine.dispose()

    assert first.applied == {"unit_plans": 1, "event_counter": 1} and again.total == 0
    assert any(sql.lstrip().startswith("SELECT") for sql in sent)
    assert not [sql for sql in sent if sql.lstrip().startswith(("INSERT", "UPDATE", "DELETE", "SET"))]


def test_units_caught_up_together_end_as_each_caught_up_alone(engine: sa.Engine, store: EventStore) -> None:
    """`catch_up_many` (a rebuild's many small units, several to a transaction) applies every event once:
    more units than one group holds, a unit with more events than a batch (it goes on alone), a unit named
    twice, and a unit with nothing at all."""
    units = [f"unit-{n:02d}" for n in range(UNITS_TOGETHER + 3)]
    for n, unit in enumerate(units):
        for year in range(2000, 2000 + n % 4 + 1):
            set_plan(store, unit, year, n)
    for year in range(2010, 2017):
        set_plan(store, "unit-big", year, 1)

    results = runner(engine, store, batch_size=3).catch_up_many([*units, "unit-big", "unit-big", "unit-empty"])
    again = runner(engine, store, batch_size=3).catch_up_many(units)

    assert {r.unit_id: r.applied["event_counter"] for r in results} == {
        **{unit: n % 4 + 1 for n, unit in enumerate(units)},
        "unit-big": 7,
        "unit-empty": 0,
    }
    assert all(r.total == 0 for r in again)
    for n, unit in enumerate(units):
        assert counts(engine, unit) == {"YearlyPlanSet": n % 4 + 1}
    assert counts(engine, "unit-big") == {"YearlyPlanSet": 7}
    with engine.connect() as connection:
        plans = read_rows(connection, "unit_plans", unit_plans.version, ["unit-big"])["unit-big"]
    assert sorted(plans) == [f"plan:{year}:admissions" for year in range(2010, 2017)]


def test_a_poison_event_in_a_group_parks_its_own_unit_and_spares_the_group(
    engine: sa.Engine, store: EventStore
) -> None:
    set_plan(store, "unit-a", 2021, 1)
    poison = set_plan(store, "unit-bad", 2022, 999)
    set_plan(store, "unit-bad", 2023, 2)
    set_plan(store, "unit-z", 2022, 3)

    results = runner(engine, store, EventCounter(), Exploding()).catch_up_many(["unit-a", "unit-bad", "unit-z"])

    assert [(r.unit_id, r.parked) for r in results] == [("unit-a", []), ("unit-bad", ["exploding"]), ("unit-z", [])]
    assert counts(engine, "unit-bad", "exploding") == {}  # stopped before the poison, the first event
    assert counts(engine, "unit-bad", "event_counter") == {"YearlyPlanSet": 2}
    assert counts(engine, "unit-a", "exploding") == counts(engine, "unit-z", "exploding") == {"YearlyPlanSet": 1}
    with engine.connect() as connection:
        [stuck] = parked(connection)
    assert (stuck.unit_id, stuck.projection, stuck.parked_position) == ("unit-bad", "exploding", poison.last_position)


class DroppedOnce:
    """An `enrich` whose first read of the log meets a dropped connection, as `PersonStates` can mid-replay."""

    def __init__(self) -> None:
        self.failures = 0

    def prepare(self, events: Any) -> None:
        pass

    def __call__(self, envelope: Any, event: Any) -> None:
        if self.failures == 0:
            self.failures += 1
            raise psycopg.OperationalError("server closed the connection unexpectedly")


def test_a_database_error_beside_an_event_is_retried_not_parked(engine: sa.Engine, store: EventStore) -> None:
    set_target(store, "unit-school", 5)
    chosen: list[Projection] = [unit_plans, EventCounter()]
    flaky = Runner(engine, store, EVENTS, chosen, enrich=DroppedOnce())

    with pytest.raises(psycopg.OperationalError):
        flaky.catch_up("unit-school")
    with engine.connect() as connection:
        assert parked(connection) == []
    result = flaky.catch_up("unit-school")  # the worker's retry

    assert result.parked == []
    assert counts(engine, "unit-school") == {"TermTargetSet": 1}
