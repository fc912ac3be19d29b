"""Where read models live: generic per-unit rows, checkpoints and active versions, on the log's database.

Every projection stores its rows the same way — (projection, version, unit, row key) → JSON — so versioning,
rebuild beside the live version, parking and digests work identically for all of them, and a new read model
is one module with a pure `apply`.
"""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

from .rollup_schema import create_rollup_tables

metadata = sa.MetaData()

projection_rows = sa.Table(
    "projection_rows",
    metadata,
    sa.Column("projection", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.Text, primary_key=True),
    sa.Column("row_key", sa.Text, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
)

projection_checkpoints = sa.Table(
    "projection_checkpoints",
    metadata,
    sa.Column("projection", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("unit_id", sa.Text, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("events_applied", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("parked_position", sa.BigInteger, nullable=True),
    sa.Column("parked_error", sa.Text, nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
)

projection_versions = sa.Table(
    "projection_versions",
    metadata,
    sa.Column("projection", sa.Text, primary_key=True),
    sa.Column("active_version", sa.Integer, nullable=False),
    sa.Column("switched_at", sa.DateTime(timezone=True), nullable=True),
)


def _version_pairs(count: int) -> str:
    """`(projection, version) IN (...)` for `count` pairs, bound as :p0, :v0, … (see `pair_parameters`)."""
    return "(projection, version) IN (" + ", ".join(f"(:p{i}, :v{i})" for i in range(count)) + ")"


@lru_cache(maxsize=64)
def for_units(statement: str, pairs: int, tail: str = "") -> sa.TextClause:
    """`statement` limited to the units bound as `:units` and `pairs` (projection, version) pairs, then
    `tail`. Written once per shape: a catch-up's statements built anew each time (a tuple IN) cost several
    times the trip to the server."""
    where = f" WHERE unit_id IN :units AND {_version_pairs(pairs)}"
    return sa.text(statement + where + tail).bindparams(sa.bindparam("units", expanding=True))


def pair_parameters(versions: dict[str, int]) -> dict[str, object]:
    parameters: dict[str, object] = {}
    for i, (name, version) in enumerate(versions.items()):
        parameters[f"p{i}"], parameters[f"v{i}"] = name, version
    return parameters


SCHEMA_LOCK_ID = 7_203_411_003
"""Serialises creating the read-model tables: an API and a worker starting together on a fresh PostgreSQL
database both found the tables missing and the second CREATE TABLE failed in the catalog (found by the soak)."""


def create_projection_tables(bind: sa.Engine | sa.Connection) -> None:
    """The one definition of the read-model tables: processes, tests and the Alembic revision all call it."""
    if isinstance(bind, sa.Connection):
        _create(bind)
        return
    with bind.begin() as connection:
        _create(connection)


def _create(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK_ID)))
    metadata.create_all(connection, checkfirst=True)
    create_rollup_tables(connection)


APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
"""Read models are disposable and rewritten in place, unlike the log: the application's role may change rows."""


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """Give the application's role `APP_PRIVILEGES` on every read-model table (run as their owner)."""
    quote = connection.dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        connection.exec_driver_sql(f"GRANT {APP_PRIVILEGES} ON {quote(table.name)} TO {quote(role)}")
