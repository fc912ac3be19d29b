"""The canonical bytes of an event and the hashes built on them (I7).

`hash = SHA-256(prev_hash ‖ SHA-256(canonical envelope))`: the content digest is computed by the
application, the chaining step wherever the adapter appends, and `verify` recomputes both from the rows.
A seal chains every event hash up to a global position onto the previous seal.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

import msgspec

GENESIS_HASH = bytes(32)
"""The `prev_hash` of a stream's first event and of the first seal."""


def format_recorded_at(moment: datetime) -> str:
    """One textual form of the server clock for hashing and for SQLite: UTC, microseconds, `Z`."""
    if moment.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    utc = moment.astimezone(UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"  # one C call: this runs on every append


def parse_recorded_at(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


_ENCODER = msgspec.json.Encoder(order="sorted")


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
    occurred_on: date,
    recorded_at: datetime | str,
    also_unit_id: str | None = None,
) -> bytes:
    """The same bytes `canonical_json(envelope)` gives, assembled from already-encoded data and metadata.

    The writer encodes data once and sends those bytes to the database too; keys below are in sorted order.
    `also_unit_id` is in the envelope only when set, so events without it hash as they always did.
    """
    digest = hashlib.sha256(b"{")
    if also_unit_id is not None:
        digest.update(b'"also_unit_id":' + canonical_json(also_unit_id) + b",")
    digest.update(b'"data":')
    digest.update(data_json)
    digest.update(b',"event_type":' + canonical_json(event_type))
    digest.update(b',"metadata":')
    digest.update(metadata_json)
    digest.update(
        b',"occurred_on":"'
        + occurred_on.isoformat().encode()
        + b'","recorded_at":"'
        + (recorded_at if isinstance(recorded_at, str) else format_recorded_at(recorded_at)).encode()
        + b'","schema_version":'
        + str(schema_version).encode()
        + b',"stream_id":'
        + canonical_json(stream_id)
        + b',"stream_version":'
        + str(stream_version).encode()
        + b',"unit_id":'
        + canonical_json(unit_id)
        + b"}"
    )
    return digest.digest()


def chain_hash(prev_hash: bytes, digest: bytes) -> bytes:
    return hashlib.sha256(prev_hash + digest).digest()


def seal_hash(prev_seal_hash: bytes, up_to_position: int, event_hashes: Iterable[bytes]) -> bytes:
    """A seal binds every event hash, in position order, up to `up_to_position`, to the seal before it."""
    digest = hashlib.sha256(prev_seal_hash)
    digest.update(up_to_position.to_bytes(8, "big"))
    for event_hash in event_hashes:
        digest.update(event_hash)
    return digest.digest()


def request_digest(stream_id: str, expected_version: int, events: Iterable[Mapping[str, Any]]) -> bytes:
    """What an idempotency key is bound to: the same key must always mean the same request (I3)."""
    return hashlib.sha256(
        canonical_json({"stream_id": stream_id, "expected_version": expected_version, "events": list(events)})
    ).digest()
