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
from services.commands.walls import require_within, today

T = TypeVar("T")


def units_in_view(tree: UnitTree, actor: Actor, unit_id: str, on: date | None = None) -> list[str]:
    """The unit and its subtree on `on` (default today), if the unit is within the caller's walls."""
    when = on or today()
    require_within(tree, actor, unit_id, when)
    return queries.subtree_units(tree, unit_id, when)


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
