"""The log's PostgreSQL schema: tables, the append-only triggers (I1) and the append function.

An append is one INSERT statement (see postgres_append) without a global lock. An event's position is
derived from its transaction id, so positions are ordered like transaction ids; a reader reads only below
the horizon `xmin(current snapshot)` (`partyledger_horizon()`, leaving out other databases' transactions
revision r0003): every transaction of this database below it has ended and
every transaction still running (or not yet begun) will get positions above it, so a reader tailing by
position never skips an event that commits later (I4, DESIGN's "read below the oldest in-flight
transaction"). Positions are therefore sparse: holes mean nothing; chains and seals detect removals.

A restore into a fresh cluster (whose transaction ids start low again) sets `log_position_offset` so new
positions continue above the restored ones.
"""

from __future__ import annotations

import hashlib
from typing import Any, Final

import psycopg
from psycopg import sql

POSITIONS_PER_TRANSACTION = 1024
"""Positions are `(transaction id + offset) × 1024 + n`: ordered like transaction ids, room for a batch."""

SEAL_LOCK_ID = 7_203_411_001
"""Serialises sealing, so two beats never write the same seal number."""

TABLES = """
CREATE TABLE IF NOT EXISTS event_log (
    position        bigint      PRIMARY KEY,
    stream_id       text        NOT NULL,
    stream_version  integer     NOT NULL CHECK (stream_version > 0),
    unit_id         text        NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL CHECK (schema_version > 0),
    data            jsonb       NOT NULL,
    metadata        jsonb       NOT NULL,
    occurred_on     date        NOT NULL,
    recorded_at     timestamptz NOT NULL,
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL,
    also_unit_id    text,
    CONSTRAINT event_log_stream_version UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS event_log_unit_position ON event_log (unit_id, position);
CREATE INDEX IF NOT EXISTS event_log_also_unit_position ON event_log (also_unit_id, position)
    WHERE also_unit_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS idempotency_keys (
    key             text        PRIMARY KEY,
    request_digest  bytea       NOT NULL,
    stream_id       text        NOT NULL,
    stream_version  integer     NOT NULL,
    first_position  bigint      NOT NULL,
    last_position   bigint      NOT NULL,
    recorded_at     timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS log_seals (
    seal_number     bigint      PRIMARY KEY,
    up_to_position  bigint      NOT NULL UNIQUE,
    event_count     bigint      NOT NULL,
    prev_seal_hash  bytea       NOT NULL,
    seal_hash       bytea       NOT NULL,
    sealed_at       timestamptz NOT NULL
);
"""

APPEND_ONLY = """
CREATE OR REPLACE FUNCTION partyledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the % table is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'PL001', HINT = 'The log is the legal record; correct it with a new event.';
END $$;
"""

TRIGGERS = [
    f"""
CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION partyledger_refuse_change();
CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION partyledger_refuse_change();
"""
    for table in ("event_log", "idempotency_keys", "log_seals")
]

POSITION_OFFSET = """
CREATE TABLE IF NOT EXISTS log_position_offset (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    xid_offset bigint  NOT NULL
);
INSERT INTO log_position_offset VALUES (true, 0) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION partyledger_xid_offset() RETURNS bigint LANGUAGE sql STABLE AS
    'SELECT xid_offset FROM log_position_offset';
"""

HORIZON = f"""
CREATE OR REPLACE FUNCTION partyledger_horizon() RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT (pg_snapshot_xmin(pg_current_snapshot())::text::bigint + partyledger_xid_offset())
           * {POSITIONS_PER_TRANSACTION}
$$;
"""

LOCAL_HORIZON = f"""
CREATE OR REPLACE FUNCTION partyledger_horizon() RETURNS bigint LANGUAGE sql STABLE AS $$
    WITH snapshot AS (SELECT pg_current_snapshot() AS s),
    elsewhere AS (
        SELECT a.backend_xid::text::bigint AS xid
          FROM pg_stat_activity a
         WHERE a.backend_xid IS NOT NULL
           AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database())
    )
    SELECT (coalesce(
                (SELECT min(x::text::bigint) FROM snapshot, pg_snapshot_xip(snapshot.s) AS x
                  WHERE x::text::bigint % 4294967296 NOT IN (SELECT xid FROM elsewhere)),
                (SELECT pg_snapshot_xmax(s)::text::bigint FROM snapshot))
            + partyledger_xid_offset()) * {POSITIONS_PER_TRANSACTION}
$$;
"""
"""Step 2: the horizon ignores transactions of other databases of the cluster. Transaction ids are
cluster-wide, so with the first horizon a transaction held open in any database (a report, a backup's snapshot, another
application) stalled every reader of the log. A transaction is left out only when a backend connected to
another database owns it at the moment we look — one row of pg_stat_activity gives both, so the judgement is
never wrong: a transaction of another database can never write to this log. Anything unknown (a prepared
transaction, a role that may not see other sessions' `backend_xid`) still holds the horizon back, as before.
Grant the application's role `pg_read_all_stats` on a cluster it shares, or others' ids stay hidden from it."""

PLANNED_ONCE_HORIZON = f"""
CREATE OR REPLACE FUNCTION partyledger_horizon() RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    snapshot pg_snapshot := pg_current_snapshot();
    oldest bigint;
BEGIN
    IF pg_snapshot_xmin(snapshot) = pg_snapshot_xmax(snapshot) THEN
        oldest := pg_snapshot_xmax(snapshot)::text::bigint;
    ELSE
        SELECT min(x::text::bigint) INTO oldest
          FROM pg_snapshot_xip(snapshot) AS x
         WHERE x::text::bigint % 4294967296 NOT IN (
                   SELECT a.backend_xid::text::bigint
                     FROM pg_stat_activity a
                    WHERE a.backend_xid IS NOT NULL
                      AND a.datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()));
        oldest := coalesce(oldest, pg_snapshot_xmax(snapshot)::text::bigint);
    END IF;
    RETURN (oldest + partyledger_xid_offset()) * {POSITIONS_PER_TRANSACTION};
END
$$;
"""
"""Revision r0004: r0003's horizon, same answer, in PL/pgSQL. As an SQL function with a CTE PostgreSQL could not
inline it and planned its body on every call (0.72 ms against 0.08 for `SELECT 1`: every catch-up and page
of the log paid it); PL/pgSQL keeps the plans for the session (0.13 ms), and with no transaction in flight
it does not look at pg_stat_activity at all."""

CLOCK_TOLERANCE = "1 minute"
"""How far an app-role append's `recorded_at` may stray from the database's clock: the time between the
application reading its clock and the INSERT running (pool wait, retries) plus the hosts' clock difference."""

DATABASE_KEEPS_TIME = f"""
CREATE OR REPLACE FUNCTION partyledger_database_keeps_time() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF NEW.position / {POSITIONS_PER_TRANSACTION}
           <> pg_current_xact_id()::text::bigint + partyledger_xid_offset()
       OR NEW.position % {POSITIONS_PER_TRANSACTION} = 0 THEN
        RAISE EXCEPTION 'position % is not this transaction''s to write', NEW.position
            USING ERRCODE = 'PL002', HINT = 'The database assigns positions (I14).';
    END IF;
    IF NEW.recorded_at NOT BETWEEN clock_timestamp() - interval '{CLOCK_TOLERANCE}'
                               AND clock_timestamp() + interval '{CLOCK_TOLERANCE}' THEN
        RAISE EXCEPTION 'recorded_at % is not the database''s present (%)', NEW.recorded_at, clock_timestamp()
            USING ERRCODE = 'PL002', HINT = 'The database keeps time (I14); only a restore writes past times.';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER event_log_database_keeps_time BEFORE INSERT ON event_log
    FOR EACH ROW EXECUTE FUNCTION partyledger_database_keeps_time();
"""
"""Step 4 (I14): for any role but the log's owner, the database decides when and where an event lands.

A position must lie in the inserting transaction's own block, `(xid + offset) × 1024 + n` — what the append
statement computes — so no one picks where an event sorts; `recorded_at` must be the database's present
within `CLOCK_TOLERANCE`, else the row is refused. Refused, not overwritten: `recorded_at` is part of the
content digest the application computes before the INSERT (one statement, one round trip), so a value the
database put in afterwards would break the event's hash; checking it keeps the hash format and the hot path
as they are. The owner (and a superuser) pass unchecked: a restore writes the recorded times of a verified
file, and tests drive the owner's store with a stepping clock."""

SEAL_SIGNATURES = """
CREATE TABLE IF NOT EXISTS seal_signatures (
    seal_number     bigint      PRIMARY KEY,
    signature       bytea       NOT NULL
);
CREATE OR REPLACE TRIGGER seal_signatures_append_only BEFORE UPDATE OR DELETE ON seal_signatures
    FOR EACH ROW EXECUTE FUNCTION partyledger_refuse_change();
CREATE OR REPLACE TRIGGER seal_signatures_no_truncate BEFORE TRUNCATE ON seal_signatures
    FOR EACH STATEMENT EXECUTE FUNCTION partyledger_refuse_change();
"""
"""Step 5 (I7): each seal's Ed25519 signature by the sealing process, append-only like the seals. A table of
its own rather than a column, so the seals written before signing began stay exactly as they were."""

SEAL_TIMESTAMPS = """
CREATE TABLE IF NOT EXISTS seal_timestamps (
    seal_number     bigint      PRIMARY KEY,
    token           bytea       NOT NULL
);
CREATE OR REPLACE TRIGGER seal_timestamps_append_only BEFORE UPDATE OR DELETE ON seal_timestamps
    FOR EACH ROW EXECUTE FUNCTION partyledger_refuse_change();
CREATE OR REPLACE TRIGGER seal_timestamps_no_truncate BEFORE TRUNCATE ON seal_timestamps
    FOR EACH STATEMENT EXECUTE FUNCTION partyledger_refuse_change();
"""
"""Step 6 (I7): each seal's RFC 3161 time-stamp response from an outside authority (`partyledger seal --tsa`),
append-only, beside the signatures. Asked for after the seal is committed, so an authority that is down
never stops a seal; a seal keeps the first token it was given."""

DATABASE_STAMPS_TIME = """
ALTER TABLE idempotency_keys ALTER COLUMN recorded_at SET DEFAULT now();
ALTER TABLE log_seals ALTER COLUMN sealed_at SET DEFAULT now();
CREATE OR REPLACE FUNCTION partyledger_key_time_is_the_databases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.recorded_at IS DISTINCT FROM now()
       AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RAISE EXCEPTION 'recorded_at is the database''s to write'
            USING ERRCODE = 'PL002', HINT = 'Leave recorded_at to its default (I14).';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER idempotency_keys_database_stamps_time BEFORE INSERT ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION partyledger_key_time_is_the_databases();
CREATE OR REPLACE FUNCTION partyledger_seal_time_is_the_databases() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.sealed_at IS DISTINCT FROM now()
       AND NOT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RAISE EXCEPTION 'sealed_at is the database''s to write'
            USING ERRCODE = 'PL002', HINT = 'Leave sealed_at to its default (I14).';
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE TRIGGER log_seals_database_stamps_time BEFORE INSERT ON log_seals
    FOR EACH ROW EXECUTE FUNCTION partyledger_seal_time_is_the_databases();
"""
"""Step 7 (I14): an idempotency key's `recorded_at` and a seal's `sealed_at` are the database's: both columns
default to `now()` (the inserting transaction's start) and, for any role but the log's owner, a row carrying
any other value is refused. Neither is inside a hash, so unlike step 4 the database could simply fill them;
refusing instead keeps one rule for all three clocks and makes a forged time an error, not a silent fix.
The owner (a restore of a verified file, the tests' stepping clocks) writes past times unchecked."""

FORGOTTEN_KEY = "'forgotten-' || encode(sha256(convert_to({key}, 'UTF8')), 'hex')"
"""`store.forgotten_key` in SQL: the trigger recomputes it from the old key, so no other value gets in."""

FORGET_ONLY = f"""
CREATE INDEX IF NOT EXISTS idempotency_keys_stream ON idempotency_keys (stream_id);
CREATE OR REPLACE FUNCTION partyledger_requests_only_forgotten() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND length(OLD.request_digest) > 0
       AND NEW.key = {FORGOTTEN_KEY.format(key="OLD.key")}
       AND NEW.request_digest = ''::bytea
       AND (NEW.stream_id, NEW.stream_version, NEW.first_position, NEW.last_position, NEW.recorded_at)
           IS NOT DISTINCT FROM
           (OLD.stream_id, OLD.stream_version, OLD.first_position, OLD.last_position, OLD.recorded_at) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the % table is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'PL001',
              HINT = 'Only an erased person''s requests may be forgotten, key by its digest (R-PRIVACY-ERASE).';
END $$;
CREATE OR REPLACE TRIGGER idempotency_keys_append_only BEFORE UPDATE OR DELETE ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION partyledger_requests_only_forgotten();
"""
"""Step 8 (R-PRIVACY-ERASE, issue 20): an idempotency record keeps a SHA-256 of the request it answered, i.e.
of the plaintext the person's fields were sealed from, and the caller's key, which a client may have made of a
citizen ID. When a person is erased their records are forgotten: the key becomes its digest and the request
digest is blanked. That one UPDATE, recomputed by the trigger from the old row, is all the table now lets
through; every other UPDATE, every DELETE and TRUNCATE are refused as before. Streams, versions and positions
stay, so the records still say which appends were made under a key."""

FORGET_REQUESTS = f"""
UPDATE idempotency_keys SET key = {FORGOTTEN_KEY.format(key="key")}, request_digest = ''::bytea
 WHERE stream_id = %s AND last_position < %s AND length(request_digest) > 0
"""

SCHEMA_LOCK_ID = 7_203_411_002
"""Serialises concurrent schema creation (several workers starting at once, or a worker and a migration)."""

STEPS: Final[dict[int, tuple[str, ...]]] = {
    1: (TABLES, APPEND_ONLY, *TRIGGERS, POSITION_OFFSET, HORIZON),
    2: (LOCAL_HORIZON,),
    3: (PLANNED_ONCE_HORIZON,),
    4: (DATABASE_KEEPS_TIME,),
    5: (SEAL_SIGNATURES,),
    6: (SEAL_TIMESTAMPS,),
    7: (DATABASE_STAMPS_TIME,),
    8: (FORGET_ONLY,),
}
"""The log's DDL by schema version. A released step is never edited (its Alembic revision pins its digest);
a change is a new step, which `create_schema` and a new revision both apply."""

SCHEMA_VERSION: Final = max(STEPS)
"""Processes skip all DDL when the log is at this version."""

VERSION_TABLE = """
CREATE TABLE IF NOT EXISTS log_schema_version (version integer NOT NULL);
"""

CURRENT_VERSION = "SELECT max(version) FROM log_schema_version"

CONTINUE_POSITIONS = f"""
UPDATE log_position_offset
   SET xid_offset = greatest(xid_offset, (SELECT coalesce(max(position), 0) FROM event_log)
                                         / {POSITIONS_PER_TRANSACTION} + 1
                                         - pg_snapshot_xmin(pg_current_snapshot())::text::bigint)
RETURNING xid_offset
"""
"""After restoring a log into a fresh cluster (transaction ids start low again): new positions and the horizon
continue above the restored ones. Harmless elsewhere: the offset never goes down. Run as the owner."""

APP_PRIVILEGES: Final = {
    "event_log": "SELECT, INSERT",
    "idempotency_keys": "SELECT, INSERT, UPDATE (key, request_digest)",
    "log_seals": "SELECT, INSERT",
    "seal_signatures": "SELECT, INSERT",
    "seal_timestamps": "SELECT, INSERT",
    "log_position_offset": "SELECT",
    "log_schema_version": "SELECT",
}
"""What the application's role may do: read and append, never UPDATE, DELETE or TRUNCATE (I1, twice over) —
except forgetting an erased person's idempotency records, which the trigger of step 8 narrows to one form."""


def step_digest(version: int) -> str:
    """The fingerprint a revision pins, so an edited released step fails the migration instead of drifting."""
    return hashlib.sha256("\n".join(STEPS[version]).encode()).hexdigest()


def installed_version(connection: psycopg.Connection[Any]) -> int:
    exists = connection.execute("SELECT to_regclass('log_schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = connection.execute(CURRENT_VERSION).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def install(connection: psycopg.Connection[Any], up_to: int = SCHEMA_VERSION) -> list[int]:
    """Apply the steps the log lacks up to `up_to`, in the caller's transaction; returns the versions applied.

    The one code path for the log's DDL: `create_schema` (tests, the embedded default, `partyledger init`)
    and the Alembic revisions both call it, so a migrated database and a created one are the same schema.
    """
    connection.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_ID,))
    current = installed_version(connection)
    applied = list(range(current + 1, up_to + 1))
    if applied:
        connection.execute(VERSION_TABLE.encode())
    for version in applied:
        for statement in STEPS[version]:
            connection.execute(statement.encode())
        connection.execute("INSERT INTO log_schema_version VALUES (%s)", (version,))
    return applied


def grant_app_role(connection: psycopg.Connection[Any], role: str) -> None:
    """Give the application's role exactly `APP_PRIVILEGES` on the log's tables (run as their owner); a table
    a later step creates is left out until that step's revision grants again."""
    for table, privileges in APP_PRIVILEGES.items():
        exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (table,)).fetchone()
        if not exists or not exists[0]:
            continue
        connection.execute(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), sql.Identifier(role)))
        connection.execute(
            sql.SQL("GRANT " + privileges + " ON {} TO {}").format(sql.Identifier(table), sql.Identifier(role))
        )
