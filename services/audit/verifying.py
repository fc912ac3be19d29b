"""Verify what an auditor may see (I7, I8): the hash chains of every stream with an event in the auditor's
subtree, content and links, plus the seals over the whole log's hash column.

A province-wide auditor gets the full `verify_store`. For a subtree, a seal binds every event's hash, so
seals are checked over (position, hash) of all events without reading anyone else's content; a broken
seal then says the log was rewritten somewhere at or below that position, even outside the subtree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import takewhile

from eventstore import EventStore, VerifyReport, verify_events, verify_store
from eventstore.history import events_of_streams, position_hashes, streams_touching
from eventstore.store import Seal
from eventstore.verify import verify_seals


def verify_scope(store: EventStore, units: Sequence[str] | None) -> VerifyReport:
    """Chains in scope, then seals; the first problem found is named (chains first: they name the row)."""
    if units is None:
        return verify_store(store)
    chains = verify_events(events_of_streams(store, streams_touching(store, units)), [])
    seals = verify_seals(position_hashes(store), store.seals())
    return VerifyReport(
        events_checked=chains.events_checked,
        streams=chains.streams,
        seals_checked=seals.seals_checked,
        head_position=seals.head_position,
        problem=chains.problem or seals.problem,
    )


@dataclass(frozen=True)
class KeptSeal:
    """A seal as an auditor keeps it on paper: `HASH@POSITION` (the hash in hex)."""

    seal_hash: bytes
    up_to_position: int

    @classmethod
    def parse(cls, text: str) -> KeptSeal:
        digest, sep, position = text.strip().partition("@")
        try:
            parsed = cls(bytes.fromhex(digest), int(position))
        except ValueError as exc:
            raise ValueError("a kept seal is written HASH@POSITION (64 hex digits @ a position)") from exc
        if not sep or len(parsed.seal_hash) != 32 or parsed.up_to_position < 0:
            raise ValueError("a kept seal is written HASH@POSITION (64 hex digits @ a position)")
        return parsed


def kept_form(seal: Seal) -> str:
    return f"{seal.seal_hash.hex()}@{seal.up_to_position}"


@dataclass(frozen=True)
class SealCheck:
    """Whether the log today still proves a seal kept earlier: the seal is on record with the same hash, and
    every event up to its position still recomputes to it (and to every seal before it)."""

    kept: str
    holds: bool
    reason: str
    seal_number: int | None = None


def check_kept_seal(store: EventStore, kept: KeptSeal) -> SealCheck:
    text = f"{kept.seal_hash.hex()}@{kept.up_to_position}"
    on_record = [s for s in store.seals() if s.up_to_position <= kept.up_to_position]
    match = next((s for s in on_record if s.up_to_position == kept.up_to_position), None)
    if match is None:
        return SealCheck(text, False, "no seal at that position: the seals were rewritten or it never existed")
    if match.seal_hash != kept.seal_hash:
        return SealCheck(text, False, f"seal {match.seal_number} on record has another hash: the log was rewritten")
    events = takewhile(lambda e: e.position <= kept.up_to_position, store.iter_raw())
    report = verify_events(events, on_record)
    if not report.ok:
        assert report.problem is not None
        return SealCheck(text, False, report.summary(), match.seal_number)
    return SealCheck(
        text, True, f"the log up to position {kept.up_to_position} is as it was when sealed", match.seal_number
    )
