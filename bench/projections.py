"""Projection throughput and lag on PostgreSQL, beside a raw sequential read of the same events.

    .venv/bin/python -m bench.projections [--scale small|province] [--rate 1000] [--seconds 20]

1. Generates a province (deterministic seed) into a scratch database.
2. Rebuild: every projection of every unit from zero into scratch rows; events/s into all projections,
   beside a raw sequential read of the whole log with psycopg in the same run (the baseline).
3. Lag: a real `celery worker` (Redis broker) keeps the projections up while this process appends at a
   sustained rate and rings after each commit; lag = commit → the unit's slowest checkpoint covers the event.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import psycopg
import sqlalchemy as sa

from bench.append import scratch_database
from domain.codec import EVENTS
from domain.units.events import TargetMetric, YearlyPlanSet
from eventstore import EventMetadata, NewEvent, open_store
from projections.engine import projection_engine
from projections.person_states import PersonStates
from projections.rebuild import SCRATCH
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import create_projection_tables
from projections.schema import projection_checkpoints as cp
from services.doorbell import ring
from services.seed import generate_province
from services.settings import Settings
from tests.support.processes import celery_worker

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"


def raw_read_rate(url: str) -> tuple[int, float]:
    """Events/s of a plain sequential read of the log with psycopg, rows and JSON decoded (the baseline)."""
    with psycopg.connect(url) as connection:
        connection.execute("SELECT 1")
        started = time.perf_counter()
        count, position = 0, -1
        while True:
            rows = connection.execute(
                "SELECT * FROM event_log WHERE position > %s ORDER BY position LIMIT 5000", (position,)
            ).fetchall()
            if not rows:
                break
            count, position = count + len(rows), rows[-1][0]
        return count, count / (time.perf_counter() - started)


def rebuild_rate(url: str) -> tuple[int, float]:
    """Events/s applied into every projection, every unit, from zero (scratch versions, as `rebuild` does)."""
    store = open_store(url)
    engine = projection_engine(url)
    create_projection_tables(engine)
    runner = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS), batch_size=5000)
    scratch = {p.name: SCRATCH + p.version + int(time.time()) % 1000 for p in PROJECTIONS}
    units = sorted(store.unit_heads())
    with psycopg.connect(url) as connection:
        row = connection.execute(
            "SELECT count(*) + count(also_unit_id) FROM event_log"  # a move is applied in two partitions
        ).fetchone()
    events = int(row[0]) if row else 0
    started = time.perf_counter()
    for unit in units:
        runner.catch_up(unit, versions=scratch)
    elapsed = time.perf_counter() - started
    store.close()
    engine.dispose()
    return events, events / elapsed


def lag_under_load(url: str, redis_url: str, rate: float, seconds: float) -> list[float]:
    """Seconds from commit to visible in every projection, for each event appended at `rate` per second."""
    with TemporaryDirectory() as folder:
        env = {
            "PARTYLEDGER_DATABASE_URL": url,
            "PARTYLEDGER_BROKER_URL": redis_url,
            "PARTYLEDGER_QUEUE": f"bench-{uuid.uuid4().hex[:8]}",
            "PARTYLEDGER_DATA_DIR": folder,
        }
        settings = Settings.from_environment(env)
        with celery_worker(env, Path(folder) / "worker.log", concurrency=2):
            return _measure_lag(url, settings, rate, seconds)


def _measure_lag(url: str, settings: Settings, rate: float, seconds: float, threads: int = 8) -> list[float]:
    """`threads` appenders, each on its own units at rate/threads, ringing after every commit as the API does."""
    store = open_store(url)
    engine = projection_engine(url)
    pending: dict[int, tuple[str, float]] = {}
    lags: list[float] = []
    done = threading.Event()
    watcher = threading.Thread(target=_watch, args=(engine, pending, lags, done))
    watcher.start()
    deadline = time.perf_counter() + seconds
    appenders = [
        threading.Thread(target=_append_steadily, args=(store, settings, n, rate / threads, deadline, pending))
        for n in range(threads)
    ]
    for appender in appenders:
        appender.start()
    for appender in appenders:
        appender.join()
    while pending and time.perf_counter() < deadline + 30:
        time.sleep(0.05)
    done.set()
    watcher.join()
    store.close()
    engine.dispose()
    return lags


def _append_steadily(
    store: Any, settings: Settings, lane: int, rate: float, deadline: float, pending: dict[int, tuple[str, float]]
) -> None:
    meta = EventMetadata("bench", "unit-bench", "provincial_admin", "qd294-2025", "bench")
    units = [f"unit-load-{lane}-{n}" for n in range(5)]
    versions = dict.fromkeys(units, 0)
    interval, next_at, n = 1.0 / rate, time.perf_counter(), 0
    while time.perf_counter() < deadline:
        unit = units[n % len(units)]
        kind, version, data = EVENTS.encode(YearlyPlanSet(unit, 2000 + n % 100, TargetMetric.ADMISSIONS, n % 9))
        event = NewEvent(kind, data, date(2025, 7, 1), unit, meta, version)
        result = store.append(f"load-{unit}", [event], expected_version=versions[unit])
        versions[unit] += 1
        pending[result.last_position] = (unit, time.perf_counter())
        ring(settings, [unit])
        n += 1
        next_at += interval
        time.sleep(max(0.0, next_at - time.perf_counter()))


def _watch(engine: sa.Engine, pending: dict[int, tuple[str, float]], lags: list[float], done: threading.Event) -> None:
    names = [p.name for p in PROJECTIONS]
    while not done.is_set():
        with engine.connect() as connection:
            reached = dict(
                connection.execute(
                    sa.select(cp.c.unit_id, sa.func.min(cp.c.position))
                    .where(cp.c.projection.in_(names), cp.c.version < SCRATCH)
                    .group_by(cp.c.unit_id)
                ).all()
            )
        now = time.perf_counter()
        for position, (unit, committed) in list(pending.items()):
            if reached.get(unit, 0) >= position:
                lags.append(now - committed)
                del pending[position]
        time.sleep(0.01)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


@contextmanager
def seeded(url: str, scale: str) -> Iterator[str]:
    with scratch_database(url) as database:
        store = open_store(database)
        report = generate_province(store, scale=scale, seed=2025)  # type: ignore[arg-type]
        store.close()
        print(f"generated {report.events} events ({scale})")
        yield database


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("PARTYLEDGER_BENCH_POSTGRES_URL", DEFAULT_PG))
    parser.add_argument("--redis", default=os.environ.get("PARTYLEDGER_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--scale", default="small", choices=["small", "province"])
    parser.add_argument("--rate", type=float, default=1000.0, help="appends per second for the lag test")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with seeded(args.url, args.scale) as url:
        events, raw = raw_read_rate(url)
        rebuilt, rate = rebuild_rate(url)
        print(f"raw sequential read : {raw:>10,.0f} events/s ({events} events)")
        print(
            f"rebuild, all models : {rate:>10,.0f} events/s ({rebuilt} events, {len(PROJECTIONS)} projections)"
            f"   ratio {rate / raw:.2f}   target ≥ 50,000 events/s"
        )
        lags = lag_under_load(url, args.redis, args.rate, args.seconds)
        achieved = len(lags) / args.seconds
        print(
            f"lag at {achieved:.0f} appends/s over {args.seconds:.0f} s: p50 {percentile(lags, 0.5) * 1000:.0f} ms, "
            f"p99 {percentile(lags, 0.99) * 1000:.0f} ms ({len(lags)} events)   target p99 ≤ 1000 ms"
        )


if __name__ == "__main__":
    main()
