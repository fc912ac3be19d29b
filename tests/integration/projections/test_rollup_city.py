"""Kept roll-ups on PostgreSQL over a generated city (`generate_city`, 1/500 of its size): the upper units'
dashboards, yearly progress, children and HD 11 statistics read from the groups' kept sums equal the same
answers summed from every unit's rows at query time — for the city, a commune, an officer's walled subtree
and a past year — before and after a grassroots committee moves to another commune and a cell is merged into
another commune's cell, both before the groups follow the tree and after."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from domain.calendar import WorkingCalendar
from domain.units.commands import MergeUnit, MoveUnit
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore, open_store
from projections import queries
from projections import rollup as kept_rollup
from projections.queries import reading
from projections.queries import rollup as reading_rollup
from projections.queries.dashboard import dashboard_from_rows, dashboard_keys, plan_keys
from projections.queries.deadlines import deadline_summary
from projections.queries.reading import keyed_rows, version_of
from projections.queries.units import subtree_units
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.person_ids import PersonIdKey
from services.commands.tree_log import load_tree
from services.commands.units import UnitChange, change_unit
from services.commands.walls import today
from services.projection_runtime import ProjectionRuntime, build_runtime
from services.reads import lag_of, units_in_view
from services.seed.city import generate_city
from services.settings import Settings

pytestmark = pytest.mark.postgres
KEY = PersonIdKey(b"k" * 32)


@pytest.fixture
def city(postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ProjectionRuntime]:
    monkeypatch.setattr(reading, "MANY_UNITS", 8)  # the small city's 63 units are "many": groups answer positions
    store = open_store(postgres_url, durable=False)
    try:
        generate_city(store, seed=2020, person_key=KEY, fraction=0.002)
    finally:
        store.close()
    settings = Settings.from_environment({
        "PARTYLEDGER_DATABASE_URL": postgres_url, "PARTYLEDGER_DATA_DIR": str(tmp_path),
        "PARTYLEDGER_ENVIRONMENT": "development", "PARTYLEDGER_BROKER_URL": "memory://",
    })  # fmt: skip
    runtime = build_runtime(settings)
    reading_rollup.forget_members()
    yield runtime
    runtime.close()


def catch_up(runtime: ProjectionRuntime, units: list[str] | None = None) -> None:
    for unit_id in units if units is not None else sorted(runtime.store.unit_heads()):
        runtime.runner.catch_up(unit_id)


def answers(engine: sa.Engine, tree: UnitTree, units: list[str], year: int) -> dict[str, Any]:
    """Everything the city's two pages read about `units`, in one snapshot."""
    with engine.connect() as connection:
        connection.execution_options(isolation_level="REPEATABLE READ")
        board = queries.dashboard(connection, units, year, "2020-2025", today().year)
        progress = queries.yearly_progress(connection, units, "2020-2025")
        stats = queries.statistics(connection, units, year)
        kids = tree.as_of(today()).children(units[0])
        scopes = {kid: subtree_units(tree, kid, today()) for kid in kids}
        version = version_of(connection, "unit_dashboard")
        children = reading_rollup.summed_rows(connection, "unit_dashboard", version, scopes, ["funnel", "members"])
        rows = keyed_rows(connection, "unit_dashboard", version, units, dashboard_keys(year, "2020-2025", today().year))
        plans_version = version_of(connection, "unit_plans")
        plans = keyed_rows(connection, "unit_plans", plans_version, units, plan_keys(year, "2020-2025"))
        by_rows = dashboard_from_rows(board.position, units, year, "2020-2025", rows, plans, today().year)
        calendar = WorkingCalendar()
        summary = deadline_summary(connection, units, today(), calendar, scopes)
        every = queries.deadlines(connection, units, today(), calendar)
    return {
        "board": board,
        "by_rows": by_rows,
        "progress": progress,
        "stats": stats,
        "children": children,
        "deadlines": summary,
        "every deadline": every,
    }


def query_time(
    engine: sa.Engine, tree: UnitTree, units: list[str], year: int, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """The same answers with no group used: every unit's own rows summed at query time."""
    with monkeypatch.context() as patched:
        patched.setattr(reading_rollup, "_group_members", lambda connection, units: {})
        return answers(engine, tree, units, year)


def covered_groups(engine: sa.Engine, units: list[str]) -> list[str]:
    with engine.connect() as connection:
        members = reading_rollup._group_members(connection, set(units))
    return reading_rollup._cover(units, members)[0]


def assert_kept_equals_query_time(
    runtime: ProjectionRuntime, tree: UnitTree, views: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, units in views.items():
        for year in (2022, 2025):
            kept = answers(runtime.engine, tree, units, year)
            made = query_time(runtime.engine, tree, units, year, monkeypatch)
            assert kept == made, (name, year)
            assert kept["board"] == kept["by_rows"], (name, year)
            summary, every = kept["deadlines"], kept["every deadline"]
            assert summary.open == every.open[: len(summary.open)] and len(summary.open) == min(50, len(every.open))
            assert summary.open_count == len(every.open)
            assert summary.overdue_count == sum(1 for d in every.open if d.overdue)
            assert summary.breaches == every.breaches[:50]
    city = answers(runtime.engine, tree, views["city"], 2025)
    assert city["board"].members.total > 0 and sum(s.count for s in city["board"].funnel) > 0
    assert city["deadlines"].open_count > 0


def test_kept_rollups_answer_as_query_time_sums_through_a_move_and_a_merger(
    city: ProjectionRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, engine = city.store, city.engine
    units = sorted(store.unit_heads())
    catch_up(city, units[: len(units) // 2])
    tree, _ = load_tree(store)
    grouped = kept_rollup.regroup_to_tree(engine, tree, today())  # half the units have rows, half not yet
    catch_up(city)
    with engine.connect() as connection:
        assert kept_rollup.check(connection) == []

    top = next(u.unit_id for u in tree.all_latest() if u.parent_id is None)
    communes = sorted(tree.as_of(today()).children(top))
    first, second = communes[:2]
    admin = Actor("admin.thanhpho", Role.PROVINCIAL_ADMIN, top)
    officer = Actor("canbo.phuong", Role.UPPER_OFFICER, first)
    assert grouped.joined == len(tree.all_latest()) - 1, "every unit but the city's committee is in a group"
    assert covered_groups(engine, units_in_view(tree, admin, top)) == communes

    def views(tree: UnitTree) -> dict[str, list[str]]:
        return {
            "city": units_in_view(tree, admin, top),
            "first commune": units_in_view(tree, admin, first),
            "second commune": units_in_view(tree, admin, second),
            "the first commune's officer": units_in_view(tree, officer, first),
            "the city on 31/12/2024": units_in_view(tree, admin, top, date(2024, 12, 31)),
        }

    assert_kept_equals_query_time(city, tree, views(tree), monkeypatch)

    grassroots = sorted(
        u.unit_id for u in tree.all_latest() if u.kind is UnitKind.GRASSROOTS_COMMITTEE and u.parent_id == first
    )
    cells_of = {g: sorted(tree.as_of(today()).children(g)) for g in grassroots}
    moved, staying = grassroots[0], grassroots[1]
    merged = cells_of[staying][0]
    view = tree.as_of(today())
    into = sorted(c for c in view.subtree(second) if (u := view.get(c)) is not None and u.kind is UnitKind.CELL)[0]
    ctx = CommandContext(store)
    version, _ = ctx.versioned_tree()
    change_unit(ctx, UnitChange(admin, MoveUnit(moved, second, today(), "QĐ 21"), today(), version, "move"))
    version, _ = ctx.versioned_tree()
    change_unit(ctx, UnitChange(admin, MergeUnit(merged, into, today(), "QĐ 22"), today(), version, "merge"))
    tree, _ = load_tree(store)
    assert not lag_of(engine, store, views(tree)["city"]).caught_up, "the tree's and the moved people's events"
    catch_up(city)
    assert lag_of(engine, store, views(tree)["city"]).caught_up

    assert first not in covered_groups(engine, views(tree)["first commune"]), "its group still holds the moved units"
    assert_kept_equals_query_time(city, tree, views(tree), monkeypatch)

    regrouped = kept_rollup.regroup_to_tree(engine, tree, today())
    assert regrouped.moved == 1 + len(cells_of[moved]) + 1  # the committee, its cells, and the merged cell
    with engine.connect() as connection:
        assert kept_rollup.check(connection) == []
    assert first in covered_groups(engine, views(tree)["first commune"])
    assert second in covered_groups(engine, views(tree)["second commune"])
    assert_kept_equals_query_time(city, tree, views(tree), monkeypatch)


def test_an_officer_never_reads_a_group_reaching_outside_their_walls(
    city: ProjectionRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    catch_up(city)
    tree, _ = load_tree(city.store)
    kept_rollup.regroup_to_tree(city.engine, tree, today())
    top = next(u.unit_id for u in tree.all_latest() if u.parent_id is None)
    commune = sorted(tree.as_of(today()).children(top))[0]
    grassroots = sorted(tree.as_of(today()).children(commune))[0]
    officer = Actor("canbo.coso", Role.GRASSROOTS_OFFICER, grassroots)
    units = units_in_view(tree, officer, grassroots)

    assert covered_groups(city.engine, units) == [], "the commune's group holds units beyond the officer's walls"
    mine = answers(city.engine, tree, units, 2025)
    whole = answers(city.engine, tree, units_in_view(tree, replace(officer, unit_id=commune), commune), 2025)
    assert mine == query_time(city.engine, tree, units, 2025, monkeypatch)
    assert mine["board"].members.total < whole["board"].members.total


def test_many_units_are_judged_behind_by_the_server_as_one_by_one(
    city: ProjectionRuntime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "MANY_UNITS", 16)  # the small city has 63 units: the server judges above 16
    store: EventStore = city.store
    units = sorted(store.unit_heads())
    catch_up(city, units[:-3])
    heads = store.unit_heads()
    with city.engine.connect() as connection:
        behind = queries.units_behind(connection, heads)
        reached = queries.unit_positions(connection, units)
    assert len(heads) > 16
    assert behind == {u: reached[u] for u in units if heads[u] > reached[u]}
    assert set(behind) == set(units[-3:])
