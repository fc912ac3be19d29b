"""I6: a new version of a projection is built beside the live one, queries keep reading the live one, and the
switch happens only once the new one has caught up on every unit."""

from __future__ import annotations

import sqlalchemy as sa

from domain.codec import EVENTS
from eventstore import EventStore
from projections.base import Applied
from projections.rebuild import compare, rebuild
from projections.rows import UnitRows
from projections.runner import Runner
from projections.storage import read_rows
from projections.versions import active_version, switch_when_caught_up
from tests.support.appending import set_plan


class PlanTotal:
    """Version 1 sums planned figures; version 2 also counts the plans (a changed meaning: a new version)."""

    name = "plan_total"
    event_types: frozenset[str] | None = frozenset({"YearlyPlanSet"})

    def __init__(self, version: int) -> None:
        self.version = version

    def apply(self, rows: UnitRows, applied: Applied) -> None:
        def add(row: dict[str, int]) -> None:
            row["planned"] = row.get("planned", 0) + applied.event.planned
            if self.version >= 2:
                row["plans"] = row.get("plans", 0) + 1

        rows.update("total", add)


def total(engine: sa.Engine, unit: str, projection: PlanTotal) -> dict[str, int]:
    with engine.connect() as connection:
        version = active_version(connection, projection)
        return read_rows(connection, projection.name, version, [unit])[unit].get("total", {})


def test_a_new_version_is_built_beside_and_switched_to_when_caught_up(engine: sa.Engine, store: EventStore) -> None:
    set_plan(store, "unit-a", 2021, 2)
    set_plan(store, "unit-b", 2021, 3)
    old = PlanTotal(1)
    for unit in ("unit-a", "unit-b"):
        Runner(engine, store, EVENTS, [old]).catch_up(unit)
    assert switch_when_caught_up(engine, store, [old]) == ["plan_total"]  # first deployment: active at once

    new = PlanTotal(2)
    Runner(engine, store, EVENTS, [new]).catch_up("unit-a")
    assert switch_when_caught_up(engine, store, [new]) == []  # unit-b not built yet: queries stay on v1
    assert total(engine, "unit-a", new) == {"planned": 2}

    Runner(engine, store, EVENTS, [new]).catch_up("unit-b")
    assert switch_when_caught_up(engine, store, [new]) == ["plan_total"]
    assert total(engine, "unit-a", new) == {"planned": 2, "plans": 1}
    with engine.connect() as connection:
        assert read_rows(connection, "plan_total", 1, ["unit-a"])["unit-a"] == {}  # the old version is gone


def test_rebuild_replaces_rows_altered_behind_the_applications_back(engine: sa.Engine, store: EventStore) -> None:
    set_plan(store, "unit-a", 2021, 2)
    projection = PlanTotal(1)
    runner = Runner(engine, store, EVENTS, [projection])
    runner.catch_up("unit-a")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE projection_rows SET data = '{\"planned\": 99}' WHERE unit_id = 'unit-a'"))
    assert not compare(runner, projection, "unit-a").equal

    assert rebuild(runner, [projection], ["unit-a"]) == 1

    assert compare(runner, projection, "unit-a").equal
    assert total(engine, "unit-a", projection) == {"planned": 2}


def test_rebuilding_several_projections_at_once_repairs_each(engine: sa.Engine, store: EventStore) -> None:
    """`partyledger rebuild` reads a unit's events once for all projections; each is swapped in whole."""

    class PlanCount(PlanTotal):
        name = "plan_count"

    set_plan(store, "unit-a", 2021, 2)
    set_plan(store, "unit-a", 2022, 5)
    both = [PlanTotal(1), PlanCount(1)]
    runner = Runner(engine, store, EVENTS, both)
    runner.catch_up("unit-a")
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM projection_rows WHERE unit_id = 'unit-a'"))
    assert [compare(runner, p, "unit-a").equal for p in both] == [False, False]

    assert rebuild(runner, both, ["unit-a"]) == 4  # two events into each of two projections

    assert [compare(runner, p, "unit-a").equal for p in both] == [True, True]
    assert total(engine, "unit-a", both[1]) == {"planned": 7}
