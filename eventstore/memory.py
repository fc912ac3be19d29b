"""The in-memory adapter: the whole `EventStore` in Python lists, for fast tests of use cases.

Validation, hashing, upcasting and seals are the shared ones of `store` and `canonical`, so the contract
suite proves the same behaviour as on the databases. A lock makes each call one transaction, and every
committed event is readable at once (one writer at a time, as on SQLite: I4). Several stores may share one
`MemoryLog`, as processes share a database (a reader with a newer codec, say). Nothing is durable.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC
from itertools import islice

import msgspec

from domain.codec import EVENTS, EventCodec

from .canonical import GENESIS_HASH, canonical_json, seal_hash
from .envelope import AppendResult, LeanEvent, NewEvent, NewStream, RecordedEvent
from .errors import IdempotencyKeyReused, NotEmpty, WrongExpectedVersion
from .field_cipher import NO_CIPHER, Cipher
from .selection import HistoryFilter, PositionHash
from .store import (
    Clock,
    EventPage,
    PreparedAppend,
    RestoredSeals,
    Seal,
    SignSeal,
    forgotten_key,
    page_of,
    prepare_append,
    prepare_new_streams,
    upcast,
    utc_now,
)
from .validation import check_stream_id
from .verify import verify_events
from .verify_report import VerifyReport


@dataclass
class MemoryLog:
    """The rows of one log: events in position order, with indexes by stream and by unit."""

    events: list[RecordedEvent] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    streams: dict[str, list[RecordedEvent]] = field(default_factory=dict)
    units: dict[str, list[RecordedEvent]] = field(default_factory=dict)
    """unit → its events and those naming it as `also_unit_id`, in position order."""
    keys: dict[str, tuple[bytes, AppendResult]] = field(default_factory=dict)
    seals: list[Seal] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def add(self, event: RecordedEvent) -> None:
        self.events.append(event)
        self.positions.append(event.position)
        self.streams.setdefault(event.stream_id, []).append(event)
        for unit in {event.unit_id, event.also_unit_id} - {None}:
            self.units.setdefault(str(unit), []).append(event)

    def after(self, position: int) -> list[RecordedEvent]:
        return self.events[bisect_right(self.positions, position) :]

    def head(self) -> int:
        return self.positions[-1] if self.positions else 0


class MemoryEventStore:
    """The log in this process's memory (see the module's docstring)."""

    def __init__(
        self,
        log: MemoryLog | None = None,
        *,
        codec: EventCodec = EVENTS,
        clock: Clock = utc_now,
        cipher: Cipher = NO_CIPHER,
    ) -> None:
        self.log = log if log is not None else MemoryLog()
        self.codec = codec
        self.cipher = cipher
        self._clock = clock

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> AppendResult:
        batch = prepare_append(
            self.codec, stream_id, events, expected_version, idempotency_key, self._clock(), self.cipher
        )
        with self.log.lock:
            earlier = self._earlier(batch)
            return earlier if earlier is not None else self._insert(batch)

    def append_new_streams(self, streams: Sequence[NewStream]) -> list[AppendResult]:
        """Every check before the first insert, under the one lock: all or nothing."""
        batches = prepare_new_streams(self.codec, streams, self._clock(), self.cipher)
        with self.log.lock:
            earlier = [self._earlier(batch) for batch in batches]
            for batch, found in zip(batches, earlier, strict=True):
                stream = self.log.streams.get(batch.stream_id)
                if found is None and stream:
                    raise WrongExpectedVersion(batch.stream_id, 0, stream[-1].stream_version)
            return [
                found if found is not None else self._insert(batch)
                for batch, found in zip(batches, earlier, strict=True)
            ]

    def _earlier(self, batch: PreparedAppend) -> AppendResult | None:
        """I3: a known key answers with its first result, or is refused if the request differs."""
        if batch.idempotency_key is None or batch.idempotency_key not in self.log.keys:
            return None
        digest, first = self.log.keys[batch.idempotency_key]
        if digest != batch.request_digest:
            raise IdempotencyKeyReused(batch.idempotency_key)
        return replace(first, duplicate=True)

    def _insert(self, batch: PreparedAppend) -> AppendResult:
        stream = self.log.streams.get(batch.stream_id, [])
        current, head_hash = (stream[-1].stream_version, stream[-1].hash) if stream else (0, GENESIS_HASH)
        if current != batch.expected_version:
            raise WrongExpectedVersion(batch.stream_id, batch.expected_version, current)
        first, recorded_at = self.log.head() + 1, batch.recorded_at.astimezone(UTC)
        for position, (event, (prev, digest)) in enumerate(
            zip(batch.events, batch.chained(head_hash), strict=True), start=first
        ):
            self.log.add(
                RecordedEvent(
                    position, batch.stream_id, event.stream_version, event.unit_id, event.event_type,
                    event.schema_version, msgspec.json.decode(event.data_json),
                    msgspec.json.decode(event.metadata_json), event.occurred_on, recorded_at, prev, digest,
                    event.also_unit_id,
                )
            )  # fmt: skip
        result = AppendResult(batch.stream_id, batch.events[-1].stream_version, first, self.log.head())
        if batch.idempotency_key is not None:
            self.log.keys[batch.idempotency_key] = (batch.request_digest, result)
        return result

    def flush(self) -> None:
        """Nothing is durable in memory: nothing to wait for."""

    def stream_version(self, stream_id: str) -> int:
        check_stream_id(stream_id)
        with self.log.lock:
            stream = self.log.streams.get(stream_id)
            return stream[-1].stream_version if stream else 0

    def read_streams(self, after: Mapping[str, int]) -> dict[str, list[RecordedEvent]]:
        return {stream_id: self.read_stream(stream_id, after_version=version) for stream_id, version in after.items()}

    def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[RecordedEvent]:
        check_stream_id(stream_id)
        with self.log.lock:
            stream = self.log.streams.get(stream_id, [])
            return [upcast(self.codec, event, self.cipher) for event in stream if event.stream_version > after_version]

    def read_unit(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> EventPage[LeanEvent]:
        return self.read_units({unit_id: after_position}, limit=limit)[unit_id]

    def read_units(self, after: Mapping[str, int], *, limit: int = 1000) -> dict[str, EventPage[LeanEvent]]:
        with self.log.lock:
            head = self.log.head()
            found = {unit: self._unit_events(unit, position, limit) for unit, position in after.items()}
        return {
            unit: page_of([_lean(event) for event in events], limit=limit, after=after[unit], complete_to=head)
            for unit, events in found.items()
        }

    def _unit_events(self, unit_id: str, after_position: int, limit: int) -> list[RecordedEvent]:
        events = self.log.units.get(unit_id, [])
        start = bisect_right(events, after_position, key=lambda event: event.position)
        return events[start : start + limit]

    def unit_history(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        with self.log.lock:
            return [
                upcast(self.codec, event, self.cipher) for event in self._unit_events(unit_id, after_position, limit)
            ]

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> EventPage[RecordedEvent]:
        with self.log.lock:
            head, events = self.log.head(), self.log.after(after_position)[:limit]
        return page_of(
            [upcast(self.codec, e, self.cipher) for e in events], limit=limit, after=after_position, complete_to=head
        )

    def head_position(self) -> int:
        with self.log.lock:
            return self.log.head()

    def unit_heads(self) -> dict[str, int]:
        with self.log.lock:
            return {unit: events[-1].position for unit, events in self.log.units.items()}

    def unit_head(self, unit_id: str) -> int:
        with self.log.lock:
            events = self.log.units.get(unit_id)
            return events[-1].position if events else 0

    def iter_raw(self, *, after_position: int = 0, batch_size: int = 5000) -> Iterator[RecordedEvent]:
        with self.log.lock:
            events = self.log.after(after_position)
        return iter(events)

    def seal(self, *, sign: SignSeal | None = None) -> Seal | None:
        with self.log.lock:
            last = self.log.seals[-1] if self.log.seals else None
            events = self.log.after(last.up_to_position if last else 0)
            if not events:
                return None
            prev, up_to = (last.seal_hash if last else GENESIS_HASH), events[-1].position
            made = Seal(
                (last.seal_number if last else 0) + 1,
                up_to,
                len(events),
                prev,
                seal_hash(prev, up_to, (event.hash for event in events)),
                self._clock(),
            )
            if sign is not None:
                made = replace(made, signature=sign(made))
            self.log.seals.append(made)
        return made

    def seals(self) -> list[Seal]:
        with self.log.lock:
            return list(self.log.seals)

    def keep_timestamp(self, seal_number: int, token: bytes) -> bool:
        with self.log.lock:
            index = seal_number - 1
            if not 0 <= index < len(self.log.seals) or self.log.seals[index].timestamp is not None:
                return False
            self.log.seals[index] = replace(self.log.seals[index], timestamp=token)
            return True

    def verify(self, *, processes: int | None = None) -> VerifyReport:
        return verify_events(self.iter_raw(), self.seals())

    def read_history(self, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100) -> list[RecordedEvent]:
        with self.log.lock:
            candidates = self.log.after(after_position)
        return list(islice((event for event in candidates if _matches(chosen, event)), limit))

    def chain_hashes(self, links: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        with self.log.lock:
            found = {link: self._event_at(*link) for link in links}
        return {link: event.hash for link, event in found.items() if event is not None}

    def _event_at(self, stream_id: str, version: int) -> RecordedEvent | None:
        stream = self.log.streams.get(stream_id, [])
        index = bisect_left(stream, version, key=lambda event: event.stream_version)
        return stream[index] if index < len(stream) and stream[index].stream_version == version else None

    def streams_touching(self, units: Sequence[str]) -> list[str]:
        with self.log.lock:
            touched = [event.stream_id for unit in units for event in self.log.units.get(unit, [])]
        return list(dict.fromkeys(touched))

    def forget_requests(self, stream_id: str, before_position: int) -> int:
        with self.log.lock:
            chosen = [
                key
                for key, (digest, result) in self.log.keys.items()
                if result.stream_id == stream_id and result.last_position < before_position and digest
            ]
            for key in chosen:
                self.log.keys[forgotten_key(key)] = (b"", self.log.keys.pop(key)[1])
        return len(chosen)

    def iter_streams_raw(self, stream_ids: Sequence[str]) -> Iterator[RecordedEvent]:
        with self.log.lock:
            found = [event for stream_id in stream_ids for event in self.log.streams.get(stream_id, [])]
        return iter(found)

    def iter_hashes(self, *, after_position: int = 0, batch_size: int = 50_000) -> Iterator[PositionHash]:
        with self.log.lock:
            events = self.log.after(after_position)
        return (PositionHash(event.position, event.hash) for event in events)

    def restore(
        self, events: Iterable[RecordedEvent], seals: RestoredSeals, *, batch_size: int = 2000, atomic: bool = True
    ) -> int:
        """Rows round-trip through their canonical JSON, as they would through a database."""
        rows = [_stored(event) for event in events]
        with self.log.lock:
            if self.log.events or self.log.seals:
                raise NotEmpty()
            for row in rows:
                self.log.add(row)
            self.log.seals.extend(seals() if callable(seals) else seals)
        return len(rows)

    def close(self) -> None:
        """Nothing to release: the log lives as long as the objects that hold it."""


def _stored(event: RecordedEvent) -> RecordedEvent:
    return msgspec.structs.replace(
        event,
        data=msgspec.json.decode(canonical_json(event.data)),
        metadata=msgspec.json.decode(canonical_json(event.metadata)),
    )


def _lean(event: RecordedEvent) -> LeanEvent:
    """The read models' view: data as stored (its canonical JSON), at the schema version it was written with."""
    return LeanEvent(
        event.position, event.stream_id, event.stream_version, event.unit_id, event.event_type,
        event.schema_version, canonical_json(event.data), event.occurred_on, event.recorded_at, event.also_unit_id,
    )  # fmt: skip


def _matches(chosen: HistoryFilter, event: RecordedEvent) -> bool:
    """`HistoryFilter`'s conditions in Python, as the SQL adapters write them in `history_sql`."""
    if chosen.units is not None and event.unit_id not in chosen.units and event.also_unit_id not in chosen.units:
        return False
    if chosen.stream_id is not None and event.stream_id != chosen.stream_id:
        return False
    if chosen.event_types and event.event_type not in chosen.event_types:
        return False
    if chosen.actor is not None and event.metadata.get("actor") != chosen.actor:
        return False
    return _on_the_clocks(chosen, event)


def _on_the_clocks(chosen: HistoryFilter, event: RecordedEvent) -> bool:
    occurred, recorded = event.occurred_on, event.recorded_at
    return (
        (chosen.occurred_from is None or occurred >= chosen.occurred_from)
        and (chosen.occurred_to is None or occurred <= chosen.occurred_to)
        and (chosen.recorded_from is None or recorded >= chosen.recorded_from)
        and (chosen.recorded_before is None or recorded < chosen.recorded_before)
        and (chosen.known_by is None or occurred <= chosen.known_by[0] or recorded < chosen.known_by[1])
    )
