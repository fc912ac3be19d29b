"""Rebuild from zero, beside the live rows, and prove "rebuild equals live" by digest (I6)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from eventstore.canonical import canonical_json

from .base import Projection
from .checkpoints import lock_checkpoints
from .runner import Runner
from .schema import projection_checkpoints as cp
from .schema import projection_rows as pr
from .storage import digest, drop_version, load_rows

SCRATCH = 1_000_000
"""Scratch versions are `SCRATCH + version`: never a live version, so a rebuild never disturbs queries."""


@dataclass(frozen=True)
class RowDifference:
    """The first row key (in key order) where live and rebuilt rows disagree; None on a side that lacks it."""

    row_key: str
    live: Any
    rebuilt: Any


@dataclass(frozen=True)
class Comparison:
    projection: str
    unit_id: str
    position: int
    live_digest: str
    rebuilt_digest: str
    first_difference: RowDifference | None = None

    @property
    def equal(self) -> bool:
        return self.live_digest == self.rebuilt_digest


def rebuild(
    runner: Runner,
    projections: Sequence[Projection],
    units: Iterable[str],
    progress: Callable[[str, int], None] | None = None,
) -> int:
    """Replay each unit into scratch rows of all `projections` at once (one read of its events), then swap
    them in for the live versions in one transaction; returns events applied, summed over projections."""
    together = replace(runner, projections=list(projections))
    scratch = {projection.name: SCRATCH + projection.version for projection in projections}
    total = 0
    for unit_id in units:
        with runner.engine.begin() as connection:
            for projection in projections:
                _drop_scratch(connection, projection, unit_id)
        applied = together.catch_up(unit_id, versions=scratch).total
        with runner.engine.begin() as connection:
            for projection in projections:
                _swap_in(connection, projection, unit_id)
        total += applied
        if progress:
            progress(unit_id, applied)
    return total


def compare(runner: Runner, projection: Projection, unit_id: str) -> Comparison:
    """Rebuild one unit into scratch rows and compare digests with the live rows once both hold every event
    of the unit (checkpoints themselves differ: an idle unit's keeps following the log's horizon)."""
    _build_scratch(runner, projection, unit_id)
    scratch = _only(runner, projection)
    for _ in range(5):
        head = runner.store.unit_head(unit_id)
        runner.catch_up(unit_id)
        scratch.catch_up(unit_id, versions={projection.name: SCRATCH + projection.version})
        with runner.engine.begin() as connection:
            live_cp, scratch_cp = _positions(connection, projection, unit_id)
            if min(live_cp, scratch_cp) >= head == runner.store.unit_head(unit_id):
                result = Comparison(
                    projection.name,
                    unit_id,
                    head,
                    digest(connection, projection.name, projection.version, unit_id),
                    digest(connection, projection.name, SCRATCH + projection.version, unit_id),
                )
                if not result.equal:
                    result = replace(result, first_difference=_first_difference(connection, projection, unit_id))
                _drop_scratch(connection, projection, unit_id)
                return result
    raise RuntimeError(f"unit {unit_id} kept moving; compare again when appends pause")


def _first_difference(connection: sa.Connection, projection: Projection, unit_id: str) -> RowDifference | None:
    live = load_rows(connection, unit_id, {projection.name: projection.version})[projection.name]
    rebuilt = load_rows(connection, unit_id, {projection.name: SCRATCH + projection.version})[projection.name]
    keys = sorted({key for key, _ in live.items()} | {key for key, _ in rebuilt.items()})
    for key in keys:
        if canonical_json(live.get(key)) != canonical_json(rebuilt.get(key)):
            return RowDifference(key, live.get(key), rebuilt.get(key))
    return None


def _only(runner: Runner, projection: Projection) -> Runner:
    return replace(runner, projections=[projection])


def _build_scratch(runner: Runner, projection: Projection, unit_id: str) -> int:
    scratch_version = SCRATCH + projection.version
    with runner.engine.begin() as connection:
        _drop_scratch(connection, projection, unit_id)
    result = _only(runner, projection).catch_up(unit_id, versions={projection.name: scratch_version})
    return result.total


def _drop_scratch(connection: sa.Connection, projection: Projection, unit_id: str) -> None:
    scratch_version = SCRATCH + projection.version
    drop_version(connection, projection.name, scratch_version, unit_id)
    connection.execute(
        sa.delete(cp).where(
            cp.c.projection == projection.name, cp.c.version == scratch_version, cp.c.unit_id == unit_id
        )
    )


def _swap_in(connection: sa.Connection, projection: Projection, unit_id: str) -> None:
    """Live rows and checkpoint become the scratch ones, in one transaction (queries see old or new)."""
    live, scratch = projection.version, SCRATCH + projection.version
    lock_checkpoints(connection, unit_id, {projection.name: live})
    drop_version(connection, projection.name, live, unit_id)
    connection.execute(
        sa.update(pr)
        .where(pr.c.projection == projection.name, pr.c.version == scratch, pr.c.unit_id == unit_id)
        .values(version=live)
    )
    connection.execute(
        sa.delete(cp).where(cp.c.projection == projection.name, cp.c.version == live, cp.c.unit_id == unit_id)
    )
    connection.execute(
        sa.update(cp)
        .where(cp.c.projection == projection.name, cp.c.version == scratch, cp.c.unit_id == unit_id)
        .values(version=live)
    )


def _positions(connection: sa.Connection, projection: Projection, unit_id: str) -> tuple[int, int]:
    rows = dict(
        connection.execute(
            sa.select(cp.c.version, cp.c.position).where(cp.c.projection == projection.name, cp.c.unit_id == unit_id)
        ).all()
    )
    return rows.get(projection.version, -1), rows.get(SCRATCH + projection.version, -2)
