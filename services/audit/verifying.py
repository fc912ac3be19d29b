"""Verify what an auditor may see (I7, I8): the hash chains of every stream with an event in the auditor's
subtree, content and links, plus the seals over the whole log's hash column.

A province-wide auditor gets the full `verify_store`. For a subtree, a seal binds every event's hash, so
seals are checked over (position, hash) of all events without reading anyone else's content; a broken
seal then says the log was rewritten somewhere at or below that position, even outside the subtree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC
from itertools import takewhile
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.ledger_migration import MIGRATION_STREAM_ID
from eventstore import EventStore, VerifyReport, verify_events, verify_store
from eventstore.history import events_of_streams, position_hashes, streams_touching
from eventstore.seal_signing import check_signatures, load_public_key, signature_holds
from eventstore.store import Seal
from eventstore.verify import verify_seals
from services.audit.receipts import Receipt, public_key_id
from services.audit.timestamps import TokenInvalid, check_token


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


KEPT_FORMS = (
    "the line `partyledger seal` prints (seal N · position P · … · sha256 HASH), HASH@POSITION, "
    "or a receipt file from `partyledger seal --receipt`"
)
KEPT_SEAL_PATTERN = (
    r"^\s*(?:([0-9a-fA-F]{64})@([0-9]{1,19})"
    r"|seal\s+([0-9]{1,19})\s+·\s+position\s+([0-9]{1,19})\s+·\s+[^·]+\s+·\s+sha256\s+([0-9a-fA-F]{64}))\s*$"
)
"""The two typed forms of a kept seal, `HASH@POSITION` or the line `partyledger seal` prints (spaces as
copied): the one grammar `KeptSeal.parse` reads and the API's OpenAPI document states, so what the document
lets through is what the parser takes."""
_KEPT = re.compile(KEPT_SEAL_PATTERN)


@dataclass(frozen=True)
class KeptSeal:
    """A seal as an auditor keeps it on paper: the line `partyledger seal` prints (`Seal.printable`), or the
    shorter `HASH@POSITION` (the hash in hex). The printed line also names the seal's number."""

    seal_hash: bytes
    up_to_position: int
    seal_number: int | None = None

    @classmethod
    def parse(cls, text: str) -> KeptSeal:
        """Either form (`KEPT_SEAL_PATTERN`), for `verify --seal` and `GET /audit/seals/check` alike."""
        found = _KEPT.fullmatch(text)
        if found is None:
            raise ValueError(f"a kept seal is {KEPT_FORMS}")
        digest, at, number, position, printed_digest = found.groups()
        if printed_digest is not None:
            return cls(bytes.fromhex(printed_digest), int(position), int(number))
        return cls(bytes.fromhex(digest), int(at))


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


def check_kept_seal(store: EventStore, kept: KeptSeal, public_key: Ed25519PublicKey | None = None) -> SealCheck:
    """The seal is on record at its position with the kept hash (and number), every seal up to it is chained
    and, given the sealing key's public half, signed by it; and the log up to it still recomputes to them."""
    text = f"{kept.seal_hash.hex()}@{kept.up_to_position}"
    on_record = [s for s in store.seals() if s.up_to_position <= kept.up_to_position]
    match = next((s for s in on_record if s.up_to_position == kept.up_to_position), None)
    if match is None or match.seal_hash != kept.seal_hash:
        earlier = _previous_log(store, kept, text, public_key)
        if earlier is not None:
            return earlier
    if match is None:
        return SealCheck(text, False, "no seal at that position: the log or its seals were cut or rewritten")
    if match.seal_hash != kept.seal_hash:
        return SealCheck(text, False, f"seal {match.seal_number} on record has another hash: the log was rewritten")
    if kept.seal_number is not None and kept.seal_number != match.seal_number:
        return SealCheck(text, False, f"the seal on record there is number {match.seal_number}, not {kept.seal_number}")
    if public_key is not None:
        signed = check_signatures(on_record, public_key)
        if signed.problem is not None:
            return SealCheck(text, False, signed.summary(), match.seal_number)
    events = takewhile(lambda e: e.position <= kept.up_to_position, store.iter_raw())
    report = verify_events(events, on_record)
    if not report.ok:
        assert report.problem is not None
        return SealCheck(text, False, report.summary(), match.seal_number)
    signed_too = "" if public_key is None else f"; {check_signatures(on_record, public_key).summary()}"
    return SealCheck(
        text,
        True,
        f"the log up to position {kept.up_to_position} is as it was when sealed{signed_too}",
        match.seal_number,
    )


def _previous_log(
    store: EventStore, kept: KeptSeal, text: str, public_key: Ed25519PublicKey | None
) -> SealCheck | None:
    """A seal of the log this one was migrated from (`partyledger migrate-log`): its last seal holds through
    the binding — the migration record at position 1 names it, and this log's first seal, recomputed here,
    covers the record — while its events can only be recomputed from the old log. None when this log was not
    migrated, or the kept seal is not of the old log."""
    records = store.read_stream(MIGRATION_STREAM_ID)
    if not records:
        return None
    record, previous = records[0], records[0].data
    number, position = int(previous["previous_seal_number"]), int(previous["previous_up_to_position"])
    ended = f"seal {number} at position {position}, sha256 {previous['previous_seal_hash']}"
    if kept.seal_hash.hex() != previous["previous_seal_hash"] or kept.up_to_position != position:
        if kept.up_to_position > position:
            return None
        return SealCheck(
            text,
            False,
            f"not a seal of this log: this log was migrated from an earlier one, which ended at {ended}; "
            "check an earlier seal of that log against the old log itself",
        )
    if kept.seal_number is not None and kept.seal_number != number:
        return SealCheck(
            text, False, f"the log this one was migrated from ended at seal {number}, not {kept.seal_number}"
        )
    binding = next((s for s in store.seals() if s.up_to_position >= record.position), None)
    if binding is None:
        return SealCheck(text, False, "the migration record that names it is not sealed in this log", number)
    bound = check_kept_seal(store, KeptSeal(binding.seal_hash, binding.up_to_position, binding.seal_number), public_key)
    if not bound.holds:
        return SealCheck(text, False, f"the migration record names it, but this log no longer proves the record: "
                         f"{bound.reason}", number)  # fmt: skip
    return SealCheck(
        text,
        True,
        f"the last seal of the log this one was migrated from: the migration record at position {record.position} "
        f"names it and this log's seal {binding.seal_number} still binds the record ({bound.reason}); the old "
        "events' own hashes are recomputed only from the old log (verify --seal on it)",
        number,
    )


def check_kept_seal_signed(store: EventStore, kept: KeptSeal, public_key_file: Path | None) -> SealCheck:
    """`check_kept_seal` with the deployment's public sealing key (`PARTYLEDGER_SEAL_PUBLIC_KEY_FILE`) when it
    has one; a key file that cannot be read fails the check (closed), naming the file's trouble, not the seal's."""
    try:
        key = None if public_key_file is None else load_public_key(public_key_file)
    except (ValueError, OSError):
        text = f"{kept.seal_hash.hex()}@{kept.up_to_position}"
        return SealCheck(text, False, "the seals' public key cannot be read: the signatures cannot be checked")
    return check_kept_seal(store, kept, key)


def check_receipt(
    store: EventStore,
    receipt: Receipt,
    public_key: Ed25519PublicKey | None = None,
    tsa_certificates: bytes | None = None,
) -> SealCheck:
    """A receipt kept outside the system: first what it proves on its own (the seal's signature by the sealing
    key, the authority's token over the seal's hash, when the keys to check them are given), then the log
    today against it (`check_kept_seal`)."""
    seal = receipt.seal
    kept = KeptSeal(seal.seal_hash, seal.up_to_position, seal.seal_number)
    text = f"{seal.seal_hash.hex()}@{seal.up_to_position}"
    if public_key is not None:
        if receipt.public_key_id is not None and receipt.public_key_id != public_key_id(public_key):
            return SealCheck(text, False, "the receipt names another sealing key than the one given")
        if not signature_holds(seal, public_key):
            return SealCheck(text, False, "the receipt's signature was not made by the sealing key")
    stamped = ""
    if tsa_certificates is not None:
        if seal.timestamp is None:
            return SealCheck(text, False, "the receipt carries no RFC 3161 time-stamp token")
        try:
            token = check_token(seal.timestamp, seal.seal_hash, tsa_certificates)
        except TokenInvalid as exc:
            return SealCheck(text, False, f"the receipt's time-stamp token does not hold: {exc}")
        stamped = f"; time-stamped {token.time.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC by {token.authority}"
    found = check_kept_seal(store, kept, public_key)
    return replace(found, reason=found.reason + stamped) if found.holds else found
