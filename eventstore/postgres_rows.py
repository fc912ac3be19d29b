"""What reads of the PostgreSQL log select and how a row becomes an event: the column lists, the statements
that read below the horizon, and the row converters the store and its auditors' reads share."""

from __future__ import annotations

from typing import Any

from psycopg.abc import Buffer
from psycopg.adapt import Loader

from .envelope import LEAN_COLUMNS, RecordedEvent
from .store import Seal

_ONE_SIDE = (
    f"SELECT {LEAN_COLUMNS} FROM event_log WHERE {{side}} = w.unit AND position > w.after AND position < h.horizon "
    "ORDER BY position LIMIT %s"
)  # only the columns read: the metadata is never fetched from its table
READ_UNITS_SQL = f"""
SELECT h.horizon, w.unit, {", ".join("e." + c.strip() for c in LEAN_COLUMNS.split(","))}
  FROM (SELECT partyledger_horizon() AS horizon OFFSET 0) h
 CROSS JOIN unnest(%s::text[], %s::bigint[]) AS w(unit, after)
  LEFT JOIN LATERAL (
       SELECT * FROM (({_ONE_SIDE.format(side="unit_id")}) UNION ALL ({_ONE_SIDE.format(side="also_unit_id")})) u
        ORDER BY position LIMIT %s
  ) e ON true
 ORDER BY w.unit, e.position
"""
"""Each unit's events after its own position below one horizon, from one snapshot (I4). OFFSET 0 keeps the
horizon a value: inlined, it was computed again for every row returned."""

UNIT_HEADS_SQL = """
WITH RECURSIVE units(unit_id) AS (
    (SELECT unit_id FROM event_log ORDER BY unit_id LIMIT 1)
    UNION ALL
    SELECT (SELECT e.unit_id FROM event_log e WHERE e.unit_id > u.unit_id ORDER BY e.unit_id LIMIT 1)
      FROM units u WHERE u.unit_id IS NOT NULL
), horizon AS MATERIALIZED (SELECT partyledger_horizon() AS h)  -- once, not once per unit
SELECT u.unit_id,
       (SELECT max(e.position) FROM event_log e, horizon WHERE e.unit_id = u.unit_id AND e.position < horizon.h)
  FROM units u WHERE u.unit_id IS NOT NULL
"""

ALSO_UNIT_HEADS_SQL = """
SELECT also_unit_id, max(position) FROM event_log
 WHERE also_unit_id IS NOT NULL AND position < (SELECT partyledger_horizon()) GROUP BY also_unit_id
"""

UNIT_HEAD_SQL = """
WITH h AS MATERIALIZED (SELECT partyledger_horizon() AS h)
SELECT greatest((SELECT max(position) FROM event_log, h WHERE unit_id = %s AND position < h.h),
                (SELECT max(position) FROM event_log, h WHERE also_unit_id = %s AND position < h.h))
"""


class JsonAsStored(Loader):
    """`jsonb` as the server sends it, for `LeanEvent.data_json`: the reader decodes it into its class."""

    def load(self, data: Buffer) -> bytes:
        return bytes(data)


def event_from_row(row: tuple[Any, ...]) -> RecordedEvent:
    """A row of `COLUMNS` as its event: psycopg already gives each column its Python type (bytea as bytes)."""
    return RecordedEvent(*row)


def seal_from_row(row: Any) -> Seal:
    number, up_to, count, prev, digest, sealed_at, signature, token = row
    signed = None if signature is None else bytes(signature)
    stamped = None if token is None else bytes(token)
    return Seal(int(number), int(up_to), int(count), bytes(prev), bytes(digest), sealed_at, signed, stamped)
