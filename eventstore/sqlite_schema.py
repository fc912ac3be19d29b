"""The log's SQLite schema for the embedded default: same tables and append-only triggers (I1) as PostgreSQL.

SQLite has one writer at a time (`BEGIN IMMEDIATE`), so insert order is commit order without an extra lock.
"""

from __future__ import annotations

TABLES = [
    """
CREATE TABLE IF NOT EXISTS event_log (
    position        INTEGER PRIMARY KEY,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL CHECK (stream_version > 0),
    unit_id         TEXT    NOT NULL,
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL CHECK (schema_version > 0),
    data            TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    occurred_on     TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    prev_hash       BLOB    NOT NULL,
    hash            BLOB    NOT NULL,
    also_unit_id    TEXT,
    UNIQUE (stream_id, stream_version)
)""",
    "CREATE INDEX IF NOT EXISTS event_log_unit_position ON event_log (unit_id, position)",
    "CREATE INDEX IF NOT EXISTS event_log_also_unit_position ON event_log (also_unit_id, position) "
    "WHERE also_unit_id IS NOT NULL",
    """
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key             TEXT    PRIMARY KEY,
    request_digest  BLOB    NOT NULL,
    stream_id       TEXT    NOT NULL,
    stream_version  INTEGER NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL,
    recorded_at     TEXT    NOT NULL
)""",
    """
CREATE TABLE IF NOT EXISTS log_seals (
    seal_number     INTEGER PRIMARY KEY,
    up_to_position  INTEGER NOT NULL UNIQUE,
    event_count     INTEGER NOT NULL,
    prev_seal_hash  BLOB    NOT NULL,
    seal_hash       BLOB    NOT NULL,
    sealed_at       TEXT    NOT NULL
)""",
    """
CREATE TABLE IF NOT EXISTS seal_signatures (
    seal_number     INTEGER PRIMARY KEY,
    signature       BLOB    NOT NULL
)""",
    """
CREATE TABLE IF NOT EXISTS seal_timestamps (
    seal_number     INTEGER PRIMARY KEY,
    token           BLOB    NOT NULL
)""",
]

TRIGGERS = [
    f"""
CREATE TRIGGER IF NOT EXISTS {table}_no_{operation.lower()} BEFORE {operation} ON {table}
BEGIN SELECT RAISE(ABORT, 'the {table} table is append-only: {operation} refused'); END"""
    for table in ("event_log", "idempotency_keys", "log_seals", "seal_signatures", "seal_timestamps")
    for operation in ("UPDATE", "DELETE")
    if (table, operation) != ("idempotency_keys", "UPDATE")
]

FORGET_ONLY = [
    "DROP TRIGGER IF EXISTS idempotency_keys_no_update",
    """
CREATE TRIGGER IF NOT EXISTS idempotency_keys_only_forgotten BEFORE UPDATE ON idempotency_keys
WHEN NOT (
    length(OLD.request_digest) > 0 AND length(NEW.request_digest) = 0
    AND NEW.key GLOB 'forgotten-*' AND length(NEW.key) = 74 AND NEW.key <> OLD.key
    AND NEW.stream_id IS OLD.stream_id AND NEW.stream_version IS OLD.stream_version
    AND NEW.first_position IS OLD.first_position AND NEW.last_position IS OLD.last_position
    AND NEW.recorded_at IS OLD.recorded_at
)
BEGIN SELECT RAISE(ABORT, 'the idempotency_keys table is append-only: UPDATE refused'); END""",
]
"""An erased person's idempotency records may be forgotten (key → `forgotten-<SHA-256>`, request digest
blanked; `eventstore/postgres_schema.FORGET_ONLY` says why); any other UPDATE is refused as before. SQLite has
no SHA-256 to recompute the key with, so the form is checked: the embedded default has no separate roles."""


def statements() -> list[str]:
    return [*TABLES, *TRIGGERS, *FORGET_ONLY]
