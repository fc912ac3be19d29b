"""Rebuild from zero, beside the live rows, and prove "rebuild equals live" by digest (I6)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa

from eventstore.canonical import canonical_json

from . import rollup
from .base import Projection
from .checkpoints import lock_units
from .runner import UNITS_TOGETHER, Runner
from .schema import for_units, pair_parameters
from .schema import projection_checkpoints as cp
from .storage import digest, load_rows

SCRATCH = rollup.SCRATCH_VERSIONS
"""Scratch versions are `SCRATCH + version`: never a live version, so a rebuild never disturbs queries (and no
roll-up is kept for them: the swap adds them to their groups)."""


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
    """Replay units into scratch rows of all `projections` at once (one read of each unit's events), then swap
    them in for the live versions; returns events applied, summed over projections. Units go `UNITS_TOGETHER`
    to a transaction, and each step is one statement for the group: done unit by unit and projection by
    projection, the dropping and swapping alone were ~50 statements a unit."""
    together = replace(runner, projections=list(projections))
    scratch = {projection.name: SCRATCH + projection.version for projection in projections}
    live = {projection.name: projection.version for projection in projections}
    chosen = list(dict.fromkeys(units))
    total = 0
    for start in range(0, len(chosen), UNITS_TOGETHER):
        group = chosen[start : start + UNITS_TOGETHER]
        with runner.engine.begin() as connection:
            _drop(connection, group, scratch)
        results = together.catch_up_many(group, versions=scratch)
        with runner.engine.begin() as connection:
            _swap_in(connection, group, live)
        for result in results:
            total += result.total
            if progress:
                progress(result.unit_id, result.total)
    return total


READ_MODEL_TABLES = ("projection_rows", "projection_checkpoints", "rollup_rows")


def vacuum_after_rebuild(engine: sa.Engine) -> bool:
    """PostgreSQL: reclaim what a rebuild left dead and give the planner fresh statistics, at once.

    A rebuild writes every row twice (scratch, then the swap's new version) and deletes the old: the tables
    then hold as many dead rows as live ones until autovacuum reaches them, and every page reads over them
    meanwhile (on the city's 3 million rows, with autovacuum off, the city dashboard's first request went from
    0.9 to 1.5 s). A role that does not own the tables gets PostgreSQL's warning and skips them: autovacuum
    remains the owner's. Returns whether it ran."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(READ_MODEL_TABLES)}")
    return True


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
    _drop(connection, [unit_id], {projection.name: SCRATCH + projection.version})


def _drop(connection: sa.Connection, unit_ids: list[str], versions: dict[str, int]) -> None:
    """The units' rows and checkpoints of these projection versions, gone."""
    parameters = {"units": unit_ids, **pair_parameters(versions)}
    connection.execute(for_units("DELETE FROM projection_rows", len(versions)), parameters)
    connection.execute(for_units("DELETE FROM projection_checkpoints", len(versions)), parameters)


def _swap_in(connection: sa.Connection, unit_ids: list[str], live: dict[str, int]) -> None:
    """Live rows and checkpoints become the scratch ones, in one transaction (queries see old or new)."""
    lock_units(connection, unit_ids, live)
    scratch = {name: SCRATCH + version for name, version in live.items()}
    rollup.record_swap(connection, unit_ids, live, scratch)  # the groups' sums follow the rows swapped in
    _drop(connection, unit_ids, live)
    parameters = {"units": unit_ids, "scratch": SCRATCH, **pair_parameters(scratch)}
    for table in ("projection_rows", "projection_checkpoints"):
        connection.execute(for_units(f"UPDATE {table} SET version = version - :scratch", len(scratch)), parameters)


def _positions(connection: sa.Connection, projection: Projection, unit_id: str) -> tuple[int, int]:
    rows = dict(
        connection.execute(
            sa.select(cp.c.version, cp.c.position).where(cp.c.projection == projection.name, cp.c.unit_id == unit_id)
        ).all()
    )
    return rows.get(projection.version, -1), rows.get(SCRATCH + projection.version, -2)
