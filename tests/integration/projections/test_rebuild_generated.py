"""I6 over a realistic history: live read models built in small batches equal a rebuild from zero, for every
projection of every unit of a generated province (thousands of events, dozens of units)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore
from projections.person_states import PersonStates
from projections.rebuild import compare
from projections.registry import PROJECTIONS
from projections.runner import Runner
from services.seed import generate_province


@pytest.mark.slow
def test_live_projections_equal_a_rebuild_over_a_generated_province(engine: sa.Engine, store: EventStore) -> None:
    report = generate_province(store, scale="small", seed=7)
    assert report.events > 3000
    units = sorted(store.unit_heads())
    assert len(units) > 20

    live = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS), batch_size=97)
    for unit in units:
        assert live.catch_up(unit).parked == []

    fresh = Runner(engine, store, EVENTS, PROJECTIONS, enrich=PersonStates(store, EVENTS), batch_size=5000)
    differing = [
        (projection.name, unit)
        for unit in units
        for projection in PROJECTIONS
        if not compare(fresh, projection, unit).equal
    ]
    assert differing == []
