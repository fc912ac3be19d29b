"""The use cases' context keeps the unit tree as the log has it: loaded once, then topped up with new events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.units.commands import RegisterUnit, RenameUnit
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore, open_store
from services.commands import context
from services.commands.context import CommandContext
from services.commands.tree_log import load_tree
from services.commands.units import handle_unit_command
from services.embedded import ADMINISTRATOR, seed_minimal_province

CELL = "unit-school-cell-1"


@pytest.fixture
def store() -> Iterator[EventStore]:
    store = open_store("sqlite:///:memory:")
    seed_minimal_province(store)
    yield store
    store.close()


def _same(left: UnitTree, right: UnitTree) -> None:
    assert left.all_latest() == right.all_latest()
    assert left.change_dates == right.change_dates
    for unit in right.all_latest():
        for on in (date(2020, 10, 15), date(2024, 1, 1), date.today()):
            assert left.state_on(unit.unit_id, on) == right.state_on(unit.unit_id, on)
        assert left.subtree(unit.unit_id, date.today()) == right.subtree(unit.unit_id, date.today())


def test_a_tree_topped_up_with_the_streams_new_events_equals_the_tree_read_afresh(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = CommandContext(store)
    loads: list[EventStore] = []

    def counted(read_from: EventStore) -> tuple[UnitTree, int]:
        loads.append(read_from)
        return load_tree(read_from)

    monkeypatch.setattr(context, "load_tree", counted)
    before, _, _ = ctx.for_command(None)  # cold: the tree is loaded once
    parent = before.latest(CELL)
    assert parent is not None and parent.parent_id is not None
    for command in (
        RegisterUnit("unit-new-cell", "CB-MOI", "Chi bộ Mới", UnitKind.CELL, parent.parent_id),
        RenameUnit(CELL, "Chi bộ Trường học"),
    ):
        handle_unit_command(store, command, occurred_on=date(2024, 1, 2), actor=ADMINISTRATOR)
    topped_up, _, _ = ctx.for_command(None)
    fresh, version = load_tree(store)
    _same(topped_up, fresh)
    assert ctx.versioned_tree()[0] == version
    assert topped_up.latest("unit-new-cell") is not None
    assert ctx.tree() is topped_up  # the topped-up tree is the one the process keeps
    assert len(loads) == 1  # read whole once, when cold; never again
