"""Reading and writing units' rows of projection versions: one statement for a batch, whatever it spans."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from eventstore.canonical import canonical_json

from . import rollup
from .rows import Row, UnitRows, row_json
from .schema import for_units, pair_parameters
from .schema import projection_rows as pr


@lru_cache(maxsize=16)
def _load_statement(count: int) -> sa.TextualSelect:
    statement = for_units("SELECT unit_id, projection, row_key, data FROM projection_rows", count)
    return statement.columns(pr.c.unit_id, pr.c.projection, pr.c.row_key, pr.c.data)


UnitsRows = dict[str, dict[str, UnitRows]]
"""unit → projection name → that unit's rows of it."""


def load_rows(connection: sa.Connection, unit_id: str, versions: dict[str, int]) -> dict[str, UnitRows]:
    """One unit's rows of several projections (name → version) in one query: a batch's reads are one trip."""
    return load_units(connection, [unit_id], versions)[unit_id]


def load_units(connection: sa.Connection, unit_ids: list[str], versions: dict[str, int]) -> UnitsRows:
    """Several units' rows of several projections in one query (a rebuild takes small units together)."""
    found: dict[str, dict[str, dict[str, Row]]] = {unit: {name: {} for name in versions} for unit in unit_ids}
    parameters = {"units": unit_ids, **pair_parameters(versions)}
    for unit_id, name, key, data in connection.execute(_load_statement(len(versions)), parameters):
        found[unit_id][name][key] = data
    return {unit: {name: UnitRows(rows) for name, rows in by_name.items()} for unit, by_name in found.items()}


INSERT_ARRAYS = """
INSERT INTO projection_rows (projection, version, unit_id, row_key, data)
SELECT p, v, u, k, d::json FROM unnest(%b::text[], %b::int[], %b::text[], %b::text[], %b::text[]) AS t(p, v, u, k, d)
"""
UPSERT_ARRAYS = (
    INSERT_ARRAYS + "ON CONFLICT (projection, version, unit_id, row_key) DO UPDATE SET data = excluded.data\n"
)
"""PostgreSQL: a batch's changed rows as five arrays in one statement. An executemany sent one INSERT per
row (tens of thousands in a rebuild's batch), and the client's per-row work was a fifth of the rebuild.

Rows the batch made are inserted without `ON CONFLICT`: the runner holds the units' checkpoint locks and
loaded their rows in the same transaction, so a key it did not load is absent (only the runner writes rows).
The speculative insertion an upsert makes per row cost the server ~3 µs of its ~8.6 (300,000 rows of the
city), and a rebuild's rows are all new."""

_DELETE_ONE = sa.delete(pr).where(
    pr.c.projection == sa.bindparam("p"),
    pr.c.version == sa.bindparam("v"),
    pr.c.unit_id == sa.bindparam("u"),
    pr.c.row_key == sa.bindparam("k"),
)

Changes = list[tuple[str, str, str, Row]]
"""(unit, projection, row key, row) to upsert."""
Deletes = list[tuple[str, str, str]]
"""(unit, projection, row key) to delete."""


def save_units(connection: sa.Connection, versions: dict[str, int], rows: UnitsRows) -> None:
    """Upsert what changed and delete what was removed, for every unit and projection at once; nothing else
    is touched."""
    changed: Changes = []
    made: Changes = []
    deleted: Deletes = []
    for unit_id, by_name in rows.items():
        for name, unit_rows in by_name.items():
            upserts, deletes = unit_rows.changes()
            for key, data in upserts.items():
                (changed if unit_rows.is_stored(key) else made).append((unit_id, name, key, data))
            deleted += [(unit_id, name, key) for key in sorted(deletes)]
            unit_rows.committed()
    if deleted:
        connection.execute(
            _DELETE_ONE, [{"p": name, "v": versions[name], "u": unit, "k": key} for unit, name, key in deleted]
        )
    if connection.dialect.name != "postgresql":
        changed += made
    elif made:
        connection.exec_driver_sql(INSERT_ARRAYS, _columns(versions, made))
    if changed:
        _upsert(connection, versions, changed)


def _columns(versions: dict[str, int], rows: Changes) -> tuple[list[str], list[int], list[str], list[str], list[str]]:
    units, names, keys, data = zip(*rows, strict=True)
    return list(names), [versions[name] for name in names], list(units), list(keys), [row_json(row) for row in data]


def _upsert(connection: sa.Connection, versions: dict[str, int], changed: Changes) -> None:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(UPSERT_ARRAYS, _columns(versions, changed))
        return
    insert = sqlite.insert(pr)
    connection.execute(
        insert.on_conflict_do_update(index_elements=list(pr.primary_key.columns), set_={"data": insert.excluded.data}),
        [
            {"projection": name, "version": versions[name], "unit_id": unit, "row_key": key, "data": data}
            for unit, name, key, data in changed
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
    """A version's rows (of one unit: a scratch version's, which keep no roll-up), and its groups' sums."""
    if unit_id is None:
        rollup.drop_version(connection, projection, version)
    query = sa.delete(pr).where(pr.c.projection == projection, pr.c.version == version)
    if unit_id is not None:
        query = query.where(pr.c.unit_id == unit_id)
    connection.execute(query)
