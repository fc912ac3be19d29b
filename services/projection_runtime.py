"""The parts a process needs to run or rebuild projections, built once from the settings."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa

from domain.accounts import events as account_events  # noqa: F401  # registers the account event types
from domain.codec import EVENTS
from eventstore import EventStore
from projections.engine import projection_engine
from projections.person_states import PersonStates
from projections.registry import PROJECTIONS
from projections.runner import Runner
from projections.schema import create_projection_tables
from services.collector import collect_garbage_rarely
from services.data_keys import open_ledger_log
from services.settings import Settings, get_settings


@dataclass(frozen=True)
class ProjectionRuntime:
    settings: Settings
    store: EventStore
    engine: sa.Engine
    runner: Runner

    def close(self) -> None:
        self.store.close()
        self.engine.dispose()


def build_runtime(settings: Settings, *, relaxed: bool = False) -> ProjectionRuntime:
    """`relaxed` only for a process that writes read models and nothing else (see `projection_engine`)."""
    store = open_ledger_log(settings)
    engine = projection_engine(settings.database_url, relaxed=relaxed)
    try:
        create_projection_tables(engine)
    except BaseException:
        store.close()  # not left to the GC: a pool reaped on its own worker thread cannot join itself
        engine.dispose()
        raise
    runner = Runner(
        engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS), batch_size=settings.projection_batch
    )
    return ProjectionRuntime(settings, store, engine, runner)


def catch_up_every_unit(settings: Settings) -> None:
    """Every unit's read models brought up to the log in this process, as the worker would after the
    doorbells (tests and benchmarks that run no worker)."""
    runtime = build_runtime(settings)
    try:
        for unit_id in runtime.store.unit_heads():
            runtime.runner.catch_up(unit_id)
    finally:
        runtime.close()


@lru_cache(maxsize=1)
def process_runtime() -> ProjectionRuntime:
    """One per worker process, built on first use (never at import: the worker forks first). The worker
    writes read models only: its commits need not wait for the disk."""
    collect_garbage_rarely()
    return build_runtime(get_settings(), relaxed=True)
