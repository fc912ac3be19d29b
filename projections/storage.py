"""Reading and writing one unit's rows of one projection version."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from eventstore.canonical import canonical_json

from .rows import Row, UnitRows
from .schema import pair_parameters, version_pairs
from .schema import projection_rows as pr


@lru_cache(maxsize=16)
def _load_statement(count: int) -> sa.TextualSelect:
    return sa.text(
        f"SELECT projection, row_key, data FROM projection_rows WHERE unit_id = :unit_id AND {version_pairs(count)}"
    ).columns(pr.c.projection, pr.c.row_key, pr.c.data)


def load_rows(connection: sa.Connection, unit_id: str, versions: dict[str, int]) -> dict[str, UnitRows]:
    """One unit's rows of several projections (name → version) in one query: a batch's reads are one trip."""
    found: dict[str, dict[str, Row]] = {name: {} for name in versions}
    result = connection.execute(_load_statement(len(versions)), {"unit_id": unit_id, **pair_parameters(versions)})
    for name, key, data in result:
        found[name][key] = data
    return {name: UnitRows(rows) for name, rows in found.items()}


UPSERT_ARRAYS = """
INSERT INTO projection_rows (projection, version, unit_id, row_key, data)
SELECT p, v, u, k, d::json FROM unnest(%b::text[], %b::int[], %b::text[], %b::text[], %b::text[]) AS t(p, v, u, k, d)
ON CONFLICT (projection, version, unit_id, row_key) DO UPDATE SET data = excluded.data
"""
"""PostgreSQL: a batch's changed rows as five arrays in one statement. An executemany sent one INSERT per
row (tens of thousands in a rebuild's batch), and the client's per-row work was a fifth of the rebuild."""

DELETE_ARRAYS = """
DELETE FROM projection_rows r USING unnest(%b::text[], %b::int[], %b::text[]) AS t(p, v, k)
WHERE r.projection = t.p AND r.version = t.v AND r.unit_id = %b AND r.row_key = t.k
"""
"""PostgreSQL: a batch's removed rows, every projection's, in one statement."""

_DELETE_ONE = sa.delete(pr).where(
    pr.c.projection == sa.bindparam("p"),
    pr.c.version == sa.bindparam("v"),
    pr.c.unit_id == sa.bindparam("u"),
    pr.c.row_key == sa.bindparam("k"),
)

Changes = list[tuple[str, str, Row]]
Deletes = list[tuple[str, str]]


def save_rows(connection: sa.Connection, unit_id: str, versions: dict[str, int], rows: dict[str, UnitRows]) -> None:
    """Upsert what changed and delete what was removed, for every projection at once; nothing else is
    touched."""
    changed: Changes = []
    deleted: Deletes = []
    for name, unit_rows in rows.items():
        upserts, deletes = unit_rows.changes()
        changed += [(name, key, data) for key, data in upserts.items()]
        deleted += [(name, key) for key in sorted(deletes)]
        unit_rows.committed()
    if connection.dialect.name == "postgresql":
        _save_arrays(connection, unit_id, versions, changed, deleted)
    else:
        _save_statements(connection, unit_id, versions, changed, deleted)


def _save_arrays(
    connection: sa.Connection, unit_id: str, versions: dict[str, int], changed: Changes, deleted: Deletes
) -> None:
    if deleted:
        names, keys = zip(*deleted, strict=True)
        connection.exec_driver_sql(DELETE_ARRAYS, (list(names), [versions[n] for n in names], list(keys), unit_id))
    if changed:
        names, keys, data = zip(*changed, strict=True)
        arrays = (
            list(names),
            [versions[name] for name in names],
            [unit_id] * len(names),
            list(keys),
            [msgspec.json.encode(row).decode() for row in data],
        )
        connection.exec_driver_sql(UPSERT_ARRAYS, arrays)


def _save_statements(
    connection: sa.Connection, unit_id: str, versions: dict[str, int], changed: Changes, deleted: Deletes
) -> None:
    if deleted:
        connection.execute(
            _DELETE_ONE,
            [{"p": name, "v": versions[name], "u": unit_id, "k": key} for name, key in deleted],
        )
    if not changed:
        return
    insert = sqlite.insert(pr)
    connection.execute(
        insert.on_conflict_do_update(index_elements=list(pr.primary_key.columns), set_={"data": insert.excluded.data}),
        [
            {"projection": name, "version": versions[name], "unit_id": unit_id, "row_key": key, "data": data}
            for name, key, data in changed
        ],
    )


def read_rows(
    connection: sa.Connection, projection: str, version: int, unit_ids: list[str], prefix: str = ""
) -> dict[str, dict[str, Row]]:
    """unit → (row key → row) for the given units, keys starting with `prefix`."""
    query = sa.select(pr.c.unit_id, pr.c.row_key, pr.c.data).where(
        pr.c.projection == projection, pr.c.version == version, pr.c.unit_id.in_(unit_ids)
    )
    if prefix:
        query = query.where(pr.c.row_key.startswith(prefix, autoescape=True))
    found: dict[str, dict[str, Row]] = {unit: {} for unit in unit_ids}
    for unit_id, key, data in connection.execute(query):
        found[unit_id][key] = data
    return found


def digest(connection: sa.Connection, projection: str, version: int, unit_id: str) -> str:
    """SHA-256 over the unit's rows in key order: equal digests mean byte-identical read models (I6)."""
    hasher = hashlib.sha256()
    result = connection.execute(
        sa.select(pr.c.row_key, pr.c.data).where(
            pr.c.projection == projection, pr.c.version == version, pr.c.unit_id == unit_id
        )
    )
    for key, data in sorted(result, key=lambda row: row[0]):  # code-point order, whatever the collation
        hasher.update(canonical_json([key, data]))
    return hasher.hexdigest()


def drop_version(connection: sa.Connection, projection: str, version: int, unit_id: str | None = None) -> None:
    query = sa.delete(pr).where(pr.c.projection == projection, pr.c.version == version)
    if unit_id is not None:
        query = query.where(pr.c.unit_id == unit_id)
    connection.execute(query)
