"""The read side's two shared steps, used alike by the JSON API and the web pages: which units an answer may
cover (the walls, I8) and one snapshot per answer (rows and their checkpoint position agree)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa

from domain.units.tree import UnitTree
from projections import queries
from services.commands.actors import Actor
from services.commands.walls import NotFound, WallDenied, today

T = TypeVar("T")


def units_in_view(tree: UnitTree, actor: Actor, unit_id: str, on: date | None = None) -> list[str]:
    """The units an answer about `unit_id` covers, as the tree stood on `on` (default today).

    I8: authority is judged on today's tree and the caller's unit as it is today, whatever `on` says. A past
    date only chooses which of the units the caller may see today the answer is computed from: a unit that
    has since left the caller's subtree is not in it, and a unit that is not the caller's today is refused
    exactly like one that never was.
    """
    now = today()
    visible = caller_units(tree, actor, now)
    if unit_id not in visible:
        raise WallDenied(f"{unit_id[:80]} is not within {actor.unit_id} today")
    if on is None or on == now:
        return queries.subtree_units(tree, unit_id, now)
    if tree.state_on(unit_id, on) is None:
        raise NotFound(f"{unit_id[:80]} did not exist on {on.isoformat()}")  # as a unit that never was
    return [u for u in queries.subtree_units(tree, unit_id, on) if u in visible]


def caller_units(tree: UnitTree, actor: Actor, now: date) -> frozenset[str]:
    """Every unit the caller may see today: its unit, the units below it, and units reorganised into them.
    An assignment at a unit that has ceased (merged, dissolved) sees nothing: it fails closed."""
    if tree.live_on(actor.unit_id, now) is None:
        return frozenset()
    return frozenset(queries.subtree_units(tree, actor.unit_id, now))


def read_snapshot(engine: sa.Engine, query: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """One snapshot per answer: rows and the checkpoint position they are reported with must agree, or a
    worker committing between the two reads makes a stale answer claim a fresh position (seen in a test).
    SQLite's read transaction is already a snapshot (the engine begins IMMEDIATE)."""

    def run() -> T:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            return query(connection, *args, **kwargs)

    return run
