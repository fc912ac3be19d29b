"""Writing rows exactly as exported into an empty log: same positions, clocks, hashes and seals.

Only for a log with no events (a restore, never a merge). On PostgreSQL, positions follow transaction ids
(`(xid + offset) × 1024 + n`); a fresh cluster's ids start low again, so the restore raises
`log_position_offset` until every new position lands above the restored ones (I4 keeps holding).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

from .canonical import canonical_json, format_recorded_at
from .envelope import COLUMNS, RecordedEvent
from .errors import EventStoreError
from .postgres import PostgresEventStore
from .postgres_schema import CONTINUE_POSITIONS
from .sqlite import SqliteEventStore
from .store import Seal

AnyStore = PostgresEventStore | SqliteEventStore

INSERT_PG = (
    f"INSERT INTO event_log ({COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s, %s, %s)"
)
INSERT_LITE = f"INSERT INTO event_log ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


class NotEmpty(EventStoreError):
    """A restore writes only into a log with no events and no seals."""


def _row(event: RecordedEvent, lite: bool) -> tuple[object, ...]:
    return (
        event.position,
        event.stream_id,
        event.stream_version,
        event.unit_id,
        event.event_type,
        event.schema_version,
        canonical_json(event.data).decode(),
        canonical_json(event.metadata).decode(),
        event.occurred_on.isoformat() if lite else event.occurred_on,
        format_recorded_at(event.recorded_at) if lite else event.recorded_at,
        event.prev_hash,
        event.hash,
        event.also_unit_id,
    )


def restore(
    store: AnyStore, events: Iterable[RecordedEvent], seals: list[Seal], batch: int = 2000, *, atomic: bool = True
) -> int:
    """Insert every event and seal in one transaction; returns the number of events written.

    `atomic=False` (PostgreSQL) commits every batch instead: for generated logs on a shared server, where one
    transaction of minutes would hold back every database's horizon (I4) for as long; a failure then leaves
    a partial log behind, so an import of a file an auditor hands over always stays atomic.
    """
    if _has_rows(store):
        raise NotEmpty("the log already holds events or seals: import only into an empty database")
    if isinstance(store, SqliteEventStore):
        return _restore_sqlite(store, events, seals, batch)
    return _restore_postgres(store, events, seals, batch, atomic)


def _has_rows(store: AnyStore) -> bool:
    return next(store.iter_raw(batch_size=1), None) is not None or bool(store.seals())


def _chunks(events: Iterable[RecordedEvent], size: int, lite: bool) -> Iterable[list[tuple[object, ...]]]:
    chunk: list[tuple[object, ...]] = []
    for event in events:
        chunk.append(_row(event, lite))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _restore_sqlite(store: SqliteEventStore, events: Iterable[RecordedEvent], seals: list[Seal], batch: int) -> int:
    written = 0
    with store._write() as connection:
        for chunk in _chunks(events, batch, lite=True):
            connection.executemany(INSERT_LITE, chunk)
            written += len(chunk)
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
    return written


def _restore_postgres(
    store: PostgresEventStore, events: Iterable[RecordedEvent], seals: list[Seal], batch: int, atomic: bool
) -> int:
    written = 0
    with store._connection() as connection, connection.transaction() if atomic else nullcontext():
        for chunk in _chunks(events, batch, lite=False):
            with connection.transaction(), connection.cursor() as cursor:
                cursor.executemany(INSERT_PG, chunk)
            written += len(chunk)
        with connection.transaction(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO log_seals VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (s.seal_number, s.up_to_position, s.event_count, s.prev_seal_hash, s.seal_hash, s.sealed_at)
                    for s in seals
                ],
            )
            connection.execute(CONTINUE_POSITIONS.encode())  # the same rule as `partyledger migrate --after-restore`
    return written
