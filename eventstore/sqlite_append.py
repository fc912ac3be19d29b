"""The SQLite append: inside `BEGIN IMMEDIATE`, so the checks below and the inserts see no other writer.

The idempotency key is looked up first (I3), then the stream's head checked against the expected version
(I2); the events, chained onto that head (I7), and the key are written in the same transaction.
"""

from __future__ import annotations

import sqlite3

from .canonical import GENESIS_HASH, format_recorded_at
from .envelope import COLUMNS, AppendResult
from .errors import IdempotencyKeyReused, WrongExpectedVersion
from .store import PreparedAppend


def earlier_result(connection: sqlite3.Connection, batch: PreparedAppend) -> AppendResult | None:
    """I3: a known idempotency key answers with the first result, or is refused if the request differs."""
    if batch.idempotency_key is None:
        return None
    row = connection.execute(
        "SELECT request_digest, stream_id, stream_version, first_position, last_position "
        "FROM idempotency_keys WHERE key = ?",
        (batch.idempotency_key,),
    ).fetchone()
    if row is None:
        return None
    if bytes(row[0]) != batch.request_digest:
        raise IdempotencyKeyReused(batch.idempotency_key)
    return AppendResult(row[1], int(row[2]), int(row[3]), int(row[4]), duplicate=True)


def insert(connection: sqlite3.Connection, batch: PreparedAppend) -> AppendResult:
    head = connection.execute(
        "SELECT stream_version, hash FROM event_log WHERE stream_id = ? ORDER BY stream_version DESC LIMIT 1",
        (batch.stream_id,),
    ).fetchone()
    current, head_hash = (int(head[0]), bytes(head[1])) if head else (0, GENESIS_HASH)
    if current != batch.expected_version:
        raise WrongExpectedVersion(batch.stream_id, batch.expected_version, current)
    position = int(connection.execute("SELECT coalesce(max(position), 0) FROM event_log").fetchone()[0])
    first = position + 1
    recorded_at = format_recorded_at(batch.recorded_at)
    for event, (prev, digest) in zip(batch.events, batch.chained(head_hash), strict=True):
        position += 1
        connection.execute(
            f"INSERT INTO event_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                position,
                batch.stream_id,
                event.stream_version,
                event.unit_id,
                event.event_type,
                event.schema_version,
                event.data_json.decode(),
                event.metadata_json.decode(),
                event.occurred_on.isoformat(),
                recorded_at,
                prev,
                digest,
                event.also_unit_id,
            ),
        )
    version = batch.events[-1].stream_version
    if batch.idempotency_key is not None:
        connection.execute(
            "INSERT INTO idempotency_keys VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                batch.idempotency_key,
                batch.request_digest,
                batch.stream_id,
                version,
                first,
                position,
                recorded_at,
            ),
        )
    return AppendResult(batch.stream_id, version, first, position)
