"""`partyledger rebuild --jobs N` on PostgreSQL: units shared by spawned processes, rows identical to one process."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from domain.codec import EVENTS
from eventstore import open_store
from projections.engine import projection_engine
from projections.registry import PROJECTIONS
from projections.schema import create_projection_tables
from projections.storage import digest
from services.rebuild_pool import RebuildFailed, rebuild_in_processes
from tests.integration.projections.school import append, catch_up, the_school_in_2021
from tests.integration.worker.conftest import settings_of, worker_env


def live_digests(url: str, units: list[str]) -> dict[tuple[str, str], str]:
    engine = projection_engine(url)
    try:
        with engine.connect() as connection:
            return {(p.name, u): digest(connection, p.name, p.version, u) for p in PROJECTIONS for u in units}
    finally:
        engine.dispose()


def test_two_processes_rebuild_every_unit_into_the_rows_the_live_worker_built(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    store = open_store(postgres_url, codec=EVENTS)
    engine = projection_engine(postgres_url)
    create_projection_tables(engine)
    append(store, the_school_in_2021()[0])
    catch_up(engine, store)
    units = sorted(store.unit_heads())
    store.close()
    engine.dispose()
    before = live_digests(postgres_url, units)
    with psycopg.connect(postgres_url, autocommit=True) as connection:  # a read model gone wrong, to be mended
        connection.execute(
            "UPDATE projection_rows SET data = '{\"wrong\": true}' "
            "WHERE ctid IN (SELECT ctid FROM projection_rows WHERE projection = 'member_roll' LIMIT 3)"
        )
    assert live_digests(postgres_url, units) != before
    rebuilt: list[str] = []

    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    rebuild_in_processes(settings, [p.name for p in PROJECTIONS], units, 2, on_unit=rebuilt.append)

    assert sorted(rebuilt) == units  # each unit once, reported as it was swapped in
    assert live_digests(postgres_url, units) == before
    assert len(set(before.values())) > len(PROJECTIONS)  # the rows compared are not all empty


def test_a_process_that_cannot_rebuild_stops_the_run_with_its_reason(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    settings = settings_of(worker_env(postgres_url, redis_url, tmp_path))
    with pytest.raises(RebuildFailed, match="exited before its units were done"):
        rebuild_in_processes(settings, ["no-such-projection"], ["unit-a", "unit-b"], 2)
