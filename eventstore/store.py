"""The one interface every event-store adapter offers, and the parts all adapters share.

Adapters differ only in how they talk to their database; validation, hashing and upcasting happen here so
that the contract suite proves one behaviour for both (STYLE: one abstract test suite for every store).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Final, Generic, Protocol, TypeVar

import msgspec

from domain.codec import EventCodec

from .canonical import canonical_json, chain_hash, envelope_digest, format_recorded_at, request_digest
from .envelope import AppendResult, LeanEvent, NewEvent, NewStream, RecordedEvent
from .errors import InvalidAppend
from .field_cipher import NO_CIPHER, SEALED, Cipher
from .selection import HistoryFilter, PositionHash
from .validation import (
    MAX_BATCH,
    check_batch,
    check_expected_version,
    check_idempotency_key,
    check_json,
    check_stream_id,
)
from .verify_report import VerifyReport

Clock = Callable[[], datetime]


FORGOTTEN_KEY_PREFIX: Final = "forgotten-"
"""An erased person's idempotency key, replaced by `forgotten-<SHA-256 of the key>`: never a caller's key (those
are `user:key` or `sha256-…`, services/commands/idempotency.py), so a retry finds nothing and meets the rules."""


def forgotten_key(key: str) -> str:
    return FORGOTTEN_KEY_PREFIX + hashlib.sha256(key.encode("utf-8")).hexdigest()


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Seal:
    """A checkpoint of the whole log an auditor can print and keep outside the system (I7)."""

    seal_number: int
    up_to_position: int
    event_count: int
    prev_seal_hash: bytes
    seal_hash: bytes
    sealed_at: datetime
    signature: bytes | None = None
    """Ed25519 over `seal_signing.signed_bytes`, by the sealing process's key; None for seals made before."""
    timestamp: bytes | None = None
    """An RFC 3161 time-stamp response (DER) over the seal's hash from an outside authority, when asked for."""

    def printable(self) -> str:
        return (
            f"seal {self.seal_number} · position {self.up_to_position} · "
            f"{self.sealed_at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC · sha256 {self.seal_hash.hex()}"
        )


SignSeal = Callable[[Seal], bytes]
"""Signs a seal before it is written: handed to `EventStore.seal` by the process that holds the sealing key."""

RestoredSeals = Sequence[Seal] | Callable[[], Sequence[Seal]]
"""The seals `EventStore.restore` writes: as exported, or made by a function called once every event is
written, in the same transaction (a migration's first seal binds the rows it has just re-hashed)."""

EventT = TypeVar("EventT", RecordedEvent, LeanEvent)


@dataclass(frozen=True, slots=True)
class EventPage(Generic[EventT]):
    """Events read after a checkpoint, and how far the reader may move its checkpoint (I4).

    `reached` is the position up to which this selection is complete: every event of it at or below
    `reached` is in this page or an earlier one, and none can commit there later. With no events it may
    still move forward, so an idle unit's projection can say it reflects the log up to now.
    """

    events: list[EventT]
    reached: int

    def __iter__(self) -> Iterator[EventT]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)


def page_of(events: list[EventT], *, limit: int, after: int, complete_to: int) -> EventPage[EventT]:
    """A full page reaches its last event (more may follow); a short one everything up to `complete_to`."""
    return EventPage(events, events[-1].position if len(events) == limit else max(after, complete_to))


@dataclass(frozen=True, slots=True)
class PreparedEvent:
    """One validated event with everything the adapter writes except position and chained hash."""

    stream_version: int
    unit_id: str
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    occurred_on: date
    data_json: bytes
    metadata_json: bytes
    digest: bytes
    also_unit_id: str | None = None


@dataclass(frozen=True, slots=True)
class PreparedAppend:
    stream_id: str
    expected_version: int
    idempotency_key: str | None
    request_digest: bytes
    recorded_at: datetime
    events: list[PreparedEvent]

    def chained(self, prev_hash: bytes) -> list[tuple[bytes, bytes]]:
        """(prev_hash, hash) of each event when the stream's head hash is `prev_hash` (I7)."""
        links: list[tuple[bytes, bytes]] = []
        for event in self.events:
            digest = chain_hash(prev_hash, event.digest)
            links.append((prev_hash, digest))
            prev_hash = digest
        return links


class EventStore(Protocol):
    """The append-only log (DESIGN §3): append with expected version, idempotent, gap-free reads, seals."""

    codec: EventCodec
    cipher: Cipher
    """Seals personal fields on append and opens them on every read but the raw ones (verify, export)."""

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> AppendResult: ...

    def append_new_streams(self, streams: Sequence[NewStream]) -> list[AppendResult]:
        """Create many streams with their first events in one transaction (a bulk load: one round trip per
        batch where the database allows), each exactly as `append(…, expected_version=0)` would write it.

        All or nothing: a stream that already exists refuses the whole batch (`WrongExpectedVersion`), as does
        a key reused for other content (`IdempotencyKeyReused`). A stream whose key is already recorded for
        the same content is not written again: its first result comes back with `duplicate` (I3), so a batch
        run again adds nothing. Answers one result per stream, in order."""
        ...

    def flush(self) -> None:
        """Make every append committed so far durable: what a bulk load opened with `durable=False` (commits
        that do not wait for the disk) calls before it says it is done."""
        ...

    def stream_version(self, stream_id: str) -> int: ...

    def read_streams(self, after: Mapping[str, int]) -> dict[str, list[RecordedEvent]]:
        """Each stream's events after its given version, in one round trip where the database allows."""
        ...

    def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[RecordedEvent]: ...

    def read_unit(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> EventPage[LeanEvent]:
        """The read models' read: the unit's events and those naming it as `also_unit_id`, below the horizon
        (I4), lean (data as stored, to be decoded by `EventCodec.decode_json`, which also upcasts)."""
        ...

    def read_units(self, after: Mapping[str, int], *, limit: int = 1000) -> dict[str, EventPage[LeanEvent]]:
        """`read_unit` of each unit after its own position, in one round trip and one snapshot (a catch-up
        of a group of units asked once per unit before)."""
        ...

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> EventPage[RecordedEvent]: ...

    def unit_history(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Every committed event of the unit now, horizon or not: the facts a decision reads (a projection
        must use `read_unit`, which never returns an event that a later-committing one could precede)."""
        ...

    def head_position(self) -> int: ...

    def unit_heads(self) -> dict[str, int]: ...

    def unit_head(self, unit_id: str) -> int: ...

    def iter_raw(self, *, after_position: int = 0, batch_size: int = 5000) -> Iterator[RecordedEvent]:
        """Every event in position order exactly as stored (never upcast: the row its hash covers), up to
        what every reader can see (I4): what verify and export read."""
        ...

    def seal(self, *, sign: SignSeal | None = None) -> Seal | None:
        """Seal every committed event after the last seal, signed with `sign` when given; None when there is
        nothing new."""
        ...

    def seals(self) -> list[Seal]: ...

    def keep_timestamp(self, seal_number: int, token: bytes) -> bool:
        """Keep an RFC 3161 token over a seal's hash beside the seal (append-only); False when that seal
        already has one (the first is kept) or does not exist."""
        ...

    def verify(self, *, processes: int | None = None) -> VerifyReport:
        """Every hash, chain and seal recomputed, naming the first row that does not fit (I7); `processes`
        is how many may share the walk where the adapter can split it (PostgreSQL)."""
        ...

    def read_history(self, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100) -> list[RecordedEvent]:
        """An auditor's page: events matching `chosen` after `after_position`, in log order, exactly as stored,
        and only where no later-committing event can precede them (I4), so a cursor never skips one."""
        ...

    def chain_hashes(self, links: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        """(stream, version) → hash of each of those events that exists: the chain neighbours of a page."""
        ...

    def streams_touching(self, units: Sequence[str]) -> list[str]:
        """Streams with at least one event filed under (or also naming) one of `units`, committed now."""
        ...

    def iter_streams_raw(self, stream_ids: Sequence[str]) -> Iterator[RecordedEvent]:
        """Every committed event of these streams exactly as stored, stream by stream in version order."""
        ...

    def iter_hashes(self, *, after_position: int = 0, batch_size: int = 50_000) -> Iterator[PositionHash]:
        """(position, hash) of every committed event in log order: all that a seal binds."""
        ...

    def forget_requests(self, stream_id: str, before_position: int) -> int:
        """Forget the requests behind this stream's idempotency records written before `before_position` (an
        erasure's): each key is replaced by its digest and its request digest (a hash over the plaintext
        request) blanked, so nothing derived from the erased person's data stays (R-PRIVACY-ERASE). The
        records' streams, versions and positions stay; the number forgotten. Idempotent."""
        ...

    def restore(
        self, events: Iterable[RecordedEvent], seals: RestoredSeals, *, batch_size: int = 2000, atomic: bool = True
    ) -> int:
        """Write rows and seals exactly as exported (positions, clocks, hashes) into an empty log, else raise
        `NotEmpty`; the number of events written. `seals` may be a function, called after the last event is
        written. `atomic=False` may commit batch by batch (a bulk load on a shared server, where one long
        transaction would hold back every reader's horizon)."""
        ...

    def close(self) -> None: ...


def prepare_append(
    codec: EventCodec,
    stream_id: str,
    events: Sequence[NewEvent],
    expected_version: int,
    idempotency_key: str | None,
    recorded_at: datetime,
    cipher: Cipher = NO_CIPHER,
) -> PreparedAppend:
    """Validate an append, seal its personal fields (I13) and compute its digests before any connection is
    taken: the hash covers the sealed form (I7), the idempotency fingerprint the plain one (a retry seals anew)."""
    check_stream_id(stream_id)
    check_expected_version(expected_version)
    check_idempotency_key(idempotency_key)
    checked = check_batch(codec, events)
    recorded_text = format_recorded_at(recorded_at)
    prepared: list[PreparedEvent] = []
    for offset, (event, schema_version) in enumerate(checked, start=1):
        version = expected_version + offset
        metadata = event.metadata.as_json(idempotency_key)
        check_json(metadata, "metadata")
        stored, stored_metadata = cipher.seal(stream_id, version, event.event_type, event.data, metadata)
        data_json, metadata_json = canonical_json(stored), canonical_json(stored_metadata)
        digest = envelope_digest(
            data_json,
            metadata_json,
            stream_id=stream_id,
            stream_version=version,
            unit_id=event.unit_id,
            event_type=event.event_type,
            schema_version=schema_version,
            occurred_on=event.occurred_on,
            recorded_at=recorded_text,
            also_unit_id=event.also_unit_id,
        )
        prepared.append(
            PreparedEvent(
                version,
                event.unit_id,
                event.event_type,
                schema_version,
                dict(event.data),
                metadata,
                event.occurred_on,
                data_json,
                metadata_json,
                digest,
                event.also_unit_id,
            )
        )
    fingerprint = (
        request_digest(stream_id, expected_version, [_fingerprint(p) for p in prepared])
        if idempotency_key is not None
        else b""
    )
    return PreparedAppend(stream_id, expected_version, idempotency_key, fingerprint, recorded_at, prepared)


def prepare_new_streams(
    codec: EventCodec, streams: Sequence[NewStream], recorded_at: datetime, cipher: Cipher = NO_CIPHER
) -> list[PreparedAppend]:
    """Validate a batch of new streams and compute their digests: each stream through `prepare_append` (the one
    path that prepares and hashes an event), at expected version 0, under one clock.

    The whole batch is one transaction, so its events together stay within what one append may hold (and what
    one PostgreSQL transaction has positions for); a stream or key named twice is refused before any write."""
    if isinstance(streams, NewStream) or not isinstance(streams, Sequence):
        raise InvalidAppend("streams must be a list of NewStream")
    if not streams:
        raise InvalidAppend("a batch of new streams needs at least one stream")
    prepared: list[PreparedAppend] = []
    if all(isinstance(stream, NewStream) for stream in streams):
        cipher.warm(streams)  # every subject's key of the batch made in one round trip, not one per event
    for index, stream in enumerate(streams):
        if not isinstance(stream, NewStream):
            raise InvalidAppend(f"stream {index}: each stream must be a NewStream")
        try:
            prepared.append(
                prepare_append(codec, stream.stream_id, stream.events, 0, stream.idempotency_key, recorded_at, cipher)
            )
        except InvalidAppend as exc:
            raise InvalidAppend(f"stream {index}: {exc}") from exc
    total = sum(len(batch.events) for batch in prepared)
    if total > MAX_BATCH:
        raise InvalidAppend(f"a batch of new streams holds at most {MAX_BATCH} events, not {total}")
    ids = [batch.stream_id for batch in prepared]
    keys = [batch.idempotency_key for batch in prepared if batch.idempotency_key is not None]
    if len(set(ids)) != len(ids):
        raise InvalidAppend("a batch of new streams names a stream twice")
    if len(set(keys)) != len(keys):
        raise InvalidAppend("a batch of new streams uses an idempotency key twice")
    return prepared


def _fingerprint(event: PreparedEvent) -> dict[str, Any]:
    """The parts of an event that make a retried request the same request (not its clock or correlation)."""
    stable_metadata = {k: v for k, v in event.metadata.items() if k not in {"correlation_id", "causation_id"}}
    return {
        "also_unit_id": event.also_unit_id,
        "unit_id": event.unit_id,
        "event_type": event.event_type,
        "schema_version": event.schema_version,
        "data": event.data,
        "metadata": stable_metadata,
        "occurred_on": event.occurred_on.isoformat(),
    }


def upcast(codec: EventCodec, event: RecordedEvent, cipher: Cipher = NO_CIPHER) -> RecordedEvent:
    """Readers see today's schema, personal fields opened (I13); the stored row (and its hash) never changes
    (STYLE habit 6)."""
    event = opened(cipher, event)
    if not codec.knows(event.event_type) or event.schema_version == codec.current_version(event.event_type):
        return event  # an unknown type is the reader's to judge (a newer writer may know it)
    version, data = codec.upcast(event.event_type, event.schema_version, event.data)
    return msgspec.structs.replace(event, schema_version=version, data=data)


def opened(cipher: Cipher, event: RecordedEvent) -> RecordedEvent:
    """The event with its sealed personal fields (data and metadata) put back, at its stored schema version."""
    if SEALED not in event.data and SEALED not in event.metadata:
        return event
    sid, version, kind = event.stream_id, event.stream_version, event.event_type
    return msgspec.structs.replace(
        event,
        data=cipher.open(sid, version, kind, event.data),
        metadata=cipher.open_metadata(sid, version, kind, event.metadata),
    )
