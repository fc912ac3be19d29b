"""A read about many units on PostgreSQL (one array, `= ANY`) answers exactly as one about a few (`IN`).

Above `MANY_UNITS` the units go to the server as one array parameter: for the city's 30,000 units the driver
spent longer parsing 30,000 placeholders than the server ran the statement.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from projections.engine import projection_engine
from projections.queries.reading import MANY_UNITS, reflected_position, unit_positions
from projections.registry import PROJECTIONS
from projections.schema import create_projection_tables
from projections.schema import projection_checkpoints as cp

pytestmark = pytest.mark.postgres


def test_checkpoints_of_many_units_are_read_as_of_a_few(postgres_url: str) -> None:
    engine = projection_engine(postgres_url)
    create_projection_tables(engine)
    units = [f"unit-{n:04d}" for n in range(MANY_UNITS * 3)]
    with engine.begin() as connection:
        connection.execute(
            sa.insert(cp),
            [
                {"projection": p.name, "version": p.version, "unit_id": unit, "position": 1000 + n}
                for n, unit in enumerate(units[1:])  # the first unit was never built
                for p in PROJECTIONS
            ],
        )
    try:
        with engine.connect() as connection:
            many = unit_positions(connection, units)
            few = {unit: unit_positions(connection, [unit])[unit] for unit in units}
            lowest_built = reflected_position(connection, PROJECTIONS[0].name, PROJECTIONS[0].version, units[1:])
            with_unbuilt = reflected_position(connection, PROJECTIONS[0].name, PROJECTIONS[0].version, units)
    finally:
        engine.dispose()
    assert many == few and many[units[0]] == 0 and many[units[-1]] == 1000 + len(units) - 2
    assert (lowest_built, with_unbuilt) == (1000, 0)
