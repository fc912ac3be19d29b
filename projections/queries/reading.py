"""What every query shares: the active version, how fresh the answer is, reading rows, and stable paging.

Every answer carries `position`: the lowest checkpoint of the projection over the units read (STYLE habit 8),
so a caller can tell that the answer reflects the log up to there; a unit never built counts as 0.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY

from ..registry import PROJECTIONS, by_name
from ..schema import projection_checkpoints as cp
from ..schema import projection_rows as pr
from ..versions import active_version, active_versions

MAX_PAGE = 500

R = TypeVar("R")


MANY_UNITS = 64
"""Above this many units, PostgreSQL is sent them as one array (`= ANY`), not one placeholder each: for the
city's 30,000 units the driver spent longer parsing the statement's placeholders than the server ran it."""


def unit_in(connection: sa.Connection, column: sa.ColumnElement[str], units: Sequence[str]) -> sa.ColumnElement[bool]:
    """`column IN units`, as an array on PostgreSQL when the units are many."""
    if len(units) > MANY_UNITS and connection.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, list(units), type_=ARRAY(sa.Text())))
    return column.in_(list(units))


def version_of(connection: sa.Connection, projection: str) -> int:
    """The version queries read: the active one, which a rebuild beside it never disturbs."""
    return active_version(connection, by_name(projection))


def reflected_position(connection: sa.Connection, projection: str, version: int, units: Sequence[str]) -> int:
    """The log position the answer reflects for every unit read (0 if one was never built). For many units,
    the groups wholly among them answer from their kept positions (`projections.rollup`), and the server
    finds the lowest of the other units' checkpoints: the city's 30,000 never reach this process."""
    if not units:
        return 0
    if len(units) <= MANY_UNITS:
        chosen = sa.and_(cp.c.projection == projection, cp.c.version == version, cp.c.unit_id.in_(list(units)))
        reached = dict(connection.execute(sa.select(cp.c.unit_id, cp.c.position).where(chosen)).all())
        return min(int(reached.get(unit, 0)) for unit in units)
    from .rollup import groups_position  # reads this module's helpers

    kept, alone = groups_position(connection, projection, version, units)
    if kept == 0 or not alone:
        return kept or 0
    chosen = sa.and_(cp.c.projection == projection, cp.c.version == version, unit_in(connection, cp.c.unit_id, alone))
    found, lowest = connection.execute(sa.select(sa.func.count(), sa.func.min(cp.c.position)).where(chosen)).one()
    if found < len(set(alone)) or lowest is None:
        return 0
    return int(lowest) if kept is None else min(kept, int(lowest))


def unit_positions(connection: sa.Connection, units: Sequence[str]) -> dict[str, int]:
    """Each unit's lowest checkpoint over every read model's active version (0 for a unit never built):
    how far the unit's answers reflect its own events, whatever the other units of the log are doing."""
    if not units:
        return {}
    versions = active_pairs(connection)
    reached: dict[str, dict[str, int]] = {unit: {} for unit in units}
    rows = connection.execute(
        sa.select(cp.c.unit_id, cp.c.projection, cp.c.position).where(
            sa.tuple_(cp.c.projection, cp.c.version).in_(versions), unit_in(connection, cp.c.unit_id, units)
        )
    )
    for unit_id, projection, position in rows:
        reached[unit_id][projection] = int(position)
    return {unit: min(positions.get(name, 0) for name, _ in versions) for unit, positions in reached.items()}


def active_pairs(connection: sa.Connection) -> list[tuple[str, int]]:
    """(projection, active version) of every read model, in the registry's order."""
    active = active_versions(connection)
    return [(p.name, active.get(p.name, p.version)) for p in PROJECTIONS]


_BEHIND = """
SELECT h.unit_id, CASE WHEN count(c.position) < %(projections)s THEN 0 ELSE min(c.position) END AS reached
  FROM unnest(%(units)s::text[], %(heads)s::bigint[]) AS h(unit_id, head)
  LEFT JOIN projection_checkpoints c
    ON c.unit_id = h.unit_id
   AND (c.projection, c.version) IN (SELECT * FROM unnest(%(names)s::text[], %(versions)s::int[]))
 GROUP BY h.unit_id, h.head
HAVING (count(c.position) < %(projections)s AND h.head > 0) OR min(c.position) < h.head
"""


def units_behind(connection: sa.Connection, heads: Mapping[str, int]) -> dict[str, int]:
    """The units whose lowest checkpoint (as `unit_positions`) is below their head in the log, with that
    checkpoint. For many units on PostgreSQL the server compares them, and only the units behind come back
    (none, mostly): the city's page asked for 210,000 checkpoints to find that none was."""
    if len(heads) <= MANY_UNITS or connection.dialect.name != "postgresql":
        reached = unit_positions(connection, list(heads))
        return {unit: reached[unit] for unit, head in heads.items() if head > reached[unit]}
    versions = active_pairs(connection)
    parameters = {
        "projections": len(versions),
        "units": list(heads),
        "heads": list(heads.values()),
        "names": [name for name, _ in versions],
        "versions": [version for _, version in versions],
    }
    rows = connection.exec_driver_sql(_BEHIND, parameters)
    return {unit_id: int(reached) for unit_id, reached in rows}


def distinct_units(units: Iterable[str]) -> list[str]:
    """The units asked for, each once, in the caller's order; at least one."""
    chosen = list(dict.fromkeys(units))
    if not chosen:
        raise ValueError("at least one unit is needed")
    return chosen


def keyed_rows(
    connection: sa.Connection, projection: str, version: int, units: Sequence[str], keys: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """unit → (row key → row) for just the named keys (a dashboard never loads per-person rows). Each row is
    of the kind its key names in the projection's module: the caller reads it as that kind."""
    query = sa.select(pr.c.unit_id, pr.c.row_key, pr.c.data).where(
        pr.c.projection == projection,
        pr.c.version == version,
        unit_in(connection, pr.c.unit_id, units),
        pr.c.row_key.in_(sorted(set(keys))),
    )
    found: dict[str, dict[str, Any]] = {unit: {} for unit in units}
    for unit_id, key, data in connection.execute(query):
        found[unit_id][key] = data
    return found


def page_of_rows(
    connection: sa.Connection,
    projection: str,
    units: Sequence[str],
    prefix: str,
    kind: type[R],
    where: Sequence[sa.ColumnElement[bool]],
    cursor: str | None,
    limit: int,
) -> tuple[list[tuple[str, R]], str | None, int]:
    """One page of (unit, row) in (unit, row key) order, the cursor of the next page, and the position. The
    rows whose keys start with `prefix` are all of one `kind` (for typing only: rows are read as stored)."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}")
    version = version_of(connection, projection)
    query = sa.select(pr.c.unit_id, pr.c.row_key, pr.c.data).where(
        pr.c.projection == projection,
        pr.c.version == version,
        unit_in(connection, pr.c.unit_id, units),
        pr.c.row_key.startswith(prefix, autoescape=True),
        *where,
    )
    if cursor is not None:
        after_unit, after_key = decode_cursor(cursor)
        query = query.where(
            sa.tuple_(pr.c.unit_id, pr.c.row_key) > sa.tuple_(sa.literal(after_unit), sa.literal(after_key))
        )
    found = connection.execute(query.order_by(pr.c.unit_id, pr.c.row_key).limit(limit + 1)).all()
    page: list[tuple[str, R]] = [(unit_id, data) for unit_id, _, data in found[:limit]]
    following = encode_cursor(found[limit - 1][0], found[limit - 1][1]) if len(found) > limit else None
    return page, following, reflected_position(connection, projection, version, units)


def encode_cursor(unit_id: str, row_key: str) -> str:
    """An opaque token naming the last row of a page; the order it continues is stable."""
    return base64.urlsafe_b64encode(json.dumps([unit_id, row_key]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        unit_id, row_key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, TypeError, binascii.Error) as exc:
        raise ValueError("not a cursor this query gave") from exc
    if not isinstance(unit_id, str) or not isinstance(row_key, str):
        raise ValueError("not a cursor this query gave")
    return unit_id, row_key


def json_text(field: str) -> sa.ColumnElement[str]:
    """A text field of the row's JSON, for filters both SQLite and PostgreSQL run."""
    text: sa.ColumnElement[str] = pr.c.data[field].as_string()
    return text


def day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def add_counts(into: dict[str, Any], row: dict[str, Any]) -> None:
    """Sum counters from several units' rows: numbers add up, nested maps add up key by key."""
    for key, value in row.items():
        if isinstance(value, dict):
            add_counts(into.setdefault(key, {}), value)
        elif isinstance(value, int) and not isinstance(value, bool):
            into[key] = into.get(key, 0) + value
