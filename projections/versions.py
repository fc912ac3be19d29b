"""Which version of each projection queries read, and the switch to a new version once it has caught up (I6).

Code carries the version it builds; queries keep reading the active one until the new one has applied every
unit's events up to the head, then the active version moves in one small transaction and the old rows go.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa

from eventstore import EventStore

from .base import Projection
from .checkpoints import all_checkpoints
from .schema import projection_versions as pv
from .storage import drop_version


def active_versions(connection: sa.Connection) -> dict[str, int]:
    return dict(connection.execute(sa.select(pv.c.projection, pv.c.active_version)).all())


def active_version(connection: sa.Connection, projection: Projection) -> int:
    """The version queries read; a projection never switched reads its code version."""
    return active_versions(connection).get(projection.name, projection.version)


def switch_when_caught_up(engine: sa.Engine, store: EventStore, projections: Sequence[Projection]) -> list[str]:
    """Move every projection whose code version has caught up on all units; returns those switched."""
    heads = store.unit_heads()
    switched = []
    with engine.begin() as connection:
        active = active_versions(connection)
        for projection in projections:
            current = active.get(projection.name)
            if current == projection.version:
                continue
            reached = all_checkpoints(connection, projection.name, projection.version)
            ready = all(unit in reached and reached[unit].position >= head for unit, head in heads.items())
            if current is not None and not ready:
                continue
            _set_active(connection, projection.name, projection.version, current is None)
            if current is not None:
                drop_version(connection, projection.name, current)
            switched.append(projection.name)
    return switched


def _set_active(connection: sa.Connection, name: str, version: int, first: bool) -> None:
    now = datetime.now(UTC)
    if first:
        connection.execute(sa.insert(pv).values(projection=name, active_version=version, switched_at=now))
    else:
        connection.execute(sa.update(pv).where(pv.c.projection == name).values(active_version=version, switched_at=now))
