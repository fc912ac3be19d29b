"""The read side's two shared steps, used alike by the JSON API and the web pages: which units an answer may
cover (the walls, I8) and one snapshot per answer (rows and their checkpoint position agree)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

import sqlalchemy as sa

from domain.units.tree import UnitTree
from eventstore import EventStore
from projections import queries
from services.commands.actors import Actor
from services.commands.walls import NotFound, WallDenied, today

T = TypeVar("T")
FEW_UNITS = 16
"""Up to this many units an answer asks the log for each unit's head; more, it reads every unit's at once."""
FIRST_EVENTS = 8
"""How many behind units are asked for their first pending event (its time); the rest are judged together."""


@dataclass(frozen=True)
class Lag:
    """What an answer about some units is missing of their own events (I10).

    `caught_up`: every unit has applied every event of its own up to the log's head, and `min_position` when
    one was given (a position that concerns none of the units is already reflected). `behind_since`: when the
    oldest event the answer is missing was recorded; None when caught up. Events of other units never make
    an answer stale: an idle unit whose read models hold all its events is caught up however far the head
    has moved."""

    caught_up: bool
    behind_since: datetime | None
    head: int
    reflects_min_position: bool


def lag_of(engine: sa.Engine, store: EventStore, units: Sequence[str], min_position: int = 0) -> Lag:
    """The lag of an answer covering `units`: their checkpoints against their own heads in the log."""
    head = store.head_position()
    if not units:
        return Lag(min_position <= head, None, head, min_position <= head)
    with engine.connect() as connection:
        reached = queries.unit_positions(connection, units)
    if len(units) <= FEW_UNITS:
        heads = {unit: store.unit_head(unit) for unit in units}
    else:
        every = store.unit_heads()
        heads = {unit: every.get(unit, 0) for unit in units}
    behind = sorted((u for u in units if heads[u] > reached[u]), key=lambda u: reached[u])
    oldest: datetime | None = None
    waiting = min_position > head  # a position the log has not reached is reflected by nobody yet
    for unit in behind[:FIRST_EVENTS]:
        page = store.read_unit(unit, after_position=reached[unit], limit=1)
        if page.events:
            first = page.events[0]
            oldest = first.recorded_at if oldest is None else min(oldest, first.recorded_at)
            waiting = waiting or first.position <= min_position
    if len(behind) > FIRST_EVENTS:
        rest = min(reached[u] for u in behind[FIRST_EVENTS:])
        page_all = store.read_all(after_position=rest, limit=1)
        if page_all.events:
            first_any = page_all.events[0]
            oldest = first_any.recorded_at if oldest is None else min(oldest, first_any.recorded_at)
        waiting = waiting or rest < min_position
    return Lag(not behind and not waiting, oldest, head, not waiting)


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
