"""The PostgreSQL append: one INSERT statement on the happy path.

The application computes the hash chain, so it must know the stream's head hash; it keeps the heads it has
seen (loading a stream before deciding, as every command handler does, fills it). The statement writes only
if the stream's version `expected` still has exactly that hash, which both enforces I2 and proves the chain
links onto the real head. A concurrent writer of the same version loses on the unique constraint. The
idempotency key is claimed in the same statement (I3), so key and events commit together or not at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import lru_cache

from .canonical import canonical_json
from .postgres_schema import POSITIONS_PER_TRANSACTION
from .store import PreparedAppend

EVENTS_RECORDSET = (
    "jsonb_to_recordset(%(events)s::jsonb) AS v(n integer, stream_version integer, unit_id text, "
    "event_type text, schema_version integer, data jsonb, metadata jsonb, occurred_on date, prev_hash text, "
    "hash text, also_unit_id text)"
)


@lru_cache(maxsize=64)
def append_sql(batch_size: int) -> str:
    """The statement for a batch of this size (cached, so psycopg prepares it once per connection)."""
    return f"""
WITH base AS (
    SELECT (pg_current_xact_id()::text::bigint + o.xid_offset) * {POSITIONS_PER_TRANSACTION} AS p
      FROM log_position_offset o
), head_ok AS (
    SELECT %(expected)s::integer = 0 OR EXISTS (
        SELECT 1 FROM event_log h
         WHERE h.stream_id = %(stream)s::text AND h.stream_version = %(expected)s::integer
           AND h.hash = %(head)s::bytea) AS ok
), new_key AS (
    INSERT INTO idempotency_keys
    SELECT %(key)s::text, %(digest)s::bytea, %(stream)s::text, %(version)s::integer,
           base.p + 1, base.p + {batch_size}, %(recorded_at)s::timestamptz
      FROM base, head_ok WHERE %(key)s::text IS NOT NULL AND head_ok.ok
    ON CONFLICT (key) DO NOTHING
    RETURNING key
)
INSERT INTO event_log (position, stream_id, stream_version, unit_id, event_type, schema_version,
                       data, metadata, occurred_on, recorded_at, prev_hash, hash, also_unit_id)
SELECT base.p + v.n, %(stream)s::text, v.stream_version, v.unit_id, v.event_type, v.schema_version,
       v.data, v.metadata, v.occurred_on, %(recorded_at)s::timestamptz,
       decode(v.prev_hash, 'hex'), decode(v.hash, 'hex'), v.also_unit_id
  FROM base, head_ok, {EVENTS_RECORDSET}
 WHERE head_ok.ok AND (%(key)s::text IS NULL OR EXISTS (SELECT 1 FROM new_key))
RETURNING position
"""


def append_parameters(batch: PreparedAppend, head_hash: bytes) -> dict[str, object]:
    """Named parameters for `append_sql`; the events travel as one JSON array, assembled from the bytes
    already encoded for hashing (one parameter to adapt instead of ten per event)."""
    rows = []
    for index, (event, (prev, digest)) in enumerate(zip(batch.events, batch.chained(head_hash), strict=True)):
        rows.append(
            b'{"n":%d,"stream_version":%d,"unit_id":%s,"event_type":%s,"schema_version":%d,"data":%s,'
            b'"metadata":%s,"occurred_on":"%s","prev_hash":"%s","hash":"%s","also_unit_id":%s}'
            % (
                index + 1,
                event.stream_version,
                canonical_json(event.unit_id),
                canonical_json(event.event_type),
                event.schema_version,
                event.data_json,
                event.metadata_json,
                event.occurred_on.isoformat().encode(),
                prev.hex().encode(),
                digest.hex().encode(),
                canonical_json(event.also_unit_id),
            )
        )
    return {
        "expected": batch.expected_version,
        "stream": batch.stream_id,
        "head": head_hash,
        "key": batch.idempotency_key,
        "digest": batch.request_digest,
        "version": batch.expected_version + len(batch.events),
        "recorded_at": batch.recorded_at,
        "events": (b"[" + b",".join(rows) + b"]").decode(),
    }


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
