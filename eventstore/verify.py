"""Recompute every hash, chain and seal of the log and name the first row that does not fit (I7).

Works on any adapter through `iter_raw` (rows exactly as stored) and `seals`, so the same code proves the
PostgreSQL production log, the embedded SQLite log and an exported file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .canonical import GENESIS_HASH, chain_hash, content_digest, seal_digest
from .envelope import RecordedEvent
from .store import EventStore, Seal
from .verify_report import Problem, VerifyReport


class Hashed(Protocol):
    """What a seal binds of each event: its position and its hash."""

    @property
    def position(self) -> int: ...

    @property
    def hash(self) -> bytes: ...


@dataclass(slots=True)
class _SealCursor:
    """Recomputes the seal that is currently open while rows stream past."""

    pending: list[Seal]
    prev_hash: bytes = GENESIS_HASH
    digest: hashlib._Hash | None = None
    count: int = 0
    checked: int = field(default=0)

    def feed(self, event: Hashed) -> Problem | None:
        if not self.pending:
            return None
        seal = self.pending[0]
        if self.digest is None:
            self.digest = seal_digest(self.prev_hash, seal.up_to_position)
        self.digest.update(event.hash)
        self.count += 1
        if event.position < seal.up_to_position:
            return None
        return self._close(seal)

    def _close(self, seal: Seal) -> Problem | None:
        assert self.digest is not None
        actual = self.digest.digest()
        self.pending.pop(0)
        self.digest, self.count, self.prev_hash = None, 0, seal.seal_hash
        self.checked += 1
        return seal_mismatch(seal) if actual != seal.seal_hash else None

    def unfinished(self, head: int) -> Problem | None:
        return unfinished_seal(self.pending[0], head) if self.pending else None


def seal_mismatch(seal: Seal) -> Problem:
    return Problem(
        seal.up_to_position,
        "seal",
        f"seal {seal.seal_number} no longer matches the events up to position {seal.up_to_position}",
    )


def unfinished_seal(seal: Seal, head: int) -> Problem:
    return Problem(
        head + 1,
        "removed",
        f"seal {seal.seal_number} covers events up to position {seal.up_to_position}, but the log ends at {head}",
    )


def verify_store(store: EventStore, *, processes: int | None = None) -> VerifyReport:
    """Every hash, chain and seal of the log, walked as fast as its adapter can (PostgreSQL's in ranges by
    `processes` processes, by default one per CPU on a large log)."""
    return store.verify(processes=processes)


def verify_events(events: Iterable[RecordedEvent], seals: list[Seal]) -> VerifyReport:
    """Walk the rows in position order, checking density, stream chains, content hashes and seals."""
    report = VerifyReport()
    heads: dict[str, tuple[int, bytes]] = {}
    cursor = _SealCursor(pending=chained_seals(seals, report))
    if report.problem:
        return report
    for event in events:
        problem = _check_row(event, heads) or cursor.feed(event)
        if problem:
            report.problem = problem
            break
        heads[event.stream_id] = (event.stream_version, event.hash)
        report.head_position = event.position
        report.events_checked += 1
    report.streams = len(heads)
    report.seals_checked = cursor.checked
    if report.problem is None:
        report.problem = cursor.unfinished(report.head_position)
    return report


def verify_seals(hashes: Iterable[Hashed], seals: list[Seal]) -> VerifyReport:
    """Only the seals, over (position, hash) of every event: what a scoped verify adds to its own chains."""
    report = VerifyReport()
    cursor = _SealCursor(pending=chained_seals(seals, report))
    if report.problem:
        return report
    for event in hashes:
        problem = cursor.feed(event)
        if problem:
            report.problem = problem
            break
        report.head_position = event.position
        report.events_checked += 1
    report.seals_checked = cursor.checked
    if report.problem is None:
        report.problem = cursor.unfinished(report.head_position)
    return report


def check_row(event: RecordedEvent, previous_version: int, previous_hash: bytes) -> Problem | None:
    """One event against the one before it in its stream (version and hash): its chain status."""
    return _check_row(event, {event.stream_id: (previous_version, previous_hash)})


def chained_seals(seals: list[Seal], report: VerifyReport) -> list[Seal]:
    """The seals, once each is found chained onto the one before it (else `report.problem` is set)."""
    previous = GENESIS_HASH
    for number, seal in enumerate(seals, start=1):
        if seal.seal_number != number or seal.prev_seal_hash != previous:
            report.problem = Problem(seal.up_to_position, "seal", f"seal {seal.seal_number} is not chained")
            break
        previous = seal.seal_hash
    return list(seals)


def _check_row(event: RecordedEvent, heads: dict[str, tuple[int, bytes]]) -> Problem | None:
    version, prev = heads.get(event.stream_id, (0, GENESIS_HASH))
    problem = link_problem(event.position, event.stream_id, event.stream_version, event.prev_hash, version, prev)
    if problem:
        return problem
    digest = content_digest(
        stream_id=event.stream_id,
        stream_version=event.stream_version,
        unit_id=event.unit_id,
        event_type=event.event_type,
        schema_version=event.schema_version,
        data=event.data,
        metadata=event.metadata,
        occurred_on=event.occurred_on,
        recorded_at=event.recorded_at,
        also_unit_id=event.also_unit_id,
    )
    if chain_hash(prev, digest) != event.hash:
        return altered(event.position, event.stream_id, event.stream_version)
    return None


def link_problem(
    position: int, stream_id: str, stream_version: int, prev_hash: bytes, head_version: int, head_hash: bytes
) -> Problem | None:
    """A row against the stream's head before it. Positions may have holes (PostgreSQL derives them from
    transaction ids), so removals show up as a stream that skips a version, or a seal that no longer matches."""
    if stream_version != head_version + 1:
        kind = "removed" if stream_version > head_version + 1 else "inserted"
        return Problem(position, kind, f"stream {stream_id} jumps from version {head_version} to {stream_version}")
    if prev_hash != head_hash:
        return Problem(
            position,
            "inserted",
            f"event does not chain onto version {head_version} of stream {stream_id} "
            "(a row was inserted, or the one before it rewritten)",
        )
    return None


def altered(position: int, stream_id: str, stream_version: int) -> Problem:
    return Problem(position, "changed", f"event {stream_id}@{stream_version} was altered")
