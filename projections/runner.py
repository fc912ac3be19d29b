"""The catch-up runner: brings every projection of one unit up to the log, exactly once (I4, I5).

One pass per batch: lock the unit's checkpoints, read its events after the lowest one (gap-free), apply each
event to every projection that has not seen it, write rows and checkpoints in the same transaction, repeat
until caught up. A racing worker waits on the lock and then finds nothing to do; a repeated task finds the
checkpoints already moved. An event a projection cannot apply parks that projection for that unit only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import psycopg
import sqlalchemy as sa

from domain.codec import EventCodec
from eventstore import Envelope, EventStore, LeanEvent

from . import rollup
from .base import Applied, PoisonEvent, Projection
from .checkpoints import Checkpoint, Move, advance, lock_units
from .engine import RELAXED
from .erasure import ERASURE_EVENT, forget_erased
from .rows import UnitRows
from .storage import load_units, save_units

log = logging.getLogger(__name__)


class Enrich(Protocol):
    """Gives the `person` state after an event (see Applied)."""

    def prepare(self, events: Sequence[Envelope]) -> None:
        """Called with a unit's batch before any of its events is enriched: a chance to fetch in one trip what
        the batch will need."""

    def __call__(self, envelope: Envelope, event: Any) -> Any: ...


class NoEnrichment:
    """The default: no `person` for any event."""

    def prepare(self, events: Sequence[Envelope]) -> None:
        return None

    def __call__(self, envelope: Envelope, event: Any) -> None:
        return None


@dataclass
class Runner:
    engine: sa.Engine
    store: EventStore
    codec: EventCodec
    projections: Sequence[Projection]
    enrich: Enrich = field(default_factory=NoEnrichment)
    batch_size: int = 1000

    def catch_up(self, unit_id: str, *, versions: dict[str, int] | None = None) -> CatchUp:
        """Apply every new event of `unit_id` to every projection (at `versions`, default: code versions)."""
        wanted = versions or {p.name: p.version for p in self.projections}
        result = CatchUp(unit_id)
        while True:
            moved, batch_full = self._one_batch(unit_id, wanted, result)
            if not moved or not batch_full:
                return result

    def catch_up_many(self, unit_ids: Sequence[str], *, versions: dict[str, int] | None = None) -> list[CatchUp]:
        """`catch_up` for many units, taking `UNITS_TOGETHER` at a time in one transaction for their first
        batch: a rebuild's units are mostly small, and each alone paid ~6 ms of statements (lock, rows,
        checkpoints, commit) for a few dozen events. A unit with more than a batch goes on alone, and a poison
        event anywhere in a group sends its units alone, where it parks only its own (projection, unit)."""
        wanted = versions or {p.name: p.version for p in self.projections}
        results: list[CatchUp] = []
        for start in range(0, len(unit_ids), UNITS_TOGETHER):
            group = list(dict.fromkeys(unit_ids[start : start + UNITS_TOGETHER]))
            together = {unit: CatchUp(unit) for unit in group}
            try:
                with self.engine.begin() as connection:
                    more = self._apply_batch(connection, group, wanted, together, {})
            except _Poisoned:
                results += [self.catch_up(unit, versions=wanted) for unit in group]
                continue
            for unit in group:
                moved, batch_full = more[unit]
                if moved and batch_full:
                    together[unit].add(self.catch_up(unit, versions=wanted))
            results += together.values()
        return results

    def _one_batch(self, unit_id: str, wanted: dict[str, int], result: CatchUp) -> tuple[bool, bool]:
        """One transaction; if a projection fails on an event, roll back and redo the batch stopping that
        projection just before the event (parking it there), so the others still move on."""
        stops: dict[str, PoisonEvent] = {}
        while True:
            try:
                with self.engine.begin() as connection:
                    return self._apply_batch(connection, [unit_id], wanted, {unit_id: result}, stops)[unit_id]
            except _Poisoned as poisoned:
                if poisoned.stops.keys() <= stops.keys():
                    raise  # the same projection failed again before its stop: a bug in the runner itself
                stops.update(poisoned.stops)

    def _apply_batch(
        self,
        connection: sa.Connection,
        unit_ids: list[str],
        wanted: dict[str, int],
        results: dict[str, CatchUp],
        stop_at: dict[str, PoisonEvent],
    ) -> dict[str, tuple[bool, bool]]:
        """One batch of each unit in this transaction: returns per unit (anything moved or parked, the page
        was full so there may be more). `stop_at` (projection → poison) is only ever given for a single unit.
        A projection parked at the batch's first event moves nothing, but the others can then go on."""
        checkpoints = lock_units(connection, unit_ids, wanted)
        batches = self._read_batches(checkpoints, results, stop_at)
        reading = [batch.unit_id for batch in batches if batch.decoded]
        rows = load_units(connection, reading, wanted) if reading else {}
        before = rollup.capture(rows, wanted)
        moves: list[Move] = []
        for batch in batches:
            unit_rows = rows.get(batch.unit_id) or {name: UnitRows() for name in wanted}
            batch.moves = [
                self._advance_one(projection, batch.live[projection.name], unit_rows[projection.name], batch, stop_at)
                for projection in self.projections
                if projection.name in batch.live
            ]
            for move in batch.moves:
                results[batch.unit_id].count(move)
            moves += batch.moves
        if reading or any(m.changes for m in moves):  # a catch-up that found nothing new writes nothing
            relax_commit(connection)
            rollup.record(connection, before, rows, wanted, moves)  # before saving: the rows know what changed
            save_units(connection, wanted, rows)
            advance(connection, moves)
        flags = dict.fromkeys(unit_ids, (False, False))
        for batch in batches:
            moved = any(m.position != m.checkpoint.position or m.parked_position is not None for m in batch.moves)
            flags[batch.unit_id] = moved, batch.truncated or batch.read == self.batch_size
        return flags

    def _read_batches(
        self,
        checkpoints: dict[str, dict[str, Checkpoint]],
        results: dict[str, CatchUp],
        stop_at: dict[str, PoisonEvent],
    ) -> list[_Batch]:
        """Each unit's events after its lowest live checkpoint (one read for them all), decoded up to the
        first stop; a unit whose every projection is parked reads nothing."""
        live: dict[str, dict[str, Checkpoint]] = {}
        for unit_id, by_name in checkpoints.items():
            results[unit_id].parked = sorted(name for name, cp in by_name.items() if cp.parked)
            unparked = {name: cp for name, cp in by_name.items() if not cp.parked}
            if unparked:
                live[unit_id] = unparked
        starts = {unit_id: min(cp.position for cp in by_name.values()) for unit_id, by_name in live.items()}
        pages = self.store.read_units(starts, limit=self.batch_size) if starts else {}
        # every unit's events opened together: one query for the subject keys of dozens of units (I13)
        opened = self.store.cipher.open_page(event for page in pages.values() for event in page.events)
        batches = []
        for unit_id, page in pages.items():
            decoded = self._decode(unit_id, page.events, opened, live[unit_id], stop_at)
            truncated = len(decoded) < len(page.events)
            start = starts[unit_id]
            reached = decoded[-1].envelope.position if truncated and decoded else (start if truncated else page.reached)
            batches.append(_Batch(unit_id, live[unit_id], decoded, reached, truncated, len(page.events)))
        return batches

    def _decode(
        self,
        unit_id: str,
        events: list[LeanEvent],
        opened: dict[int, bytes | str | Exception],
        live: dict[str, Checkpoint],
        stop_at: dict[str, PoisonEvent],
    ) -> list[Applied]:
        """Decode up to the first stop. An event this code cannot read (say, a newer type written during a
        rolling deploy) poisons every projection of the unit at that event."""
        first_stop = min((p.position for p in stop_at.values()), default=None)
        decoded = []
        self.enrich.prepare(events)
        for envelope in events:
            if first_stop is not None and envelope.position >= first_stop:
                break
            try:
                data = opened[envelope.position]
                if isinstance(data, Exception):
                    raise data  # a sealed field that did not open (KeyMissing, SealBroken): parks here
                event = self.codec.decode_json(envelope.event_type, envelope.schema_version, data)
                decoded.append(Applied(envelope, event, self.enrich(envelope, event), unit_id))
            except Exception as exc:
                if not_the_events_fault(exc):
                    raise  # the database failed beside it: the task retries, nothing is parked
                raise _Poisoned({name: PoisonEvent(envelope.position, exc) for name in live}) from exc
        return decoded

    def _advance_one(
        self,
        projection: Projection,
        checkpoint: Checkpoint,
        rows: UnitRows,
        batch: _Batch,
        stop_at: dict[str, PoisonEvent],
    ) -> Move:
        """Apply the batch to one projection's rows in memory; the caller writes rows and checkpoints."""
        poison = stop_at.get(projection.name)
        decoded = batch.decoded
        if poison is None and (not decoded or decoded[0].envelope.position > checkpoint.position):
            applied = _apply_all(projection, rows, decoded, batch.erasures)
            position = max(checkpoint.position, batch.reached, decoded[-1].envelope.position if decoded else 0)
        else:
            applied, position = _apply_after(projection, rows, decoded, checkpoint.position, poison, batch.reached)
        if poison is None:
            return Move(checkpoint, position, applied)
        log.error("projection %s parked for unit %s: %s", projection.name, checkpoint.unit_id, poison)
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
        forget_erased(rows, (item,))
        applied, position = applied + 1, at
    return applied, max(position, reached)


def not_the_events_fault(exc: BaseException) -> bool:
    """An error of the database or the network while reading beside an event (the person's earlier events that
    `enrich` replays from the log): a retry succeeds, so parking there would stop a unit for an operator over
    nothing the event holds (I4 parks what this code cannot apply, never a dropped connection)."""
    return isinstance(exc, (sa.exc.SQLAlchemyError, psycopg.Error, sqlite3.Error, OSError))


def relax_commit(connection: sa.Connection) -> None:
    """A batch's commit does not wait for the disk (PostgreSQL). Safe for read models alone: rows and
    checkpoints still commit together, so a server crash can only lose the last moments' batches whole, and
    the next catch-up applies those events again from the older checkpoint: nothing lost, nothing counted
    twice. The log's own appends keep waiting for the disk. Saves the fsync of every catch-up (0.7 ms)."""
    if connection.dialect.name == "postgresql" and not connection.info.get(RELAXED):
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO off")


def _apply_all(projection: Projection, rows: UnitRows, decoded: list[Applied], erasures: list[Applied]) -> int:
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
    if erasures:
        forget_erased(rows, erasures)
    return len(decoded)


UNITS_TOGETHER = 16
"""How many units `catch_up_many` takes in one transaction (their first batches: up to 16 × batch_size)."""


@dataclass
class _Batch:
    """One unit's part of a transaction: its live checkpoints, events decoded, how far the read reached."""

    unit_id: str
    live: dict[str, Checkpoint]
    decoded: list[Applied]
    reached: int
    truncated: bool
    read: int
    moves: list[Move] = field(default_factory=list)
    erasures: list[Applied] = field(init=False)
    """The batch's erasures, found once: every projection forgets their people (each walked the batch)."""

    def __post_init__(self) -> None:
        self.erasures = [item for item in self.decoded if item.envelope.event_type == ERASURE_EVENT]


@dataclass
class CatchUp:
    """What one catch-up did: events applied per projection, and projections parked for the unit."""

    unit_id: str
    applied: dict[str, int] = field(default_factory=dict)
    parked: list[str] = field(default_factory=list)

    def count(self, move: Move) -> None:
        name = move.checkpoint.projection
        self.applied[name] = self.applied.get(name, 0) + move.applied
        if move.parked_position is not None:
            self.parked.append(name)

    def add(self, later: CatchUp) -> None:
        """What a later catch-up of the same unit did, added to this one."""
        for name, applied in later.applied.items():
            self.applied[name] = self.applied.get(name, 0) + applied
        self.parked = later.parked

    @property
    def total(self) -> int:
        return sum(self.applied.values())


class _Poisoned(Exception):
    def __init__(self, stops: dict[str, PoisonEvent]) -> None:
        super().__init__(", ".join(str(p) for p in stops.values()))
        self.stops = stops
