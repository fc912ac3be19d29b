"""The PostgreSQL log as auditors read it: rows exactly as stored, hashes and seals, filtered reads planned
with their values, the whole-log scan that verify and export read, and the restore of an export.

`PostgresAuditReads` holds these `EventStore` methods for `PostgresEventStore`, which adds appends and the
read models' reads; both work on the same pool.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from .canonical import canonical_json
from .envelope import COLUMNS, SEALS, SIGNATURE_INSERT, TIMESTAMP_INSERT, TIMESTAMP_KEEP, RecordedEvent
from .errors import NotEmpty
from .history_sql import (
    LINKS_PER_STATEMENT,
    POSITION_HASHES_SQL,
    STREAMS_PER_STATEMENT,
    batched,
    history_where,
    links_where,
    streams_where,
    touching_sql,
)
from .postgres_retry import on_broken_connection
from .postgres_rows import event_from_row, seal_from_row
from .postgres_schema import CONTINUE_POSITIONS
from .scan import read_ahead
from .selection import HistoryFilter, PositionHash
from .store import RestoredSeals, Seal
from .verify_ranges import processes_for, verify_ranges
from .verify_report import VerifyReport

Connection = psycopg.Connection[Any]

SCAN_SQL = (
    f"SELECT {COLUMNS} FROM event_log WHERE position > %s AND position < (SELECT partyledger_horizon()) "
    "ORDER BY position LIMIT %s"
)
INSERT_SQL = (
    f"INSERT INTO event_log ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, %s, %s)"
)
HAS_ROWS_SQL = "SELECT EXISTS (SELECT 1 FROM event_log) OR EXISTS (SELECT 1 FROM log_seals)"


class PostgresAuditReads:
    """The auditors' half of `PostgresEventStore` (see `EventStore` for what each method promises)."""

    pool: ConnectionPool

    def iter_raw(self, *, after_position: int = 0, batch_size: int = 5000) -> Iterator[RecordedEvent]:
        """Pages in short statements of their own, fetched ahead on a reader thread (see `scan_pages`)."""
        for rows in read_ahead(lambda: scan_pages(self.pool, after_position, batch_size)):
            yield from map(event_from_row, rows)

    @on_broken_connection
    def seals(self) -> list[Seal]:
        with self.pool.connection() as connection:
            rows = connection.execute(SEALS + " ORDER BY s.seal_number").fetchall()
        return [seal_from_row(row) for row in rows]

    @on_broken_connection
    def keep_timestamp(self, seal_number: int, token: bytes) -> bool:
        with self.pool.connection() as connection:
            return connection.execute(TIMESTAMP_KEEP.format("%s"), (token, seal_number)).rowcount == 1

    def verify(self, *, processes: int | None = None) -> VerifyReport:
        """Walked in ranges by `processes` processes (default: one per CPU on a large log; verify_ranges)."""
        if processes is None:
            with self.pool.connection() as connection:
                processes = processes_for(estimated_events(connection))
        conninfo = self.pool.conninfo
        return verify_ranges(conninfo() if callable(conninfo) else conninfo, self.seals(), processes)

    @on_broken_connection
    def read_history(self, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100) -> list[RecordedEvent]:
        where, values = history_where(chosen, after_position, lite=False)
        tail = f"ORDER BY position LIMIT {int(limit)}"
        with self.pool.connection() as connection:
            return select_events(connection, where, values, below_horizon=True, tail=tail)

    @on_broken_connection
    def chain_hashes(self, links: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        found: dict[tuple[str, int], bytes] = {}
        with self.pool.connection() as connection:
            for chunk in batched(links, LINKS_PER_STATEMENT):
                for event in select_events(connection, *links_where(chunk)):
                    found[(event.stream_id, event.stream_version)] = event.hash
        return found

    @on_broken_connection
    def streams_touching(self, units: Sequence[str]) -> list[str]:
        with self.pool.connection() as connection:
            return [str(row[0]) for row in select_rows(connection, *touching_sql(units))]

    def iter_streams_raw(self, stream_ids: Sequence[str]) -> Iterator[RecordedEvent]:
        for chunk in batched(stream_ids, STREAMS_PER_STATEMENT):
            with self.pool.connection() as connection:
                events = select_events(connection, *streams_where(chunk))
            yield from events

    def iter_hashes(self, *, after_position: int = 0, batch_size: int = 50_000) -> Iterator[PositionHash]:
        while True:
            with self.pool.connection() as connection:
                rows = select_rows(connection, POSITION_HASHES_SQL, (after_position, batch_size))
            yield from (PositionHash(int(p), bytes(h)) for p, h in rows)
            if len(rows) < batch_size:
                return
            after_position = int(rows[-1][0])

    def restore(
        self, events: Iterable[RecordedEvent], seals: RestoredSeals, *, batch_size: int = 2000, atomic: bool = True
    ) -> int:
        with self.pool.connection() as connection:
            return restore_rows(connection, events, seals, batch_size, atomic)


def select_events(
    connection: Connection, where: str, values: Sequence[Any], *, below_horizon: bool = False, tail: str = ""
) -> list[RecordedEvent]:
    """Rows `WHERE where` (and, with `below_horizon`, below the readers' horizon) `tail`, exactly as stored."""
    with connection.transaction():
        # The pool plans generically (right for the append); a filter over a few units must be planned
        # with its values, or it walks the whole log in position order. The horizon is one of them: as a
        # sub-select its value is unknown to the planner, which then scanned the whole position index
        # beside a one-stream index (50 ms instead of 3 for the unit tree's stream).
        connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        if below_horizon:
            horizon = connection.execute("SELECT partyledger_horizon()").fetchone()
            where, values = f"{where} AND position < %s", [*values, horizon[0] if horizon else 0]
        cursor = connection.cursor(binary=True)
        rows = cursor.execute(f"SELECT {COLUMNS} FROM event_log {where} {tail}", tuple(values)).fetchall()
    return [event_from_row(row) for row in rows]


def select_rows(connection: Connection, sql: str, values: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Any other auditor's select, planned with its values."""
    with connection.transaction():
        connection.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        return list(connection.execute(sql, tuple(values)).fetchall())


def scan_pages(pool: ConnectionPool, after: int, batch: int) -> Iterator[list[Any]]:
    """The log below the horizon a page at a time, each in a short statement of its own: one server-side
    cursor over the whole log would hold one snapshot for minutes, and with it the cluster-wide xmin, so
    every reader's horizon (I4) and every projection would stall while an auditor verifies. Binary: hashes
    come as bytes, not hex text."""
    with pool.connection() as connection:
        cursor = connection.cursor(binary=True)
        while rows := cursor.execute(SCAN_SQL, (after, batch)).fetchall():
            yield rows
            after = int(rows[-1][0])


def estimated_events(connection: Connection) -> int:
    """The planner's count of the log's rows: enough to choose how many processes verify, and free."""
    row = connection.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'event_log'::regclass").fetchone()
    return int(row[0]) if row else 0


def restore_rows(
    connection: Connection, events: Iterable[RecordedEvent], restored: RestoredSeals, batch: int, atomic: bool
) -> int:
    """Insert the rows and seals as exported; see `EventStore.restore`."""
    row = connection.execute(HAS_ROWS_SQL).fetchone()
    if row and row[0]:
        raise NotEmpty()
    written = 0
    with connection.transaction() if atomic else nullcontext():
        for chunk in batched((_row(event) for event in events), batch):
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(INSERT_SQL, chunk)
            written += len(chunk)
        seals = restored() if callable(restored) else restored
        with connection.transaction(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO log_seals VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (s.seal_number, s.up_to_position, s.event_count, s.prev_seal_hash, s.seal_hash, s.sealed_at)
                    for s in seals
                ],
            )
            cursor.executemany(
                SIGNATURE_INSERT.format("%s"), [(s.seal_number, s.signature) for s in seals if s.signature is not None]
            )
            cursor.executemany(
                TIMESTAMP_INSERT.format("%s"), [(s.seal_number, s.timestamp) for s in seals if s.timestamp is not None]
            )
            connection.execute(CONTINUE_POSITIONS.encode())  # the same rule as `partyledger migrate --after-restore`
    return written


def _row(event: RecordedEvent) -> tuple[object, ...]:
    return (
        event.position,
        event.stream_id,
        event.stream_version,
        event.unit_id,
        event.event_type,
        event.schema_version,
        canonical_json(event.data).decode(),
        canonical_json(event.metadata).decode(),
        event.occurred_on,
        event.recorded_at,
        event.prev_hash,
        event.hash,
        event.also_unit_id,
    )
