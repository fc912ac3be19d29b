"""Which units have events a projection has not applied yet: what the beat sweep rings for (I10)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from eventstore import EventStore

from .base import Projection
from .schema import projection_checkpoints as cp


def units_behind(engine: sa.Engine, store: EventStore, projections: Sequence[Projection]) -> list[str]:
    """Units whose newest event is past some projection's checkpoint; parked ones wait for an operator."""
    heads = store.unit_heads()
    versions = [(p.name, p.version) for p in projections]
    reached: dict[str, dict[str, int]] = {}
    parked: set[str] = set()
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(cp.c.projection, cp.c.unit_id, cp.c.position, cp.c.parked_position).where(
                sa.tuple_(cp.c.projection, cp.c.version).in_(versions)
            )
        )
        for projection, unit_id, position, parked_position in rows:
            reached.setdefault(unit_id, {})[projection] = position
            if parked_position is not None:
                parked.add(unit_id)
    behind = []
    for unit_id, head in heads.items():
        positions = reached.get(unit_id, {})
        lowest = min((positions.get(name, 0) for name, _ in versions), default=head)
        if lowest < head and unit_id not in parked:
            behind.append(unit_id)
    return sorted(behind)


def lag(engine: sa.Engine, store: EventStore, projections: Sequence[Projection]) -> dict[str, int]:
    """Events' worth of positions each unit's slowest projection is behind (0 when caught up)."""
    heads = store.unit_heads()
    versions = [(p.name, p.version) for p in projections]
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(cp.c.unit_id, sa.func.min(cp.c.position))
            .where(sa.tuple_(cp.c.projection, cp.c.version).in_(versions))
            .group_by(cp.c.unit_id)
        )
        lowest = dict(rows.all())
    return {unit: max(0, head - lowest.get(unit, 0)) for unit, head in heads.items()}
