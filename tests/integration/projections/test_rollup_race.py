"""Kept roll-ups on PostgreSQL under a race: a unit joins its group while a worker's batch for that unit is in
flight. The batch found the unit in no group (it had no membership row yet), so it added nothing to any sum;
the move must wait for that batch to commit and then carry the unit's rows as they stand after it, or the
group's sums miss the batch for good (what `rebuild --check` calls "roll-ups differ")."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from projections import rollup
from projections.checkpoints import lock_units
from projections.engine import projection_engine
from projections.queries.rollup import forget_members
from projections.rollup_schema import rollup_rows
from projections.schema import create_projection_tables
from projections.storage import load_units, save_units

pytestmark = pytest.mark.postgres
VERSIONS = {"unit_dashboard": 2, "statistics": 1}


@pytest.fixture
def engine(postgres_url: str) -> Iterator[sa.Engine]:
    made = projection_engine(postgres_url)
    create_projection_tables(made)
    forget_members()
    yield made
    made.dispose()


def held_batch(engine: sa.Engine, recorded: threading.Event, release: threading.Event) -> None:
    """A runner batch that has recorded its roll-up change and is held before it commits."""
    with engine.begin() as connection:
        lock_units(connection, ["cell-1"], VERSIONS)
        rows = load_units(connection, ["cell-1"], VERSIONS)
        before = rollup.capture(rows, VERSIONS)
        rows["cell-1"]["unit_dashboard"].put("funnel", {"Applicant": 3})
        rollup.record(connection, before, rows, VERSIONS, [])
        save_units(connection, VERSIONS, rows)
        recorded.set()
        assert release.wait(30)


def test_a_unit_joining_its_group_waits_for_a_batch_in_flight_and_carries_its_rows(engine: sa.Engine) -> None:
    recorded, release = threading.Event(), threading.Event()
    writer = threading.Thread(target=held_batch, args=(engine, recorded, release))
    writer.start()
    assert recorded.wait(30)
    moves: list[rollup.Regrouped] = []
    mover = threading.Thread(target=lambda: moves.append(rollup.regroup(engine, {"cell-1": "commune"})))
    mover.start()
    mover.join(1.0)
    waited = mover.is_alive()
    release.set()
    writer.join(30)
    mover.join(30)

    assert waited, "the move went ahead while a batch of the unit was in flight"
    assert moves == [rollup.Regrouped(1, 0, 0)]
    with engine.connect() as connection:
        assert rollup.check(connection) == []
        kept = connection.execute(sa.select(rollup_rows.c.data).where(rollup_rows.c.row_key == "funnel"))
        assert [row.data for row in kept] == [{"n": 1, "sum": {"Applicant": 3}}]
