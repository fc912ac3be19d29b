"""The SQLite adapter: the embedded default's log, in one file beside the projections."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from domain.codec import EVENTS, EventCodec

from .canonical import GENESIS_HASH, format_recorded_at, parse_recorded_at, seal_hash
from .envelope import COLUMNS, LEAN_COLUMNS, AppendResult, LeanEvent, NewEvent, RecordedEvent
from .errors import IdempotencyKeyReused, WrongExpectedVersion
from .sqlite_schema import statements
from .store import Clock, EventPage, PreparedAppend, Seal, page_of, prepare_append, upcast, utc_now
from .validation import check_stream_id


def sqlite_engine(url_or_path: str | Path, *, durable: bool = True) -> sa.Engine:
    """An engine whose connections are in autocommit so that we can say `BEGIN IMMEDIATE` ourselves.

    Not `durable` (a bulk load that is redone from scratch if interrupted, like the seed): commits skip the
    fsync (WAL with synchronous=NORMAL, which syncs at each checkpoint, the last one at close).
    """
    url = str(url_or_path)
    if not url.startswith("sqlite"):
        url = f"sqlite:///{Path(url).resolve()}"
    engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=NORMAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    return engine


class SqliteEventStore:
    """The log on SQLite; `BEGIN IMMEDIATE` makes each append the only writer until it commits."""

    def __init__(self, engine: sa.Engine, *, codec: EventCodec = EVENTS, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.codec = codec
        self._clock = clock

    @classmethod
    def from_url(cls, url: str | Path, *, durable: bool = True, **kwargs: Any) -> SqliteEventStore:
        return cls(sqlite_engine(url, durable=durable), **kwargs)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        fairy = self.engine.raw_connection()
        try:
            connection: sqlite3.Connection = fairy.driver_connection  # type: ignore[assignment]
            yield connection
        finally:
            fairy.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            connection.execute("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")

    def create_schema(self) -> None:
        with self._write() as connection:
            for statement in statements():
                connection.execute(statement)

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int,
        idempotency_key: str | None = None,
    ) -> AppendResult:
        batch = prepare_append(self.codec, stream_id, events, expected_version, idempotency_key, self._clock())
        with self._write() as connection:
            earlier = _earlier_result(connection, batch)
            if earlier is not None:
                return earlier
            return _insert(connection, batch)

    def stream_version(self, stream_id: str) -> int:
        check_stream_id(stream_id)
        with self._connection() as connection:
            row = connection.execute(
                "SELECT max(stream_version) FROM event_log WHERE stream_id = ?", (stream_id,)
            ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def read_streams(self, after: Mapping[str, int]) -> dict[str, list[RecordedEvent]]:
        return {stream_id: self.read_stream(stream_id, after_version=version) for stream_id, version in after.items()}

    def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[RecordedEvent]:
        check_stream_id(stream_id)
        return self._select(
            "WHERE stream_id = ? AND stream_version > ? ORDER BY stream_version", (stream_id, after_version)
        )

    def read_unit(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> EventPage[LeanEvent]:
        return self.read_units({unit_id: after_position}, limit=limit)[unit_id]

    def read_units(self, after: Mapping[str, int], *, limit: int = 1000) -> dict[str, EventPage[LeanEvent]]:
        """One read transaction for every unit: the same head bounds them all (one writer: I4)."""
        query = f"SELECT {LEAN_COLUMNS} FROM event_log WHERE (unit_id = ? OR also_unit_id = ?) AND position > ? "
        with self._read_transaction() as connection:
            head = int(connection.execute("SELECT coalesce(max(position), 0) FROM event_log").fetchone()[0])
            found = {
                unit: connection.execute(query + "ORDER BY position LIMIT ?", (unit, unit, position, limit)).fetchall()
                for unit, position in after.items()
            }
        return {
            unit: page_of([_lean_event_from_row(row) for row in rows], limit=limit, after=after[unit], complete_to=head)
            for unit, rows in found.items()
        }

    def unit_history(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return self._select(
            "WHERE (unit_id = ? OR also_unit_id = ?) AND position > ? ORDER BY position LIMIT ?",
            (unit_id, unit_id, after_position, limit),
        )

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> EventPage[RecordedEvent]:
        return self._page("", (), after_position, limit)

    def _page(self, where: str, parameters: tuple[Any, ...], after: int, limit: int) -> EventPage[RecordedEvent]:
        """One read transaction gives the events and the head they are complete up to (one writer: I4)."""
        with self._read_transaction() as connection:
            head = int(connection.execute("SELECT coalesce(max(position), 0) FROM event_log").fetchone()[0])
            rows = connection.execute(
                f"SELECT {COLUMNS} FROM event_log WHERE {where} position > ? ORDER BY position LIMIT ?",
                (*parameters, after, limit),
            ).fetchall()
        events = [upcast(self.codec, _event_from_row(row)) for row in rows]
        return page_of(events, limit=limit, after=after, complete_to=head)

    @contextmanager
    def _read_transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connection() as connection:
            connection.execute("BEGIN")
            try:
                yield connection
            finally:
                connection.execute("COMMIT")

    def head_position(self) -> int:
        with self._connection() as connection:
            row = connection.execute("SELECT coalesce(max(position), 0) FROM event_log").fetchone()
        return int(row[0]) if row else 0

    def unit_heads(self) -> dict[str, int]:
        with self._connection() as connection:
            rows = connection.execute("SELECT unit_id, max(position) FROM event_log GROUP BY unit_id").fetchall()
            moves = connection.execute(
                "SELECT also_unit_id, max(position) FROM event_log WHERE also_unit_id IS NOT NULL GROUP BY also_unit_id"
            ).fetchall()
        heads = {unit: int(position) for unit, position in rows}
        for unit, position in moves:
            heads[unit] = max(heads.get(unit, 0), int(position))
        return heads

    def unit_head(self, unit_id: str) -> int:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT max(position) FROM event_log WHERE unit_id = ? OR also_unit_id = ?", (unit_id, unit_id)
            ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def iter_raw(self, *, after_position: int = 0, batch_size: int = 5000) -> Iterator[RecordedEvent]:
        position = after_position
        while True:
            rows = self._select_raw("WHERE position > ? ORDER BY position LIMIT ?", (position, batch_size))
            yield from rows
            if len(rows) < batch_size:
                return
            position = rows[-1].position

    def seal(self) -> Seal | None:
        with self._write() as connection:
            last = _last_seal(connection)
            start = last.up_to_position if last else 0
            rows = connection.execute(
                "SELECT position, hash FROM event_log WHERE position > ? ORDER BY position", (start,)
            ).fetchall()
            if not rows:
                return None
            prev = last.seal_hash if last else GENESIS_HASH
            seal = Seal(
                (last.seal_number if last else 0) + 1,
                int(rows[-1][0]),
                len(rows),
                prev,
                seal_hash(prev, int(rows[-1][0]), (bytes(r[1]) for r in rows)),
                self._clock(),
            )
            connection.execute(
                "INSERT INTO log_seals VALUES (?, ?, ?, ?, ?, ?)",
                (
                    seal.seal_number,
                    seal.up_to_position,
                    seal.event_count,
                    seal.prev_seal_hash,
                    seal.seal_hash,
                    format_recorded_at(seal.sealed_at),
                ),
            )
        return seal

    def seals(self) -> list[Seal]:
        with self._connection() as connection:
            rows = connection.execute("SELECT * FROM log_seals ORDER BY seal_number").fetchall()
        return [_seal_from_row(row) for row in rows]

    def close(self) -> None:
        self.engine.dispose()

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        return [upcast(self.codec, event) for event in self._select_raw(where, parameters)]

    def _select_raw(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        with self._connection() as connection:
            rows = connection.execute(f"SELECT {COLUMNS} FROM event_log {where}", parameters).fetchall()
        return [_event_from_row(row) for row in rows]


def _earlier_result(connection: sqlite3.Connection, batch: PreparedAppend) -> AppendResult | None:
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


def _insert(connection: sqlite3.Connection, batch: PreparedAppend) -> AppendResult:
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


def _lean_event_from_row(row: tuple[Any, ...]) -> LeanEvent:
    position, stream_id, version, unit_id, event_type, schema, data, occurred, recorded, also_unit_id = row
    occurred_on, recorded_at = date.fromisoformat(occurred), parse_recorded_at(recorded)
    return LeanEvent(
        position, stream_id, version, unit_id, event_type, schema, data, occurred_on, recorded_at, also_unit_id
    )


def _event_from_row(row: tuple[Any, ...]) -> RecordedEvent:
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


def _seal_from_row(row: tuple[Any, ...]) -> Seal:
    number, up_to, count, prev, digest, sealed_at = row
    return Seal(int(number), int(up_to), int(count), bytes(prev), bytes(digest), parse_recorded_at(sealed_at))


def _last_seal(connection: sqlite3.Connection) -> Seal | None:
    row = connection.execute("SELECT * FROM log_seals ORDER BY seal_number DESC LIMIT 1").fetchone()
    return _seal_from_row(row) if row else None
