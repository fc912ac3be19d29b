"""An API process's unit heads (`services.reads.UnitHeads`): read once, then topped up from the new events.

`lag_of` judges an answer about thousands of units against their heads; the heads must follow the log
exactly as asking the log each time would, or a page would say it is caught up while missing an event.
"""

from __future__ import annotations

from eventstore import EventStore
from eventstore.memory import MemoryEventStore
from services.reads import FEW_UNITS, UnitHeads
from tests.support.appending import set_plan, set_target

MANY = [f"unit-{n:02d}" for n in range(FEW_UNITS + 4)]


def asked_one_by_one(store: EventStore, units: list[str]) -> dict[str, int]:
    return {unit: store.unit_head(unit) for unit in units}


def test_heads_follow_every_append_after_the_first_read_of_all_of_them() -> None:
    store = MemoryEventStore()
    for unit in MANY[:5]:
        set_target(store, unit, 3)
    heads = UnitHeads(store)
    assert heads.of(MANY) == asked_one_by_one(store, MANY)  # the first answer about many units reads them all
    set_plan(store, MANY[0], 2025, 2)
    set_target(store, MANY[-1], 1)  # a unit with no event before
    assert heads.of(MANY) == asked_one_by_one(store, MANY)
    assert heads.of(MANY[:1]) == asked_one_by_one(store, MANY[:1])


def test_a_few_units_are_asked_for_one_by_one_until_the_heads_are_read() -> None:
    store = MemoryEventStore()
    set_target(store, MANY[0], 3)
    heads = UnitHeads(store)
    assert heads.of(MANY[:2]) == {MANY[0]: store.head_position(), MANY[1]: 0}
    set_plan(store, MANY[1], 2025, 2)
    assert heads.of(MANY[:2]) == asked_one_by_one(store, MANY[:2])


def test_more_new_events_than_a_top_up_reads_makes_it_read_every_head_again() -> None:
    store = MemoryEventStore()
    heads = UnitHeads(store, tail_limit=3)
    heads.warm()
    for year in range(2020, 2026):
        set_plan(store, MANY[year % 3], year, 1)
    assert heads.of(MANY) == asked_one_by_one(store, MANY)
