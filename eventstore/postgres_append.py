"""The PostgreSQL append: one INSERT statement on the happy path.

The application computes the hash chain, so it must know the stream's head hash; it keeps the heads it has
seen (loading a stream before deciding, as every command handler does, fills it). The statement writes only
if the stream's version `expected` still has exactly that hash, which both enforces I2 and proves the chain
links onto the real head. A concurrent writer of the same version loses on the unique constraint. The
idempotency key is claimed in the same statement (I3), so key and events commit together or not at all.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import NamedTuple

from .postgres_schema import POSITIONS_PER_TRANSACTION
from .store import PreparedAppend, PreparedEvent

EVENT_FIELDS = (
    ("n", "integer"),
    ("stream_version", "integer"),
    ("unit_id", "text"),
    ("event_type", "text"),
    ("schema_version", "integer"),
    ("data", "jsonb"),
    ("metadata", "jsonb"),
    ("occurred_on", "date"),
    ("prev_hash", "bytea"),
    ("hash", "bytea"),
    ("also_unit_id", "text"),
)
POSITION = (
    f"(pg_current_xact_id()::text::bigint + (SELECT xid_offset FROM log_position_offset)) * {POSITIONS_PER_TRANSACTION}"
)
HEAD_OK = (
    "(%(expected)s::integer = 0 OR EXISTS (SELECT 1 FROM event_log h WHERE h.stream_id = %(stream)s::text"
    " AND h.stream_version = %(expected)s::integer AND h.hash = %(head)s::bytea))"
)
KEY_CLAIM = f"""WITH new_key AS (
    INSERT INTO idempotency_keys (key, request_digest, stream_id, stream_version, first_position, last_position)
    SELECT %(key)s::text, %(digest)s::bytea, %(stream)s::text, %(version)s::integer,
           {POSITION} + 1, {POSITION} + %(count)s::integer
     WHERE {HEAD_OK}
    ON CONFLICT (key) DO NOTHING
    RETURNING key
)
"""
_NAMED = re.compile(r"%\((\w+)\)s")


def _row(index: int) -> str:
    return "(" + ", ".join(f"%(e{index}_{name})s::{kind}" for name, kind in EVENT_FIELDS) + ")"


class AppendStatement(NamedTuple):
    """The SQL with positional `%s`, and the batch-level parameter names before and after the event rows."""

    sql: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@lru_cache(maxsize=128)
def append_sql(batch_size: int, keyed: bool) -> AppendStatement:
    """One INSERT for a batch of this size, claiming the key first when there is one (measured: a plain
    INSERT … SELECT … WHERE costs the server about half of what CTEs over a JSON record set did).

    Written with names for reading, sent with positional `%s`: psycopg's named parameters cost ~25 µs more
    per append (measured), a sixth of the client's share. The event rows' parameters are one block."""
    rows = ", ".join(_row(index) for index in range(batch_size))
    columns = ", ".join(name for name, _ in EVENT_FIELDS)
    named = f"""{KEY_CLAIM if keyed else ""}INSERT INTO event_log (position, stream_id, stream_version, unit_id,
    event_type, schema_version, data, metadata, occurred_on, recorded_at, prev_hash, hash, also_unit_id)
SELECT {POSITION} + v.n, %(stream)s::text, v.stream_version, v.unit_id, v.event_type, v.schema_version,
       v.data, v.metadata, v.occurred_on, %(recorded_at)s::timestamptz, v.prev_hash, v.hash, v.also_unit_id
  FROM (VALUES {rows}) AS v({columns})
 WHERE {HEAD_OK}{" AND EXISTS (SELECT 1 FROM new_key)" if keyed else ""}
RETURNING position
"""
    names = _NAMED.findall(named)
    first = names.index("e0_n")
    last = first + batch_size * len(EVENT_FIELDS)
    return AppendStatement(_NAMED.sub("%s", named), tuple(names[:first]), tuple(names[last:]))


def append_parameters(
    statement: AppendStatement, batch: PreparedAppend, head_hash: bytes, links: list[tuple[bytes, bytes]]
) -> list[object]:
    """The values of `statement`'s parameters in order: the batch's own around each event's fields."""
    batch_values: dict[str, object] = {
        "expected": batch.expected_version,
        "stream": batch.stream_id,
        "head": head_hash,
        "recorded_at": batch.recorded_at,
    }
    if batch.idempotency_key is not None:
        batch_values["key"] = batch.idempotency_key
        batch_values["digest"] = batch.request_digest
        batch_values["version"] = batch.expected_version + len(batch.events)
        batch_values["count"] = len(batch.events)
    parameters = [batch_values[name] for name in statement.before]
    for index, (event, (prev, digest)) in enumerate(zip(batch.events, links, strict=True), start=1):
        parameters += event_row(index, event, prev, digest)
    parameters += [batch_values[name] for name in statement.after]
    return parameters


def event_row(index: int, event: PreparedEvent, prev: bytes, digest: bytes) -> tuple[object, ...]:
    """One event's values as both append statements write them, after its number in the statement."""
    return (
        index,
        event.stream_version,
        event.unit_id,
        event.event_type,
        event.schema_version,
        event.data_json.decode(),
        event.metadata_json.decode(),
        event.occurred_on,
        prev,
        digest,
        event.also_unit_id,
    )


class StreamHeads:
    """A bounded memory of (version, hash) per stream: only a hint, the INSERT re-checks it."""

    def __init__(self, capacity: int = 50_000) -> None:
        self._heads: OrderedDict[str, tuple[int, bytes]] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def get(self, stream_id: str) -> tuple[int, bytes] | None:
        with self._lock:
            head = self._heads.get(stream_id)
            if head is not None:
                self._heads.move_to_end(stream_id)
            return head

    def remember(self, stream_id: str, version: int, hash_: bytes) -> None:
        with self._lock:
            known = self._heads.get(stream_id)
            if known is None or known[0] <= version:
                self._heads[stream_id] = (version, hash_)
                self._heads.move_to_end(stream_id)
            if len(self._heads) > self._capacity:
                self._heads.popitem(last=False)


NEW_STREAMS_SQL = f"""WITH new_keys AS (
    INSERT INTO idempotency_keys (key, request_digest, stream_id, stream_version, first_position, last_position)
    SELECT k.key, k.digest, k.stream_id, k.version, {POSITION} + k.first_n, {POSITION} + k.last_n
      FROM unnest(%b::text[], %b::bytea[], %b::text[], %b::integer[], %b::integer[], %b::integer[])
           AS k(key, digest, stream_id, version, first_n, last_n)
)
INSERT INTO event_log (position, stream_id, stream_version, unit_id, event_type, schema_version, data, metadata,
    occurred_on, recorded_at, prev_hash, hash, also_unit_id)
SELECT {POSITION} + v.n, v.stream_id, v.stream_version, v.unit_id, v.event_type, v.schema_version, v.data::jsonb,
       v.metadata::jsonb, v.occurred_on, %b::timestamptz, v.prev_hash, v.hash, v.also_unit_id
  FROM unnest(%b::integer[], %b::text[], %b::integer[], %b::text[], %b::text[], %b::integer[], %b::text[],
              %b::text[], %b::date[], %b::bytea[], %b::bytea[], %b::text[])
       AS v(n, stream_id, stream_version, unit_id, event_type, schema_version, data, metadata, occurred_on,
            prev_hash, hash, also_unit_id)
RETURNING stream_id, position
"""
"""Many new streams and their keys in one statement, so one transaction: each row a column of arrays (one
parameter per column whatever the batch's size, so one generic plan), sent in binary (`%b`): psycopg's text
arrays escape each JSON text with a regular expression, two fifths of a batch's time (measured). No stream
exists yet, so every chain starts at the genesis hash; a stream that does exist, or a key already claimed,
fails the unique constraints and the whole statement with it. Positions are numbered across the batch (at
most `MAX_BATCH` < 1024)."""


def new_streams_parameters(batches: list[PreparedAppend], links: list[list[tuple[bytes, bytes]]]) -> list[object]:
    """`NEW_STREAMS_SQL`'s arrays: the keyed streams' keys, the clock, then every event of every stream."""
    keys: list[list[object]] = [[], [], [], [], [], []]
    columns: list[list[object]] = [[] for _ in range(12)]
    n = 0
    for batch, chain in zip(batches, links, strict=True):
        first = n + 1
        for event, (prev, digest) in zip(batch.events, chain, strict=True):
            n += 1
            number, *rest = event_row(n, event, prev, digest)
            row = (number, batch.stream_id, *rest)
            for column, value in zip(columns, row, strict=True):
                column.append(value)
        if batch.idempotency_key is not None:
            key_row: tuple[object, ...] = (
                batch.idempotency_key,
                batch.request_digest,
                batch.stream_id,
                len(batch.events),
                first,
                n,
            )
            for column, value in zip(keys, key_row, strict=True):
                column.append(value)
    return [*keys, batches[0].recorded_at, *columns]
