"""The PostgreSQL adapter: production's log.

An append is one INSERT statement (see postgres_append) on a pooled autocommit connection, so the hot path
is one round trip and one commit; everything else is plain indexed reads below the horizon (I4).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import msgspec
import psycopg
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from domain.codec import EVENTS, EventCodec

from .canonical import GENESIS_HASH, seal_hash
from .envelope import COLUMNS, SEALS, SIGNATURE_INSERT, AppendResult, LeanEvent, NewEvent, NewStream, RecordedEvent
from .errors import IdempotencyKeyReused, SchemaNotCurrent, WrongExpectedVersion
from .field_cipher import NO_CIPHER, Cipher, close_keys
from .postgres_append import NEW_STREAMS_SQL, StreamHeads, append_parameters, append_sql, new_streams_parameters
from .postgres_audit import PostgresAuditReads
from .postgres_retry import keyed_on_broken_connection, on_broken_connection
from .postgres_rows import (
    ALSO_UNIT_HEADS_SQL,
    READ_UNITS_SQL,
    UNIT_HEAD_SQL,
    UNIT_HEADS_SQL,
    JsonAsStored,
    event_from_row,
    seal_from_row,
)
from .postgres_schema import FORGET_REQUESTS, SCHEMA_VERSION, SEAL_LOCK_ID, install, installed_version
from .store import (
    Clock,
    EventPage,
    PreparedAppend,
    Seal,
    SignSeal,
    page_of,
    prepare_append,
    prepare_new_streams,
    upcast,
    utc_now,
)
from .validation import check_stream_id

OPTIONS = "-c plan_cache_mode=force_generic_plan"
CONNECTION_WAIT_SECONDS = 5.0
"""How long a call waits for a pooled connection: with the database down, a request fails (the API answers 503)
after this instead of psycopg_pool's 30 s default (found by tests/reliability/test_database_outage.py)."""


def postgres_pool(url: str, *, size: int = 10, min_size: int = 1, durable: bool = True) -> ConnectionPool:
    """Autocommit connections: each store call is its own short transaction.

    psycopg's own pool, not SQLAlchemy's: the log's hot path is one statement, and the lighter checkout was
    measured at a tenth of an append. Generic plans: the append's plan never depends on its values, and
    re-planning it at every bind cost more than executing it (0.1 ms of 0.15 ms server time). Not `durable`
    (a bulk load redone from scratch if interrupted): commits do not wait for the WAL flush.
    """
    if url.startswith("postgresql+psycopg://"):
        url = "postgresql://" + url.split("://", 1)[1]
    return ConnectionPool(
        url,
        min_size=min(min_size, size),
        max_size=size,
        max_lifetime=3600,
        timeout=CONNECTION_WAIT_SECONDS,
        kwargs={"autocommit": True, "options": OPTIONS if durable else OPTIONS + " -c synchronous_commit=off"},
        configure=_decode_json_with_msgspec,
        name="partyledger-log",
        open=True,
    )


def _decode_json_with_msgspec(connection: psycopg.Connection[Any]) -> None:
    """`data` and `metadata` of every row read: msgspec parses them several times faster than `json.loads`
    (the same values for the JSON the log accepts), a large share of a projection rebuild's reading."""
    set_json_loads(msgspec.json.decode, connection)


class PostgresEventStore(PostgresAuditReads):
    """The log on PostgreSQL; positions follow transaction ids and reads stop at the horizon (I4). The
    auditors' reads, verify and restore are in `PostgresAuditReads`."""

    def __init__(
        self, pool: ConnectionPool, *, codec: EventCodec = EVENTS, clock: Clock = utc_now, cipher: Cipher = NO_CIPHER
    ) -> None:
        self.pool = pool
        self.codec = codec
        self.cipher = cipher
        self._clock = clock
        self._heads = StreamHeads()

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 10, durable: bool = True, **kwargs: Any) -> PostgresEventStore:
        return cls(postgres_pool(url, size=pool_size, durable=durable), **kwargs)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection; the pool discards one that broke at the network level.

        No pre-ping: it would double the round trips of the hot path. A dead pooled connection costs one
        failed call, which the caller retries (appends carry idempotency keys for exactly that).
        """
        with self.pool.connection() as connection:
            yield connection

    def create_schema(self) -> None:
        """Create tables, triggers and functions once; safe to run concurrently and repeatedly.

        A log already at `SCHEMA_VERSION` gets no DDL at all: replacing a trigger takes a lock on `event_log`
        that deadlocked with live appends when a worker started while the API was writing. In production the
        application's role may not run DDL; the migration (`partyledger migrate`, as the owner) does.
        """
        with self._connection() as connection:
            if installed_version(connection) >= SCHEMA_VERSION:
                return
        try:
            with self._connection() as connection, connection.transaction():
                install(connection)
        except psycopg.errors.InsufficientPrivilege as exc:
            raise SchemaNotCurrent(
                f"the log's schema is older than version {SCHEMA_VERSION} and this role may not change it: "
                "run `partyledger migrate` as the database owner"
            ) from exc

    @keyed_on_broken_connection
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
        for _ in range(3):
            head = self._head_hash(batch)
            if head is None:
                refused = self._refusal(batch)
                if refused is not None:
                    return refused
                continue
            links = batch.chained(head)
            statement = append_sql(len(batch.events), batch.idempotency_key is not None)
            try:
                rows = self._execute_append(statement.sql, append_parameters(statement, batch, head, links))
            except psycopg.errors.UniqueViolation:
                rows = []  # a concurrent writer took this version or this key first; find out which below
            if rows:
                return self._appended(batch, links[-1][1], [int(r[0]) for r in rows])
            refused = self._refusal(batch)
            if refused is not None:
                return refused
        raise WrongExpectedVersion(batch.stream_id, batch.expected_version, self.stream_version(batch.stream_id))

    def append_new_streams(self, streams: Sequence[NewStream]) -> list[AppendResult]:
        """One INSERT statement for the whole batch (`NEW_STREAMS_SQL`): one round trip and one commit.

        The happy path asks nothing first. A unique violation means a key already claimed or a stream that
        exists: the keys are then looked up, the streams already written under their key answer as duplicates
        (I3) and the rest are tried again; a stream that exists without its key refuses the batch (I2)."""
        batches = prepare_new_streams(self.codec, streams, self._clock(), self.cipher)
        keyed = all(batch.idempotency_key is not None for batch in batches)
        write = on_broken_connection(self._write_new_streams) if keyed else self._write_new_streams
        return write(batches)

    def _write_new_streams(self, batches: list[PreparedAppend]) -> list[AppendResult]:
        results: dict[str, AppendResult] = {}
        for _ in range(3):
            fresh = [batch for batch in batches if batch.stream_id not in results]
            if not fresh:
                break
            links = [batch.chained(GENESIS_HASH) for batch in fresh]
            try:
                rows = self._execute_append(NEW_STREAMS_SQL, new_streams_parameters(fresh, links))
            except psycopg.errors.UniqueViolation:
                earlier = self._earlier_results(fresh)
                if not earlier:
                    self._refuse_existing(fresh)
                results.update(earlier)
                continue
            positions: dict[str, list[int]] = {}
            for stream_id, position in rows:
                positions.setdefault(stream_id, []).append(int(position))
            for batch, chain in zip(fresh, links, strict=True):
                results[batch.stream_id] = self._appended(batch, chain[-1][1], positions[batch.stream_id])
        unwritten = [batch for batch in batches if batch.stream_id not in results]
        if unwritten:  # three rounds of keys claimed meanwhile by concurrent writers: say which stream stands
            self._refuse_existing(unwritten)
        return [results[batch.stream_id] for batch in batches]

    def _earlier_results(self, batches: list[PreparedAppend]) -> dict[str, AppendResult]:
        """Streams of the batch whose keys are already claimed, by the same request (else `IdempotencyKeyReused`)."""
        wanted = {batch.idempotency_key: batch for batch in batches if batch.idempotency_key is not None}
        with self._connection() as connection:
            rows = connection.execute(
                "SELECT key, request_digest, stream_id, stream_version, first_position, last_position "
                "FROM idempotency_keys WHERE key = ANY(%s)",
                (list(wanted),),
            ).fetchall()
        found: dict[str, AppendResult] = {}
        for key, digest, stream_id, version, first, last in rows:
            batch = wanted[key]
            if bytes(digest) != batch.request_digest or stream_id != batch.stream_id:
                raise IdempotencyKeyReused(key)
            found[stream_id] = AppendResult(stream_id, int(version), int(first), int(last), duplicate=True)
        return found

    def _refuse_existing(self, batches: list[PreparedAppend]) -> None:
        """I2: name the first stream of the batch that already exists (a new stream's expected version is 0)."""
        for batch in batches:
            current = self.stream_version(batch.stream_id)
            if current:
                raise WrongExpectedVersion(batch.stream_id, 0, current)
        raise WrongExpectedVersion(batches[0].stream_id, 0, self.stream_version(batches[0].stream_id))

    def _execute_append(self, sql: str, parameters: list[object]) -> list[tuple[Any, ...]]:
        """One statement, one transaction (autocommit); the stress test widens this window on purpose.

        The pool's own get/put without its context managers: the hot path's checkout was a fifth of the
        client's time per append (measured)."""
        connection = self.pool.getconn()
        try:
            return connection.execute(sql, parameters).fetchall()
        finally:
            self.pool.putconn(connection)

    def _head_hash(self, batch: PreparedAppend) -> bytes | None:
        """The hash the new events chain onto, or None if the stream is not at the expected version."""
        if batch.expected_version == 0:
            return GENESIS_HASH
        known = self._heads.get(batch.stream_id)
        if known is None or known[0] != batch.expected_version:
            known = self._read_head(batch.stream_id)
        return known[1] if known[0] == batch.expected_version else None

    def _read_head(self, stream_id: str) -> tuple[int, bytes]:
        with self._connection() as connection:
            row = connection.execute(
                "SELECT stream_version, hash FROM event_log WHERE stream_id = %s ORDER BY stream_version DESC LIMIT 1",
                (stream_id,),
            ).fetchone()
        head = (int(row[0]), bytes(row[1])) if row else (0, GENESIS_HASH)
        self._heads.remember(stream_id, *head)
        return head

    def _appended(self, batch: PreparedAppend, new_head: bytes, positions: list[int]) -> AppendResult:
        version = batch.events[-1].stream_version
        self._heads.remember(batch.stream_id, version, new_head)
        return AppendResult(batch.stream_id, version, min(positions), max(positions))

    def _refusal(self, batch: PreparedAppend) -> AppendResult | None:
        """Nothing was written: say why (I2, I3). Returns only for a retried idempotent request."""
        if batch.idempotency_key is not None:
            with self._connection() as connection:
                row = connection.execute(
                    "SELECT request_digest, stream_id, stream_version, first_position, last_position "
                    "FROM idempotency_keys WHERE key = %s",
                    (batch.idempotency_key,),
                ).fetchone()
            if row is not None:
                if bytes(row[0]) != batch.request_digest:
                    raise IdempotencyKeyReused(batch.idempotency_key)
                return AppendResult(row[1], int(row[2]), int(row[3]), int(row[4]), duplicate=True)
        current, _ = self._read_head(batch.stream_id)
        if current != batch.expected_version:
            raise WrongExpectedVersion(batch.stream_id, batch.expected_version, current)
        return None  # our remembered head hash was stale; the caller retries with the one just read

    @on_broken_connection
    def flush(self) -> None:
        """One transaction committed with `synchronous_commit = on`: it takes a transaction id, so its commit is
        a WAL record, and waits until the WAL is on disk up to it, which holds every earlier commit of the
        server (the pool's `durable=False` connections commit with it off, `postgres_pool`)."""
        with self._connection() as connection, connection.transaction():
            connection.execute("SET LOCAL synchronous_commit = on")
            connection.execute("SELECT pg_current_xact_id()")

    @on_broken_connection
    def stream_version(self, stream_id: str) -> int:
        check_stream_id(stream_id)
        with self._connection() as connection:
            row = connection.execute(
                "SELECT max(stream_version) FROM event_log WHERE stream_id = %s", (stream_id,)
            ).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def read_streams(self, after: Mapping[str, int]) -> dict[str, list[RecordedEvent]]:
        """Several streams' events after the given versions, in one round trip (a command's whole read)."""
        ids = [check_stream_id(stream_id) for stream_id in after]
        where = " OR ".join(["(stream_id = %s AND stream_version > %s)"] * len(ids))
        events = self._select(
            f"WHERE {where} ORDER BY stream_id, stream_version", tuple(v for i in ids for v in (i, after[i]))
        )
        found: dict[str, list[RecordedEvent]] = {stream_id: [] for stream_id in ids}
        for event in events:
            found[event.stream_id].append(event)
        for stream_id, newer in found.items():
            if newer:
                self._heads.remember(stream_id, newer[-1].stream_version, newer[-1].hash)
        return found

    def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[RecordedEvent]:
        check_stream_id(stream_id)
        events = self._select(
            "WHERE stream_id = %s AND stream_version > %s ORDER BY stream_version", (stream_id, after_version)
        )
        if events:
            self._heads.remember(stream_id, events[-1].stream_version, events[-1].hash)
        return events

    def read_unit(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> EventPage[LeanEvent]:
        return self.read_units({unit_id: after_position}, limit=limit)[unit_id]

    @on_broken_connection
    def read_units(self, after: Mapping[str, int], *, limit: int = 1000) -> dict[str, EventPage[LeanEvent]]:
        """Per unit, its own events and those that name it as `also_unit_id` (a person moving in): two index
        range scans merged, so a small unit in a large log never costs a scan of the log."""
        units, positions = list(after), list(after.values())
        with self._connection() as connection:
            cursor = connection.cursor()
            cursor.adapters.register_loader("jsonb", JsonAsStored)
            rows = cursor.execute(READ_UNITS_SQL, (units, positions, limit, limit, limit)).fetchall()
        complete_to = int(rows[0][0]) - 1 if rows else 0
        found: dict[str, list[LeanEvent]] = {unit: [] for unit in units}
        for row in rows:
            if row[2] is not None:
                found[row[1]].append(LeanEvent(*row[2:]))
        return {
            unit: page_of(events, limit=limit, after=after[unit], complete_to=complete_to)
            for unit, events in found.items()
        }

    def unit_history(self, unit_id: str, *, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return self._select(
            "WHERE (unit_id = %s OR also_unit_id = %s) AND position > %s ORDER BY position LIMIT %s",
            (unit_id, unit_id, after_position, limit),
        )

    def read_all(self, *, after_position: int = 0, limit: int = 1000) -> EventPage[RecordedEvent]:
        return self._page("", (), after_position, limit)

    @on_broken_connection
    def head_position(self) -> int:
        """The last position every reader can already see in full (below the horizon)."""
        with self._connection() as connection:
            row = connection.execute(
                "SELECT coalesce(max(position), 0) FROM event_log WHERE position < (SELECT partyledger_horizon())"
            ).fetchone()
        return int(row[0]) if row else 0

    @on_broken_connection
    def unit_heads(self) -> dict[str, int]:
        """Each unit's last readable position: one index descent per unit, not a scan of the log."""
        with self._connection() as connection:
            rows = connection.execute(UNIT_HEADS_SQL).fetchall()
            moves = connection.execute(ALSO_UNIT_HEADS_SQL).fetchall()
        heads = {unit: int(position) for unit, position in rows if position is not None}
        for unit, position in moves:
            heads[unit] = max(heads.get(unit, 0), int(position))
        return heads

    @on_broken_connection
    def unit_head(self, unit_id: str) -> int:
        """One unit's last readable position (its own events and those naming it as `also_unit_id`)."""
        with self._connection() as connection:
            row = connection.execute(UNIT_HEAD_SQL, (unit_id, unit_id)).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    @on_broken_connection
    def _page(self, where: str, parameters: tuple[Any, ...], after: int, limit: int) -> EventPage[RecordedEvent]:
        """Events after `after` below the horizon, and the horizon, from one snapshot (I4)."""
        query = (
            f"SELECT h.horizon, {', '.join('e.' + c.strip() for c in COLUMNS.split(','))} "
            "FROM (SELECT partyledger_horizon() AS horizon OFFSET 0) h LEFT JOIN LATERAL ("
            f"SELECT * FROM event_log e WHERE {where} e.position > %s AND e.position < h.horizon "
            "ORDER BY e.position LIMIT %s) e ON true"
        )  # OFFSET 0 keeps the sub-select a value: inlined, the horizon was computed again for every row returned
        with self._connection() as connection:
            rows = connection.execute(query, (*parameters, after, limit)).fetchall()
        events = [upcast(self.codec, event_from_row(row[1:]), self.cipher) for row in rows if row[1] is not None]
        return page_of(events, limit=limit, after=after, complete_to=int(rows[0][0]) - 1)

    def seal(self, *, sign: SignSeal | None = None) -> Seal | None:
        """Seal every committed event after the last seal; None when there is nothing new."""
        with self._connection() as connection, connection.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(%s)", (SEAL_LOCK_ID,))
            last = _last_seal(connection)
            start = last.up_to_position if last else 0
            cursor = connection.execute(
                "SELECT position, hash FROM event_log "
                "WHERE position > %s AND position < (SELECT partyledger_horizon()) ORDER BY position",
                (start,),
            )
            rows = cursor.fetchall()
            if not rows:
                return None
            up_to = int(rows[-1][0])
            prev = last.seal_hash if last else GENESIS_HASH
            number = (last.seal_number if last else 0) + 1
            digest = seal_hash(prev, up_to, (bytes(r[1]) for r in rows))
            created = connection.execute(  # sealed_at: the database's clock (its default), I14
                "INSERT INTO log_seals (seal_number, up_to_position, event_count, prev_seal_hash, seal_hash) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING *, NULL::bytea, NULL::bytea",
                (number, up_to, len(rows), prev, digest),
            ).fetchone()
            made = seal_from_row(created)
            if sign is not None:
                made = replace(made, signature=sign(made))
                connection.execute(SIGNATURE_INSERT.format("%s"), (number, made.signature))
        return made

    @on_broken_connection
    def forget_requests(self, stream_id: str, before_position: int) -> int:
        """One UPDATE in the only form the table's trigger lets through (schema step 8), by the app role's
        column privilege on `key` and `request_digest`."""
        with self._connection() as connection, connection.transaction():
            cursor = connection.execute(FORGET_REQUESTS, (stream_id, before_position))
            return cursor.rowcount

    def close(self) -> None:
        self.pool.close()
        close_keys(self.cipher)

    def _select(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        return [upcast(self.codec, event, self.cipher) for event in self._select_raw(where, parameters)]

    @on_broken_connection
    def _select_raw(self, where: str, parameters: tuple[Any, ...]) -> list[RecordedEvent]:
        with self._connection() as connection:
            rows = connection.execute(f"SELECT {COLUMNS} FROM event_log {where}", parameters).fetchall()
        return [event_from_row(row) for row in rows]


def _last_seal(connection: psycopg.Connection[Any]) -> Seal | None:
    row = connection.execute(SEALS + " ORDER BY s.seal_number DESC LIMIT 1").fetchone()
    return seal_from_row(row) if row else None
