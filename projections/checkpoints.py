"""Checkpoints: how far each (projection, version, unit) has read the log, and whether it is parked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from .schema import for_units, pair_parameters
from .schema import projection_checkpoints as cp


@dataclass(frozen=True, slots=True)
class Checkpoint:
    projection: str
    version: int
    unit_id: str
    position: int
    events_applied: int
    parked_position: int | None
    parked_error: str | None
    updated_at: datetime | None

    @property
    def parked(self) -> bool:
        return self.parked_position is not None


@lru_cache(maxsize=16)
def _lock_statement(count: int, for_update: bool) -> sa.TextualSelect:
    columns = ", ".join(column.name for column in cp.c)  # in Checkpoint's field order
    lock = " ORDER BY unit_id, projection FOR UPDATE" if for_update else ""
    return for_units(f"SELECT {columns} FROM projection_checkpoints", count, lock).columns(*cp.c)


_CREATE = {
    "postgresql": postgresql.insert(cp).on_conflict_do_nothing(),
    "sqlite": sqlite.insert(cp).on_conflict_do_nothing(),
}


def lock_units(
    connection: sa.Connection, unit_ids: list[str], versions: dict[str, int]
) -> dict[str, dict[str, Checkpoint]]:
    """Lock all of these units' checkpoints (in one order, unit then projection), so a racing worker waits
    and then finds no work; the missing ones are created first (only then: a catch-up is one statement
    shorter once a unit has them all)."""
    lock = _lock_statement(len(versions), connection.dialect.name == "postgresql")
    parameters = {"units": unit_ids, **pair_parameters(versions)}
    found = _by_unit(connection.execute(lock, parameters), unit_ids)
    if any(len(found[unit]) < len(versions) for unit in unit_ids):
        missing = [
            {"projection": name, "version": version, "unit_id": unit}
            for unit in unit_ids
            for name, version in versions.items()
            if name not in found[unit]
        ]
        connection.execute(_CREATE[connection.dialect.name], missing)
        found = _by_unit(connection.execute(lock, parameters), unit_ids)
    return found


def _by_unit(rows: Iterable[Any], unit_ids: list[str]) -> dict[str, dict[str, Checkpoint]]:
    found: dict[str, dict[str, Checkpoint]] = {unit: {} for unit in unit_ids}
    for row in rows:
        checkpoint = Checkpoint(*row)
        found[checkpoint.unit_id][checkpoint.projection] = checkpoint
    return found


@dataclass(frozen=True, slots=True)
class Move:
    """Where one checkpoint goes after a batch: its new position, events applied, and a park if any."""

    checkpoint: Checkpoint
    position: int
    applied: int
    parked_position: int | None = None
    parked_error: str | None = None

    @property
    def changes(self) -> bool:
        return (
            self.position != self.checkpoint.position
            or self.applied > 0
            or self.parked_position != self.checkpoint.parked_position
        )


_ADVANCE = sa.text(
    "UPDATE projection_checkpoints SET position = :position, events_applied = events_applied + :applied, "
    "parked_position = :parked_position, parked_error = :parked_error, updated_at = :updated_at "
    "WHERE projection = :projection AND version = :version AND unit_id = :unit_id"
)


_ADVANCE_ARRAYS = """
UPDATE projection_checkpoints c
   SET position = x.position, events_applied = c.events_applied + x.applied, parked_position = x.parked_position,
       parked_error = x.parked_error, updated_at = %s
  FROM unnest(%s::text[], %s::int[], %s::text[], %s::bigint[], %s::bigint[], %s::bigint[], %s::text[])
       AS x(projection, version, unit_id, position, applied, parked_position, parked_error)
 WHERE c.projection = x.projection AND c.version = x.version AND c.unit_id = x.unit_id
"""


def advance(connection: sa.Connection, moves: list[Move]) -> None:
    """Move the checkpoints that a batch changed (its rows were written in the same transaction). One that
    stayed is not written: a catch-up that found nothing new writes nothing. On PostgreSQL one statement
    over arrays: a worker's catch-up of a unit or two is mostly fixed costs, and one UPDATE per checkpoint
    (seven a unit) was several of them."""
    changed = [m for m in moves if m.changes]
    if not changed:
        return
    now = datetime.now(UTC)
    if connection.dialect.name == "postgresql":
        columns = (
            [m.checkpoint.projection for m in changed],
            [m.checkpoint.version for m in changed],
            [m.checkpoint.unit_id for m in changed],
            [m.position for m in changed],
            [m.applied for m in changed],
            [m.parked_position for m in changed],
            [m.parked_error for m in changed],
        )
        connection.exec_driver_sql(_ADVANCE_ARRAYS, (now, *columns))
        return
    connection.execute(
        _ADVANCE,
        [
            {
                "projection": m.checkpoint.projection,
                "version": m.checkpoint.version,
                "unit_id": m.checkpoint.unit_id,
                "position": m.position,
                "applied": m.applied,
                "parked_position": m.parked_position,
                "parked_error": m.parked_error,
                "updated_at": now,
            }
            for m in changed
        ],
    )


def unpark(connection: sa.Connection, unit_id: str, projection: str | None = None) -> int:
    """Clear the park so the next catch-up retries the event that failed; returns how many were parked."""
    query = sa.update(cp).where(cp.c.unit_id == unit_id, cp.c.parked_position.is_not(None))
    if projection is not None:
        query = query.where(cp.c.projection == projection)
    return connection.execute(query.values(parked_position=None, parked_error=None)).rowcount


def parked(connection: sa.Connection) -> list[Checkpoint]:
    rows = connection.execute(sa.select(cp).where(cp.c.parked_position.is_not(None)).order_by(cp.c.unit_id))
    return [Checkpoint(**row._asdict()) for row in rows]


def all_checkpoints(connection: sa.Connection, projection: str, version: int) -> dict[str, Checkpoint]:
    rows = connection.execute(sa.select(cp).where(cp.c.projection == projection, cp.c.version == version))
    return {row.unit_id: Checkpoint(**row._asdict()) for row in rows}
