"""How rows of the SQLite log become events and seals, and how an export's rows are written back (restore).

SQLite keeps JSON and both clocks as text: the canonical JSON and `format_recorded_at`'s form, whose order is
their time order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any

from .canonical import canonical_json, format_recorded_at, parse_recorded_at
from .envelope import COLUMNS, SEALS, SIGNATURE_INSERT, TIMESTAMP_INSERT, LeanEvent, RecordedEvent
from .errors import NotEmpty
from .history_sql import batched
from .store import RestoredSeals, Seal

INSERT_SQL = f"INSERT INTO event_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
HAS_ROWS_SQL = "SELECT EXISTS (SELECT 1 FROM event_log) OR EXISTS (SELECT 1 FROM log_seals)"


def restore_rows(
    connection: sqlite3.Connection, events: Iterable[RecordedEvent], restored: RestoredSeals, batch: int
) -> int:
    """Inside the caller's write transaction, so the log cannot gain a row between the check and the insert."""
    if connection.execute(HAS_ROWS_SQL).fetchone()[0]:
        raise NotEmpty()
    written = 0
    for chunk in batched((_row(event) for event in events), batch):
        connection.executemany(INSERT_SQL, chunk)
        written += len(chunk)
    seals = restored() if callable(restored) else restored
    connection.executemany(
        "INSERT INTO log_seals VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                s.seal_number,
                s.up_to_position,
                s.event_count,
                s.prev_seal_hash,
                s.seal_hash,
                format_recorded_at(s.sealed_at),
            )
            for s in seals
        ],
    )
    connection.executemany(
        SIGNATURE_INSERT.format("?"), [(s.seal_number, s.signature) for s in seals if s.signature is not None]
    )
    connection.executemany(
        TIMESTAMP_INSERT.format("?"), [(s.seal_number, s.timestamp) for s in seals if s.timestamp is not None]
    )
    return written


def _row(event: RecordedEvent) -> tuple[object, ...]:
    """The row as the SQLite adapter writes it: JSON and both clocks as their canonical text."""
    return (
        event.position,
        event.stream_id,
        event.stream_version,
        event.unit_id,
        event.event_type,
        event.schema_version,
        canonical_json(event.data).decode(),
        canonical_json(event.metadata).decode(),
        event.occurred_on.isoformat(),
        format_recorded_at(event.recorded_at),
        event.prev_hash,
        event.hash,
        event.also_unit_id,
    )


def lean_event_from_row(row: tuple[Any, ...]) -> LeanEvent:
    position, stream_id, version, unit_id, event_type, schema, data, occurred, recorded, also_unit_id = row
    occurred_on, recorded_at = date.fromisoformat(occurred), parse_recorded_at(recorded)
    return LeanEvent(
        position, stream_id, version, unit_id, event_type, schema, data, occurred_on, recorded_at, also_unit_id
    )


def event_from_row(row: tuple[Any, ...]) -> RecordedEvent:
    position, stream_id, version, unit_id, event_type, schema, data, metadata, occurred, recorded, *rest = row
    prev, hsh, also_unit_id = rest
    return RecordedEvent(
        position,
        stream_id,
        version,
        unit_id,
        event_type,
        schema,
        json.loads(data),
        json.loads(metadata),
        date.fromisoformat(occurred),
        parse_recorded_at(recorded),
        bytes(prev),
        bytes(hsh),
        also_unit_id,
    )


def seal_from_row(row: tuple[Any, ...]) -> Seal:
    number, up_to, count, prev, digest, sealed_at, signature, token = row
    return Seal(
        int(number),
        int(up_to),
        int(count),
        bytes(prev),
        bytes(digest),
        parse_recorded_at(sealed_at),
        None if signature is None else bytes(signature),
        None if token is None else bytes(token),
    )


def last_seal(connection: sqlite3.Connection) -> Seal | None:
    row = connection.execute(SEALS + " ORDER BY s.seal_number DESC LIMIT 1").fetchone()
    return seal_from_row(row) if row else None
