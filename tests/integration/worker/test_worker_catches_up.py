"""Real workers bring projections up to date: after a doorbell, a SIGKILL, a dead broker, or no doorbell at all."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore.postgres import PostgresEventStore
from projections.checkpoints import parked
from projections.rebuild import compare
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.storage import read_rows
from projections.sweep import lag
from services.doorbell import ring
from tests.integration.worker.conftest import settings_of, worker_env
from tests.support.appending import set_plan
from tests.support.events import CODEC, noted
from tests.support.processes import BIN, celery_worker, private_redis, wait_for


def caught_up(engine: sa.Engine, store: PostgresEventStore) -> bool:
    return not any(lag(engine, store, PROJECTIONS).values())


def activity(engine: sa.Engine, unit_id: str) -> int:
    with engine.connect() as connection:
        rows = read_rows(connection, "unit_activity", 1, [unit_id], prefix="month:")[unit_id]
    return sum(sum(month.values()) for month in rows.values())


def fill(store: PostgresEventStore, units: int, per_unit: int) -> None:
    for unit in range(units):
        for year in range(per_unit):
            set_plan(store, f"unit-{unit}", 2000 + year % 100, year % 9)


def assert_rebuild_equals_live(engine: sa.Engine, store: PostgresEventStore, units: list[str]) -> None:
    runner = Runner(engine, store, EVENTS, PROJECTIONS)
    for unit_id in units:
        for projection in PROJECTIONS:
            result = compare(runner, projection, unit_id)
            assert result.equal, f"{projection.name} of {unit_id} differs from a rebuild"


def sessions(url: str) -> int:
    """Other sessions connected to this test's database."""
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_starting_worker_connects_before_its_first_doorbell(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    """Each task process opens its database pools as it starts: the first catch-ups after a start or a
    restart do not wait for that set-up (the first second of the lag bench did)."""
    before = sessions(postgres_url)
    with celery_worker(worker_env(postgres_url, redis_url, tmp_path), tmp_path / "worker.log", concurrency=2):
        wait_for(lambda: sessions(postgres_url) >= before + 4, 30, "both task processes to open their pools")
    assert "runtime not opened" not in (tmp_path / "worker.log").read_text()


def test_a_doorbell_brings_the_units_projections_up_to_date(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    env = worker_env(postgres_url, redis_url, tmp_path)
    with celery_worker(env, tmp_path / "worker.log"):
        set_plan(store, "unit-school", 2021, 1)
        set_plan(store, "unit-school", 2022, 2)
        assert ring(settings_of(env), ["unit-school"])

        wait_for(lambda: caught_up(engine, store), 30, "the worker to catch up")

    with engine.connect() as connection:
        plans = read_rows(connection, "unit_plans", 1, ["unit-school"])["unit-school"]
    assert plans["plan:2022:admissions"]["planned"] == 2
    assert activity(engine, "unit-school") == 2


@pytest.mark.slow
def test_a_worker_killed_mid_batch_loses_nothing_and_counts_nothing_twice(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    fill(store, units=6, per_unit=400)
    env = worker_env(postgres_url, redis_url, tmp_path, PARTYLEDGER_PROJECTION_BATCH="20")
    units = [f"unit-{n}" for n in range(6)]
    with celery_worker(env, tmp_path / "worker.log") as worker:
        ring(settings_of(env), units)
        wait_for(lambda: sum(activity(engine, u) for u in units) > 100, 60, "some progress")
        worker.kill()
    assert not caught_up(engine, store), "the kill came too late to be mid-batch"

    with celery_worker(env, tmp_path / "worker.log"):
        ring(settings_of(env), units)  # what the beat sweep would do for units still behind
        wait_for(lambda: caught_up(engine, store), 120, "the restarted worker to catch up")

    assert [activity(engine, u) for u in units] == [400] * 6
    assert_rebuild_equals_live(engine, store, units)


def test_with_the_broker_down_commands_are_kept_and_projections_catch_up_later(
    postgres_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    with private_redis(tmp_path / "redis") as redis:
        env = worker_env(postgres_url, redis.url, tmp_path)
        with celery_worker(env, tmp_path / "worker.log"):
            redis.stop()
            for year in range(2000, 2030):
                set_plan(store, "unit-offline", year, 1)  # the log does not need the broker
            assert not ring(settings_of(env), ["unit-offline"])  # the doorbell is lost, the command is not
            redis.start()
            wait_for(lambda: ring(settings_of(env), ["unit-offline"]), 30, "the broker to accept doorbells")
            wait_for(lambda: caught_up(engine, store), 60, "the worker to reconnect and catch up")

    assert activity(engine, "unit-offline") == 30


def test_a_worker_whose_database_connections_were_cut_catches_up_on_the_next_doorbell(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    """A failover or an administrator ends every session: the worker's next task fails on its dead pooled
    connection (it does not ping first) and is retried on a new one. One task process: the one that caught up
    before the cut is then surely the one that meets it (with two, the other one, had its start been too slow
    to open its runtime, opened it only at the next doorbell, on fresh connections: a full suite's load once
    made this test's "Retry in" miss)."""
    env = worker_env(postgres_url, redis_url, tmp_path)
    with celery_worker(env, tmp_path / "worker.log", concurrency=1):
        set_plan(store, "unit-cut", 2021, 1)
        assert ring(settings_of(env), ["unit-cut"])
        wait_for(lambda: caught_up(engine, store), 30, "the worker to catch up")
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            cut = admin.execute(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchone()
        assert cut is not None and cut[0] > 0
        set_plan(store, "unit-cut", 2022, 2)
        assert ring(settings_of(env), ["unit-cut"])
        wait_for(lambda: caught_up(engine, store), 60, "the worker to reconnect and catch up")

    assert activity(engine, "unit-cut") == 2
    assert "Retry in" in (tmp_path / "worker.log").read_text()  # the task did meet the dead connection


def test_the_beat_sweep_catches_up_without_any_doorbell(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    fill(store, units=3, per_unit=5)
    env = worker_env(postgres_url, redis_url, tmp_path, PARTYLEDGER_SWEEP_SECONDS="1")
    beat = subprocess.Popen(
        [str(BIN / "celery"), "-A", "services.worker.app", "beat", "--loglevel=INFO"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with celery_worker(env, tmp_path / "worker.log"):
            wait_for(lambda: caught_up(engine, store), 60, "the sweep to catch every unit up")
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert [activity(engine, f"unit-{n}") for n in range(3)] == [5, 5, 5]


def test_a_poison_event_parks_one_unit_and_the_worker_goes_on(
    postgres_url: str, redis_url: str, store: PostgresEventStore, engine: sa.Engine, tmp_path: Path
) -> None:
    newer_writer = PostgresEventStore.from_url(postgres_url, codec=CODEC)
    set_plan(store, "unit-sick", 2021, 1)
    poison = newer_writer.append("notes-1", [noted("written by newer code", unit="unit-sick")], expected_version=0)
    set_plan(store, "unit-sick", 2022, 1)
    set_plan(store, "unit-well", 2022, 1)
    newer_writer.close()
    env = worker_env(postgres_url, redis_url, tmp_path)

    with celery_worker(env, tmp_path / "worker.log"):
        ring(settings_of(env), ["unit-sick", "unit-well"])
        wait_for(lambda: activity(engine, "unit-well") == 1, 30, "the healthy unit")
        wait_for(lambda: _parked_units(engine) == {("unit-sick", poison.last_position)}, 30, "the park")
        time.sleep(0.5)

    assert activity(engine, "unit-sick") == 1  # applied up to the poison, not past it
    status = subprocess.run(
        [str(BIN / "partyledger"), "projections", "status", "--database-url", postgres_url],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert status.returncode == 0, status.stderr
    assert "unit-sick" in status.stdout and str(poison.last_position) in status.stdout


def _parked_units(engine: sa.Engine) -> set[tuple[str, int | None]]:
    with engine.connect() as connection:
        return {(c.unit_id, c.parked_position) for c in parked(connection)}
