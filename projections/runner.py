"""The catch-up runner: brings every projection of one unit up to the log, exactly once (I4, I5).

One pass per batch: lock the unit's checkpoints, read its events after the lowest one (gap-free), apply each
event to every projection that has not seen it, write rows and checkpoints in the same transaction, repeat
until caught up. A racing worker waits on the lock and then finds nothing to do; a repeated task finds the
checkpoints already moved. An event a projection cannot apply parks that projection for that unit only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from domain.codec import EventCodec
from eventstore import EventStore, RecordedEvent

from .base import Applied, PoisonEvent, Projection
from .checkpoints import Checkpoint, Move, advance, lock_checkpoints
from .rows import UnitRows
from .storage import load_rows, save_rows

log = logging.getLogger(__name__)

Enrich = Callable[[RecordedEvent, Any], Any]
"""Gives the `person` state after an event (see Applied); the default gives None."""


@dataclass
class Runner:
    engine: sa.Engine
    store: EventStore
    codec: EventCodec
    projections: Sequence[Projection]
    enrich: Enrich = field(default=lambda envelope, event: None)
    batch_size: int = 1000

    def catch_up(self, unit_id: str, *, versions: dict[str, int] | None = None) -> CatchUp:
        """Apply every new event of `unit_id` to every projection (at `versions`, default: code versions)."""
        wanted = versions or {p.name: p.version for p in self.projections}
        result = CatchUp(unit_id)
        while True:
            moved, batch_full = self._one_batch(unit_id, wanted, result)
            if not moved or not batch_full:
                return result

    def _one_batch(self, unit_id: str, wanted: dict[str, int], result: CatchUp) -> tuple[bool, bool]:
        """One transaction; if a projection fails on an event, roll back and redo the batch stopping that
        projection just before the event (parking it there), so the others still move on."""
        stops: dict[str, PoisonEvent] = {}
        while True:
            try:
                with self.engine.begin() as connection:
                    return self._apply_batch(connection, unit_id, wanted, result, stops)
            except _Poisoned as poisoned:
                if poisoned.stops.keys() <= stops.keys():
                    raise  # the same projection failed again before its stop: a bug in the runner itself
                stops.update(poisoned.stops)

    def _apply_batch(
        self,
        connection: sa.Connection,
        unit_id: str,
        wanted: dict[str, int],
        result: CatchUp,
        stop_at: dict[str, PoisonEvent],
    ) -> tuple[bool, bool]:
        """Returns (anything moved, the page was full so there may be more)."""
        checkpoints = lock_checkpoints(connection, unit_id, wanted)
        live = {name: cp for name, cp in checkpoints.items() if not cp.parked}
        result.parked = sorted(name for name, cp in checkpoints.items() if cp.parked)
        if not live:
            return False, False
        start = min(cp.position for cp in live.values())
        page = self.store.read_unit(unit_id, after_position=start, limit=self.batch_size)
        decoded = self._decode(unit_id, page.events, live, stop_at)
        truncated = len(decoded) < len(page.events)
        reached = decoded[-1].envelope.position if truncated and decoded else (start if truncated else page.reached)
        versions = {name: cp.version for name, cp in live.items()}
        rows = load_rows(connection, unit_id, versions) if decoded else {name: UnitRows() for name in versions}
        moves = [
            self._advance_one(
                projection, live[projection.name], rows[projection.name], decoded, reached, stop_at, result
            )
            for projection in self.projections
            if projection.name in live
        ]
        if decoded or any(m.changes for m in moves):  # a catch-up that found nothing new writes nothing
            relax_commit(connection)
            save_rows(connection, unit_id, versions, rows)
            advance(connection, moves)
        return any(m.position != m.checkpoint.position for m in moves), truncated or len(page.events) == self.batch_size

    def _decode(
        self, unit_id: str, events: list[RecordedEvent], live: dict[str, Checkpoint], stop_at: dict[str, PoisonEvent]
    ) -> list[Applied]:
        """Decode up to the first stop. An event this code cannot read (say, a newer type written during a
        rolling deploy) poisons every projection of the unit at that event."""
        first_stop = min((p.position for p in stop_at.values()), default=None)
        decoded = []
        for envelope in events:
            if first_stop is not None and envelope.position >= first_stop:
                break
            try:
                event = self.codec.decode(envelope.event_type, envelope.schema_version, envelope.data)
                decoded.append(Applied(envelope, event, self.enrich(envelope, event), unit_id))
            except Exception as exc:
                raise _Poisoned({name: PoisonEvent(envelope.position, exc) for name in live}) from exc
        return decoded

    def _advance_one(
        self,
        projection: Projection,
        checkpoint: Checkpoint,
        rows: UnitRows,
        decoded: list[Applied],
        reached: int,
        stop_at: dict[str, PoisonEvent],
        result: CatchUp,
    ) -> Move:
        """Apply the batch to one projection's rows in memory; the caller writes rows and checkpoints."""
        poison = stop_at.get(projection.name)
        if poison is None and (not decoded or decoded[0].envelope.position > checkpoint.position):
            applied = _apply_all(projection, rows, decoded)
            position = max(checkpoint.position, reached, decoded[-1].envelope.position if decoded else 0)
        else:
            applied, position = _apply_after(projection, rows, decoded, checkpoint.position, poison, reached)
        result.applied[projection.name] = result.applied.get(projection.name, 0) + applied
        if poison is None:
            return Move(checkpoint, position, applied)
        log.error("projection %s parked for unit %s: %s", projection.name, checkpoint.unit_id, poison)
        result.parked.append(projection.name)
        return Move(checkpoint, position, applied, poison.position, str(poison))


def _apply_after(
    projection: Projection,
    rows: UnitRows,
    decoded: list[Applied],
    after: int,
    poison: PoisonEvent | None,
    reached: int,
) -> tuple[int, int]:
    """A projection behind the others, or one stopping at a poison event: the batch's events after its own
    checkpoint and before the stop. Returns (events passed, the position it reached)."""
    stop = poison.position if poison is not None else None
    applied, position = 0, after
    apply, reads = projection.apply, projection.event_types
    for item in decoded:
        at = item.envelope.position
        if at <= after:
            continue
        if stop is not None and at >= stop:
            return applied, position
        if reads is None or item.envelope.event_type in reads:
            try:
                apply(rows, item)
            except Exception as exc:
                raise _Poisoned({projection.name: PoisonEvent(at, exc)}) from exc
        applied, position = applied + 1, at
    return applied, max(position, reached)


def relax_commit(connection: sa.Connection) -> None:
    """A batch's commit does not wait for the disk (PostgreSQL). Safe for read models alone: rows and
    checkpoints still commit together, so a server crash can only lose the last moments' batches whole, and
    the next catch-up applies those events again from the older checkpoint: nothing lost, nothing counted
    twice. The log's own appends keep waiting for the disk. Saves the fsync of every catch-up (0.7 ms)."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO off")


def _apply_all(projection: Projection, rows: UnitRows, decoded: list[Applied]) -> int:
    """The common case (every event of the batch is new to the projection, none poisoned), and the rebuild's
    innermost loop: the events it reads picked out in one comprehension, then applied without other checks."""
    reads = projection.event_types
    chosen = decoded if reads is None else [item for item in decoded if item.envelope.event_type in reads]
    apply = projection.apply
    item = None
    try:
        for item in chosen:
            apply(rows, item)
    except Exception as exc:
        assert item is not None
        raise _Poisoned({projection.name: PoisonEvent(item.envelope.position, exc)}) from exc
    return len(decoded)


@dataclass
class CatchUp:
    """What one catch-up did: events applied per projection, and projections parked for the unit."""

    unit_id: str
    applied: dict[str, int] = field(default_factory=dict)
    parked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.applied.values())


class _Poisoned(Exception):
    def __init__(self, stops: dict[str, PoisonEvent]) -> None:
        super().__init__(", ".join(str(p) for p in stops.values()))
        self.stops = stops
