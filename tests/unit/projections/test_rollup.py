"""Kept roll-ups (`projections/rollup.py`): a group's sums follow its members' rows through batches, moves
and swaps, and an answer uses a group only when every member of it is one of the units asked about."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from domain.units.events import UnitMerged, UnitMoved, UnitRegistered
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from projections import rollup
from projections.checkpoints import Move, advance, lock_units
from projections.queries import reading
from projections.queries.rollup import _cover, forget_members, summed_rows
from projections.queries.units import subtree_units
from projections.rollup_schema import rollup_rows
from projections.rows import UnitRows
from projections.schema import create_projection_tables
from projections.storage import load_units, save_units

VERSIONS = {"unit_dashboard": 2, "statistics": 1}
KEPT = sa.select(rollup_rows.c.group_id, rollup_rows.c.row_key, rollup_rows.c.data)
Change = dict[str, dict[str, Any] | None]


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    made = sa.create_engine(f"sqlite:///{tmp_path / 'rollup.db'}")
    create_projection_tables(made)
    forget_members()
    yield made
    made.dispose()


def batch(engine: sa.Engine, unit_id: str, change: Change, name: str = "unit_dashboard", to: int | None = None) -> None:
    """One runner batch in miniature: load, replace or delete rows, record the roll-up, save; the unit's
    checkpoints move `to` a position when given."""
    with engine.begin() as connection:
        checkpoints = lock_units(connection, [unit_id], VERSIONS)[unit_id]  # as the runner: checkpoints first
        moves = [Move(c, to, 1) for c in checkpoints.values()] if to is not None else []
        rows = load_units(connection, [unit_id], VERSIONS)
        before = rollup.capture(rows, VERSIONS)
        for key, row in change.items():
            if row is None:
                rows[unit_id][name].delete(key)
            else:
                rows[unit_id][name].put(key, row)
        rollup.record(connection, before, rows, VERSIONS, moves)
        save_units(connection, VERSIONS, rows)
        advance(connection, moves)


def summed(engine: sa.Engine, units: list[str], keys: list[str], name: str = "unit_dashboard") -> dict[str, Any]:
    with engine.connect() as connection:
        return summed_rows(connection, name, VERSIONS[name], {"": units}, keys)[""]


def kept(engine: sa.Engine) -> list[rollup.Mismatch]:
    with engine.connect() as connection:
        return rollup.check(connection)


def test_sums_add_nested_counters_and_drop_what_falls_to_nothing() -> None:
    total: dict[str, Any] = {}
    rollup.add_into(total, {"admitted": 2, "exits": {"expelled": 1}, "set_on": "2021-01-01"})
    rollup.add_into(total, {"admitted": 2, "exits": {"expelled": 1}}, -1)

    assert total == {"admitted": 0, "exits": {"expelled": 0}}
    assert rollup.pruned(total) == {}
    assert rollup.pruned({"a": 1, "b": {"c": 0, "d": 2}, "e": {}}) == {"a": 1, "b": {"d": 2}}


def test_a_batch_changes_its_groups_sum_by_new_rows_less_old_ones(engine: sa.Engine) -> None:
    rollup.regroup(engine, {"commune": "commune", "cell-1": "commune", "cell-2": "commune"})
    batch(engine, "cell-1", {"members": {"official": 3}, "p:person-1": {"stage": "Official", "since": None}})
    batch(engine, "cell-2", {"members": {"official": 2, "probationary": 1}})
    batch(engine, "cell-1", {"members": {"official": 1}})
    batch(engine, "cell-2", {"members": None})

    assert summed(engine, ["commune", "cell-1", "cell-2"], ["members"]) == {"members": {"n": 1, "sum": {"official": 1}}}
    assert kept(engine) == []
    with engine.connect() as connection:
        keys = {row.row_key for row in connection.execute(KEPT)}
    assert keys == {"members"}, "a person's place is not a count"


def test_a_unit_joining_leaving_or_moving_takes_its_counts_along(engine: sa.Engine) -> None:
    batch(engine, "cell-1", {"funnel": {"Applicant": 2}})
    batch(engine, "cell-2", {"funnel": {"Applicant": 5}})
    assert rollup.regroup(engine, {"cell-1": "a", "cell-2": "a"}) == rollup.Regrouped(2, 0, 0)
    assert rollup.regroup(engine, {"cell-1": "a", "cell-2": "b"}) == rollup.Regrouped(0, 1, 0)
    assert rollup.regroup(engine, {"cell-1": "a"}) == rollup.Regrouped(0, 0, 1)
    assert rollup.regroup(engine, {"cell-1": "a"}).total == 0

    assert kept(engine) == []
    with engine.connect() as connection:
        rows = {(r.group_id, r.row_key): r.data for r in connection.execute(KEPT)}
    assert rows == {("a", "funnel"): {"n": 1, "sum": {"Applicant": 2}}}


def test_a_group_is_used_only_when_all_its_members_are_asked_about() -> None:
    members = {"a": frozenset({"a", "a1", "a2"}), "b": frozenset({"b", "b1"})}

    assert _cover(["top", "a", "a1", "a2", "b", "b1"], members) == (["a", "b"], ["top"])
    assert _cover(["a", "a1"], members) == ([], ["a", "a1"]), "a2 is outside the wall: group a is not read"
    assert _cover(["a1", "a2"], members) == ([], ["a1", "a2"]), "a group is named by one of the units asked"


def test_an_answer_sums_covered_groups_and_the_other_units_alike(engine: sa.Engine) -> None:
    counts = {"top": 1, "a": 2, "a1": 3, "a2": 4, "b": 5, "b1": 6}
    for unit_id, count in counts.items():
        batch(engine, unit_id, {"s:2025:admissions": {"sex": {"Nam": count}}}, "statistics")
    rollup.regroup(engine, {"a": "a", "a1": "a", "a2": "a", "b": "b", "b1": "b"})
    key = ["s:2025:admissions"]

    for units in (["top", "a", "a1", "a2", "b", "b1"], ["a", "a1"], ["a1"], ["b", "b1", "a2"]):
        by_hand = sum(counts[unit] for unit in units)
        answer = summed(engine, units, key, "statistics")
        assert answer == {key[0]: {"n": len(units), "sum": {"sex": {"Nam": by_hand}}}}, units


def test_a_swap_replaces_live_counts_with_the_scratch_ones(engine: sa.Engine) -> None:
    batch(engine, "cell-1", {"funnel": {"Applicant": 2}, "closed": {"Rejected": 1}})
    rollup.regroup(engine, {"cell-1": "a"})
    scratch = {name: rollup.SCRATCH_VERSIONS + version for name, version in VERSIONS.items()}
    with engine.begin() as connection:
        rows = {"cell-1": {name: UnitRows() for name in VERSIONS}}
        rows["cell-1"]["unit_dashboard"].put("funnel", {"Applicant": 3})
        save_units(connection, scratch, rows)
        rollup.record_swap(connection, ["cell-1"], VERSIONS, scratch)

    with engine.connect() as connection:
        found = {r.row_key: r.data for r in connection.execute(KEPT)}
    assert found == {"funnel": {"n": 1, "sum": {"Applicant": 3}}}


def test_a_unit_is_grouped_under_the_committee_below_the_top_and_a_merged_one_with_its_successor() -> None:
    def unit(unit_id: str, kind: UnitKind, parent: str | None) -> tuple[Any, date]:
        return UnitRegistered(unit_id, unit_id.upper(), unit_id, kind, parent, False), date(2020, 1, 1)

    tree = UnitTree.from_events(
        [
            unit("top", UnitKind.PROVINCIAL_COMMITTEE, None),
            unit("a", UnitKind.UPPER_COMMITTEE, "top"),
            unit("b", UnitKind.UPPER_COMMITTEE, "top"),
            unit("g", UnitKind.GRASSROOTS_COMMITTEE, "a"),
            unit("c1", UnitKind.CELL, "g"),
            unit("c2", UnitKind.CELL, "g"),
            unit("h", UnitKind.GRASSROOTS_COMMITTEE, "b"),
            (UnitMoved("g", "b", date(2024, 1, 1), "QĐ 1"), date(2023, 12, 1)),
            (UnitMerged("c2", "c1", date(2024, 6, 1), "QĐ 2"), date(2024, 5, 1)),
        ]
    )
    before = rollup.wanted_groups(tree, date(2023, 6, 1))
    after = rollup.wanted_groups(tree, date(2025, 1, 1))

    assert before == {"a": "a", "b": "b", "g": "a", "c1": "a", "c2": "a", "h": "b"}
    assert after == {"a": "a", "b": "b", "g": "b", "c1": "b", "c2": "b", "h": "b"}
    for on, groups in ((date(2023, 6, 1), before), (date(2025, 1, 1), after)):
        for group in {"a", "b"}:
            assert {u for u, g in groups.items() if g == group} == set(subtree_units(tree, group, on)), (on, group)


def test_an_answer_over_groups_reflects_their_members_lowest_checkpoint(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MANY_UNITS", 1)  # the groups' kept positions answer above one unit
    rollup.regroup(engine, {"a": "a", "a1": "a", "a2": "a"})
    batch(engine, "a", {"members": {"official": 1}}, to=40)
    batch(engine, "a1", {"members": {"official": 1}}, to=30)

    def position(units: list[str]) -> int:
        with engine.connect() as connection:
            return reading.reflected_position(connection, "unit_dashboard", 2, units)

    assert position(["top", "a", "a1", "a2"]) == 0, "a2 was never built"
    batch(engine, "a2", {}, to=50)
    assert position(["a", "a1", "a2"]) == 30
    batch(engine, "a1", {}, to=60)
    assert position(["a", "a1", "a2"]) == 40
    rollup.regroup(engine, {"a": "a", "a2": "a"})
    assert position(["a", "a1", "a2"]) == 40
    assert position(["a", "a2"]) == 40
    assert kept(engine) == []


def test_a_remembered_cover_of_many_units_follows_a_group_whose_members_changed() -> None:
    many = ["top", "a", "a1", *(f"cell-{n:04d}" for n in range(1_200))]
    before = {"a": frozenset({"a", "a1"})}

    groups, _alone = _cover(many, before)
    groups.clear()  # a caller's change to an answer never reaches the next one
    assert _cover(many, before) == (["a"], ["top", *many[3:]])
    after = {"a": frozenset({"a", "a1", "elsewhere"})}  # a unit outside the answer joined group a
    assert _cover(many, after) == ([], many)
    assert _cover(many, before) == (["a"], ["top", *many[3:]])
