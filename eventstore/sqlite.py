"""The SQLite adapter: the embedded default's log, in one file beside the projections."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from domain.codec import EVENTS, EventCodec

from .canonical import GENESIS_HASH, format_recorded_at, seal_hash
from .envelope import (
    COLUMNS,
    LEAN_COLUMNS,
    SEALS,
    SIGNATURE_INSERT,
    TIMESTAMP_KEEP,
    AppendResult,
    LeanEvent,
    NewEvent,
    NewStream,
    RecordedEvent,
)
from .field_cipher import NO_CIPHER, Cipher, close_keys
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
from .selection import HistoryFilter, PositionHash
from .sqlite_append import earlier_result, insert
from .sqlite_rows import event_from_row, last_seal, lean_event_from_row, restore_rows, seal_from_row
from .sqlite_schema import statements
from .store import (
    Clock,
    EventPage,
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

    def __init__(
        self, engine: sa.Engine, *, codec: EventCodec = EVENTS, clock: Clock = utc_now, cipher: Cipher = NO_CIPHER
    ) -> None:
        self.engine = engine
        self.codec = codec
        self.cipher = cipher
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
        batch = prepare_append(
            self.codec, stream_id, events, expected_version, idempotency_key, self._clock(), self.cipher
        )
        with self._write() as connection:
            earlier = earlier_result(connection, batch)
            if earlier is not None:
                return earlier
            return insert(connection, batch)

    def append_new_streams(self, streams: Sequence[NewStream]) -> list[AppendResult]:
        """One `BEGIN IMMEDIATE` for the batch: a refused stream rolls every other one back."""
        batches = prepare_new_streams(self.codec, streams, self._clock(), self.cipher)
        with self._write() as connection:
            earlier = [earlier_result(connection, batch) for batch in batches]
            return [
                found if found is not None else insert(connection, batch)
                for batch, found in zip(batches, earlier, strict=True)
            ]

    def flush(self) -> None:
        """A checkpoint: in WAL mode with synchronous=NORMAL (`durable=False`) the log's WAL is synced to disk
        before every checkpoint, so each commit before it is durable (with FULL it already was)."""
        with self._connection() as connection:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

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
            unit: page_of([lean_event_from_row(row) for row in rows], limit=limit, after=after[unit], complete_to=head)
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
        events = [upcast(self.codec, event_from_row(row), self.cipher) for row in rows]
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

    def seal(self, *, sign: SignSeal | None = None) -> Seal | None:
        with self._write() as connection:
            last = last_seal(connection)
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
            if sign is not None:
                seal = replace(seal, signature=sign(seal))
                connection.execute(SIGNATURE_INSERT.format("?"), (seal.seal_number, seal.signature))
        return seal

    def seals(self) -> list[Seal]:
        with self._connection() as connection:
            rows = connection.execute(SEALS + " ORDER BY s.seal_number").fetchall()
        return [seal_from_row(row) for row in rows]

    def keep_timestamp(self, seal_number: int, token: bytes) -> bool:
        with self._write() as connection:
            return connection.execute(TIMESTAMP_KEEP.format("?"), (token, seal_number)).rowcount == 1

    def verify(self, *, processes: int | None = None) -> VerifyReport:
        """One walk: SQLite's reads are quick enough that starting processes would cost more."""
        return verify_events(self.iter_raw(), self.seals())

    def read_history(self, chosen: HistoryFilter, *, after_position: int = 0, limit: int = 100) -> list[RecordedEvent]:
        """One writer at a time: every committed event is already readable (I4)."""
        where, values = history_where(chosen, after_position, lite=True)
        return self._select_raw(_lite(f"{where} ORDER BY position LIMIT %s"), (*values, limit))

    def chain_hashes(self, links: Sequence[tuple[str, int]]) -> dict[tuple[str, int], bytes]:
        found: dict[tuple[str, int], bytes] = {}
        for chunk in batched(links, LINKS_PER_STATEMENT):
            where, values = links_where(chunk)
            for event in self._select_raw(_lite(where), tuple(values)):
                found[(event.stream_id, event.stream_version)] = event.hash
        return found

    def streams_touching(self, units: Sequence[str]) -> list[str]:
        sql, values = touching_sql(units)
        with self._connection() as connection:
            return [str(row[0]) for row in connection.execute(_lite(sql), values).fetchall()]

    def forget_requests(self, stream_id: str, before_position: int) -> int:
        """The trigger lets an UPDATE through only in this form (`sqlite_schema.FORGET_ONLY`)."""
        with self._write() as connection:
            keys = connection.execute(
                "SELECT key FROM idempotency_keys WHERE stream_id = ? AND last_position < ? "
                "AND length(request_digest) > 0",
                (stream_id, before_position),
            ).fetchall()
            connection.executemany(
                "UPDATE idempotency_keys SET key = ?, request_digest = X'' WHERE key = ?",
                [(forgotten_key(str(key)), key) for (key,) in keys],
            )
        return len(keys)

    def iter_streams_raw(self, stream_ids: Sequence[str]) -> Iterator[RecordedEvent]:
        for chunk in batched(stream_ids, STREAMS_PER_STATEMENT):
            where, values = streams_where(chunk)
            yield from self._select_raw(_lite(where), tuple(values))

    def iter_hashes(self, *, after_position: int = 0, batch_size: int = 50_000) -> Iterator[PositionHash]:
        while True:
            with self._connection() as connection:
                rows = connection.execute(_lite(POSITION_HASHES_SQL), (after_position, batch_size)).fetchall()
            yield from (PositionHash(int(p), bytes(h)) for p, h in rows)
            if len(rows) < batch_size:
                return
            after_position = int(rows[-1][0])

    def restore(
        self, events: Iterable[RecordedEvent], seals: RestoredSeals, *, batch_size: int = 2000, atomic: bool = True
    ) -> int:
        """Always in one transaction: SQLite has no other readers' horizon to hold back."""
        with self._write() as connection:
            return restore_rows(connection, events, seals, batch_size)

    def close(self) -> None:
        self.engine.dispose()
        close_keys(self.cipher)

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        return [upcast(self.codec, event, self.cipher) for event in self._select_raw(where, parameters)]

    def _select_raw(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        with self._connection() as connection:
            rows = connection.execute(f"SELECT {COLUMNS} FROM event_log {where}", parameters).fetchall()
        return [event_from_row(row) for row in rows]


def _lite(sql: str) -> str:
    """The shared statements' `%s` placeholders as SQLite's `?`."""
    return sql.replace("%s", "?")
