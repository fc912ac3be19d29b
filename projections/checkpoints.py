"""Checkpoints: how far each (projection, version, unit) has read the log, and whether it is parked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

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


def _insert(connection: sa.Connection) -> type[postgresql.Insert] | type[sqlite.Insert]:
    return postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert  # type: ignore[return-value]


def lock_checkpoints(connection: sa.Connection, unit_id: str, versions: dict[str, int]) -> dict[str, Checkpoint]:
    """Lock all of this unit's checkpoints, so a racing worker waits and then finds no work; the missing
    ones are created first (only then: a catch-up is one statement shorter once a unit has them all)."""
    query = sa.select(cp).where(
        cp.c.unit_id == unit_id, sa.tuple_(cp.c.projection, cp.c.version).in_(list(versions.items()))
    )
    if connection.dialect.name == "postgresql":
        query = query.order_by(cp.c.projection).with_for_update()
    found = {row.projection: Checkpoint(**row._asdict()) for row in connection.execute(query)}
    if len(found) == len(versions):
        return found
    insert = _insert(connection)
    connection.execute(
        insert(cp)
        .values([{"projection": name, "version": version, "unit_id": unit_id} for name, version in versions.items()])
        .on_conflict_do_nothing()
    )
    return {row.projection: Checkpoint(**row._asdict()) for row in connection.execute(query)}


@dataclass(frozen=True, slots=True)
class Move:
    """Where one checkpoint goes after a batch: its new position, events applied, and a park if any."""

    checkpoint: Checkpoint
    position: int
    applied: int
    parked_position: int | None = None
    parked_error: str | None = None


def advance(connection: sa.Connection, moves: list[Move]) -> None:
    """Move every checkpoint of a batch in one executemany (the rows were written in the same transaction)."""
    if not moves:
        return
    now = datetime.now(UTC)
    statement = (
        sa.update(cp)
        .where(
            cp.c.projection == sa.bindparam("k_projection"),
            cp.c.version == sa.bindparam("k_version"),
            cp.c.unit_id == sa.bindparam("k_unit_id"),
        )
        .values(
            position=sa.bindparam("position"),
            events_applied=sa.bindparam("events_applied"),
            parked_position=sa.bindparam("parked_position"),
            parked_error=sa.bindparam("parked_error"),
            updated_at=sa.bindparam("updated_at"),
        )
    )
    connection.execute(
        statement,
        [
            {
                "k_projection": m.checkpoint.projection,
                "k_version": m.checkpoint.version,
                "k_unit_id": m.checkpoint.unit_id,
                "position": m.position,
                "events_applied": m.checkpoint.events_applied + m.applied,
                "parked_position": m.parked_position,
                "parked_error": m.parked_error,
                "updated_at": now,
            }
            for m in moves
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
