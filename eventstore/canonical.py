"""The canonical bytes of an event and the hashes built on them (I7).

`hash = SHA-256(prev_hash ‖ SHA-256(canonical envelope))`: the content digest is computed by the
application, the chaining step wherever the adapter appends, and `verify` recomputes both from the rows.
A seal chains every event hash up to a global position onto the previous seal.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import msgspec

GENESIS_HASH = bytes(32)
"""The `prev_hash` of a stream's first event and of the first seal."""


def format_recorded_at(moment: datetime) -> str:
    """One textual form of the server clock for hashing and for SQLite: UTC, microseconds, `Z`."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("recorded_at must be timezone-aware")
    if offset:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_recorded_at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


_ENCODER = msgspec.json.Encoder(order="sorted")
CANONICAL_ENCODER = _ENCODER
"""The encoder behind `canonical_json`, for loops that call it millions of times (a verify): its bound
`encode` saves a Python call per value."""


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same object always gives the same bytes.

    Byte-identical to `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` for
    the JSON the log accepts (a property test holds the two together); msgspec is used because it is ~8×
    faster on the append path.
    """
    return _ENCODER.encode(value)


def content_digest(
    *,
    stream_id: str,
    stream_version: int,
    unit_id: str,
    event_type: str,
    schema_version: int,
    data: Mapping[str, Any],
    metadata: Mapping[str, Any],
    occurred_on: date,
    recorded_at: datetime,
    also_unit_id: str | None = None,
) -> bytes:
    """SHA-256 of the canonical JSON of the whole envelope (everything but position and hashes)."""
    return envelope_digest(
        canonical_json(data),
        canonical_json(metadata),
        stream_id=stream_id,
        stream_version=stream_version,
        unit_id=unit_id,
        event_type=event_type,
        schema_version=schema_version,
        occurred_on=occurred_on,
        recorded_at=recorded_at,
        also_unit_id=also_unit_id,
    )


def envelope_digest(
    data_json: bytes,
    metadata_json: bytes,
    *,
    stream_id: str,
    stream_version: int,
    unit_id: str,
    event_type: str,
    schema_version: int,
    occurred_on: date | str,
    recorded_at: datetime | str,
    also_unit_id: str | None = None,
) -> bytes:
    """The same bytes `canonical_json(envelope)` gives, assembled from already-encoded data and metadata.

    The writer encodes data once and sends those bytes to the database too; keys below are in sorted order.
    `also_unit_id` is in the envelope only when set, so events without it hash as they always did.
    """
    recorded = recorded_at if isinstance(recorded_at, str) else format_recorded_at(recorded_at)
    occurred = occurred_on if isinstance(occurred_on, str) else occurred_on.isoformat()
    parts = (
        data_json,
        _quoted(event_type),
        metadata_json,
        occurred.encode(),
        recorded.encode(),
        schema_version,
        _quoted(stream_id),
        stream_version,
        _quoted(unit_id),
    )
    if also_unit_id is None:
        return hashlib.sha256(ENVELOPE % parts).digest()
    return hashlib.sha256(ENVELOPE_ALSO % (_quoted(also_unit_id), *parts)).digest()


ENVELOPE = (
    b'{"data":%b,"event_type":%b,"metadata":%b,"occurred_on":"%b","recorded_at":"%b","schema_version":%d,'
    b'"stream_id":%b,"stream_version":%d,"unit_id":%b}'
)
"""The canonical envelope, keys in sorted order, filled by `%` with, in this order: data JSON, event type (a
JSON string), metadata JSON, occurred_on and recorded_at (their text), schema version, stream id (a JSON
string), stream version, unit id (a JSON string). The one spelling the writer and every verifier share."""
ENVELOPE_ALSO = b'{"also_unit_id":%b,' + ENVELOPE[1:]
"""The envelope of an event with a second unit: the same, its first field the `also_unit_id` JSON string."""


def json_string(text: bytes) -> bytes:
    """`canonical_json(text.decode())` for UTF-8 `text` (an id or a type as the database sent it), without
    decoding it when it holds nothing JSON escapes (a quote, a backslash, a control character)."""
    if _ESCAPED.search(text) is None:
        return b'"' + text + b'"'
    return _ENCODER.encode(text.decode())


_ESCAPED = re.compile(rb'["\\\x00-\x1f]')


@lru_cache(maxsize=1 << 17)
def _quoted(text: str) -> bytes:
    """A JSON string of an id or a type: few distinct values, met again and again (verify, appends)."""
    return _ENCODER.encode(text)


def chain_hash(prev_hash: bytes, digest: bytes) -> bytes:
    """An event's hash: its content digest chained onto the hash of the stream's event before it."""
    return hashlib.sha256(prev_hash + digest).digest()


def seal_digest(prev_seal_hash: bytes, up_to_position: int) -> hashlib._Hash:
    """An open seal: `update` it with each event hash in position order up to `up_to_position`, then
    `digest()` is the seal's hash. Verifiers feed it row by row as the log streams past."""
    return hashlib.sha256(prev_seal_hash + up_to_position.to_bytes(8, "big"))


def seal_hash(prev_seal_hash: bytes, up_to_position: int, event_hashes: Iterable[bytes]) -> bytes:
    """A seal binds every event hash, in position order, up to `up_to_position`, to the seal before it."""
    digest = seal_digest(prev_seal_hash, up_to_position)
    for event_hash in event_hashes:
        digest.update(event_hash)
    return digest.digest()


def request_digest(stream_id: str, expected_version: int, events: Iterable[Mapping[str, Any]]) -> bytes:
    """What an idempotency key is bound to: the same key must always mean the same request (I3)."""
    return hashlib.sha256(
        canonical_json({"stream_id": stream_id, "expected_version": expected_version, "events": list(events)})
    ).digest()
