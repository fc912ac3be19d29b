"""Encrypting a log written before encryption: re-write every event into a new, empty log through the sealing
path, the new log bound to the old one's last seal (issue 20; I7, I13, I14).

A log written before personal fields were sealed holds them in the clear, and its hash chain covers them: they
cannot be erased there. This re-writes it, and only the owner's restore path may (I14: `recorded_at` is
written as the old log recorded it):

1. the old log is verified whole (a log that does not verify is refused) and must be sealed up to its head
   (writers stopped, `partyledger seal` run): its last seal is what auditors printed, and what the new log is
   bound to. The old log is only read, never written;
2. the old log's key table (keys and tombstones, when it has one: a log upgraded in place has sealed its newer
   events already) is copied into the new log's, so those events keep their ciphertexts and an erasure made in
   the old log stays made;
3. the new log is written in one transaction (`EventStore.restore`, which refuses a log that is not empty):
   position 1 is a `LogMigrated` record on the `ledger-migration` stream naming the old log's last seal (number,
   hash, position, time) and how many events and streams follow; then every old event in the old order, with
   its stream id, version, unit(s), type, schema version, data, metadata, `occurred_on` and `recorded_at` kept,
   its personal fields sealed under the new log's subject keys (`FieldCipher.seal`; the plaintext of a subject
   erased in the old log is sealed under a key forgotten at once: it reads as erased), its hash recomputed
   over the sealed form and chained onto its stream's new hashes, at position n + 1 for the old n-th event;
   and the new log's first seal, over all of them (signed by the sealing key when one is given);
4. the old log's head is read again before the commit: an event that arrived meanwhile rolls it all back.

Why a record event rather than a first seal whose `prev_seal_hash` is the old seal's hash: `verify` (with no
key, I7) and every auditor's tool already check a log whose first seal chains onto the genesis hash; a record
is an ordinary event that the new log's first seal covers, so changing a byte of it breaks `verify`, an
auditor reads it in the province's history like any event (`/audit/units/{unit}/history`), and `verify --seal`
can answer a seal of the old log by reading it (`services/audit/verifying.py`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from domain.ledger_migration import MIGRATION_STREAM_ID, LogMigrated

from .canonical import GENESIS_HASH, canonical_json, chain_hash, envelope_digest, format_recorded_at, seal_digest
from .envelope import EventMetadata, RecordedEvent
from .errors import EventStoreError, NotEmpty
from .field_cipher import SEALED, FieldCipher
from .store import Clock, EventStore, Seal, SignSeal, utc_now


class MigrationRefused(EventStoreError):
    """The old log cannot be migrated as it is (it does not verify, or is not sealed up to its head), or it
    changed while it was read; nothing was written to the new log."""


@dataclass(frozen=True)
class Migrated:
    """What a migration wrote: the record, the number of the old log's events re-written and the new log's
    first seal, which covers both."""

    previous: Seal
    record: RecordedEvent
    events: int
    streams: int
    keys_copied: int
    first_seal: Seal


@dataclass(frozen=True)
class RecordOrigin:
    """Who migrates, acting for which unit (the province), on which day: the record's envelope."""

    unit_id: str
    occurred_on: date
    metadata: EventMetadata


def migrate_log(
    source: EventStore,
    target: EventStore,
    origin: RecordOrigin,
    *,
    sign: SignSeal | None = None,
    clock: Clock = utc_now,
) -> Migrated:
    """Re-write `source` into the empty `target`, sealing personal fields; see the module's docstring."""
    cipher = target.cipher
    if not isinstance(cipher, FieldCipher):
        raise MigrationRefused("the new log was opened without keys: its events would be written in the clear")
    if target.head_position() or target.seals():
        raise NotEmpty()
    report = source.verify()
    if not report.ok:
        raise MigrationRefused(f"the old log does not verify, nothing migrated: {report.summary()}")
    seals = source.seals()
    if not seals:
        raise MigrationRefused("the old log has never been sealed: stop its writers and run `partyledger seal` on it")
    last = seals[-1]
    if last.up_to_position != report.head_position:
        raise MigrationRefused(
            f"the old log has events after its last seal (position {report.head_position} > "
            f"{last.up_to_position}): stop its writers and run `partyledger seal` on it"
        )
    keys = copy_keys(source, cipher)
    count, streams = report.events_checked, report.streams
    recorded_at = clock()
    record = _record(cipher, origin, last, count, streams, recorded_at)
    writer = _Rewriter(cipher, up_to=count + 1, sealed_at=clock, sign=sign)
    written = target.restore(writer.events(record, source, last, len(seals), count), writer.first_seal)
    assert written == count + 1 and writer.seal is not None and writer.written_record is not None
    return Migrated(last, writer.written_record, count, streams, keys, writer.seal)


def copy_keys(source: EventStore, cipher: FieldCipher) -> int:
    """Carry the old log's keys and tombstones into the new log's key table (idempotent: a key already there is
    kept, a tombstone always wins); the number of rows carried. A log never opened with keys has none."""
    if not isinstance(source.cipher, FieldCipher):
        return 0
    table = cipher.keys.table
    copied, live = 0, []
    for key_id, wrapped_by, wrapped, residue in source.cipher.keys.table.every_row():
        if wrapped is None or wrapped_by is None:
            table.erase([key_id], residue or "{}")
        else:
            live.append((key_id, wrapped_by, wrapped))
            if len(live) == 1000:
                table.insert(live)
                live = []
        copied += 1
    if live:
        table.insert(live)
    cipher.keys.forget_all()
    return copied


def _record(
    cipher: FieldCipher, origin: RecordOrigin, last: Seal, count: int, streams: int, recorded_at: datetime
) -> RecordedEvent:
    record = LogMigrated(
        previous_seal_number=last.seal_number,
        previous_seal_hash=last.seal_hash.hex(),
        previous_up_to_position=last.up_to_position,
        previous_sealed_at=format_recorded_at(last.sealed_at),
        migrated_events=count,
        migrated_streams=streams,
    )
    data = {name: getattr(record, name) for name in record.__dataclass_fields__}
    cipher.codec.validate(LogMigrated.event_type, LogMigrated.schema_version, data)
    return RecordedEvent(
        1,
        MIGRATION_STREAM_ID,
        1,
        origin.unit_id,
        LogMigrated.event_type,
        LogMigrated.schema_version,
        data,
        origin.metadata.as_json(None),
        origin.occurred_on,
        recorded_at,
        GENESIS_HASH,
        GENESIS_HASH,
    )


class _Rewriter:
    """Seals and re-hashes the old events as `restore` consumes them, and makes the first seal over them."""

    def __init__(self, cipher: FieldCipher, *, up_to: int, sealed_at: Clock, sign: SignSeal | None) -> None:
        self.cipher = cipher
        self.up_to = up_to
        self.sealed_at = sealed_at
        self.sign = sign
        self.digest = seal_digest(GENESIS_HASH, up_to)
        self.heads: dict[str, bytes] = {}
        self.written_record: RecordedEvent | None = None
        self.seal: Seal | None = None
        self.position = 0

    def events(
        self, record: RecordedEvent, source: EventStore, last: Seal, seals: int, count: int
    ) -> Iterator[RecordedEvent]:
        self.written_record = self._rewritten(record, record.data, record.metadata)
        yield self.written_record
        for old in source.iter_raw():
            if old.position > last.up_to_position:
                break
            yield self._migrated(old)
        if self.position != count + 1:
            raise MigrationRefused(f"the old log gave {self.position - 1} events, not the {count} it verified")
        if source.head_position() != last.up_to_position or len(source.seals()) != seals:
            raise MigrationRefused("the old log changed while it was migrated: stop its writers and run it again")

    def _migrated(self, old: RecordedEvent) -> RecordedEvent:
        """An event sealed in the old log keeps its ciphertexts (its keys were copied); a plaintext one is
        sealed now, an erased subject's fields under a key nobody keeps."""
        if SEALED in old.data or SEALED in old.metadata:
            return self._rewritten(old, old.data, old.metadata)
        codec = self.cipher.codec
        if codec.knows(old.event_type) and old.schema_version != codec.current_version(old.event_type):
            raise MigrationRefused(  # the sealing plan reads today's class: an older shape may hide a leaf from it
                f"the event at position {old.position} is at schema version {old.schema_version} of "
                f"{old.event_type}, whose personal fields are known only at version "
                f"{codec.current_version(old.event_type)}"
            )
        data, metadata = self.cipher.seal(
            old.stream_id, old.stream_version, old.event_type, old.data, dict(old.metadata), lose_erased=True
        )
        return self._rewritten(old, data, metadata)

    def _rewritten(self, event: RecordedEvent, data: dict[str, Any], metadata: dict[str, Any]) -> RecordedEvent:
        self.position += 1
        prev = self.heads.get(event.stream_id, GENESIS_HASH)
        digest = envelope_digest(
            canonical_json(data),
            canonical_json(metadata),
            stream_id=event.stream_id,
            stream_version=event.stream_version,
            unit_id=event.unit_id,
            event_type=event.event_type,
            schema_version=event.schema_version,
            occurred_on=event.occurred_on,
            recorded_at=event.recorded_at,
            also_unit_id=event.also_unit_id,
        )
        new_hash = chain_hash(prev, digest)
        self.heads[event.stream_id] = new_hash
        self.digest.update(new_hash)
        return RecordedEvent(
            self.position,
            event.stream_id,
            event.stream_version,
            event.unit_id,
            event.event_type,
            event.schema_version,
            data,
            metadata,
            event.occurred_on,
            event.recorded_at,
            prev,
            new_hash,
            event.also_unit_id,
        )

    def first_seal(self) -> list[Seal]:
        """Called by `restore` once every event is written, in the same transaction."""
        seal = Seal(1, self.up_to, self.up_to, GENESIS_HASH, self.digest.digest(), self.sealed_at())
        if self.sign is not None:
            seal = replace(seal, signature=self.sign(seal))
        self.seal = seal
        return [seal]
