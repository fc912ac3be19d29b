"""Reading and writing one unit's rows of one projection version."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eventstore.canonical import canonical_json

from .rows import Row, UnitRows
from .schema import projection_rows as pr


def load_rows(connection: sa.Connection, projection: str, version: int, unit_id: str) -> UnitRows:
    result = connection.execute(
        sa.select(pr.c.row_key, pr.c.data).where(
            pr.c.projection == projection, pr.c.version == version, pr.c.unit_id == unit_id
        )
    )
    return UnitRows(dict(result.all()))


def save_rows(connection: sa.Connection, projection: str, version: int, unit_id: str, rows: UnitRows) -> None:
    """Upsert what changed, delete what was removed; nothing else is touched."""
    changed, deleted = rows.changes()
    if changed:
        insert = postgresql.insert(pr) if connection.dialect.name == "postgresql" else sqlite.insert(pr)
        values = [
            {"projection": projection, "version": version, "unit_id": unit_id, "row_key": key, "data": data}
            for key, data in changed.items()
        ]
        connection.execute(
            insert.on_conflict_do_update(
                index_elements=list(pr.primary_key.columns), set_={"data": insert.excluded.data}
            ),
            values,
        )
    if deleted:
        connection.execute(
            sa.delete(pr).where(
                pr.c.projection == projection,
                pr.c.version == version,
                pr.c.unit_id == unit_id,
                pr.c.row_key.in_(sorted(deleted)),
            )
        )
    rows.committed()


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
