"""Where read models live: generic per-unit rows, checkpoints and active versions, on the log's database.

Every projection stores its rows the same way — (projection, version, unit, row key) → JSON — so versioning,
rebuild beside the live version, parking and digests work identically for all of them, and a new read model
is one module with a pure `apply`.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles

log = logging.getLogger(__name__)

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


class TransferDestination(sa.ColumnElement[str]):
    """`pending_transfer.to_unit_id` of a member_roll row, spelt as a literal path so the query and the
    index below are the same expression on each database (a bound path would never match the index)."""

    type = sa.Text()
    inherit_cache = True


@compiles(TransferDestination, "postgresql")
def _destination_on_postgresql(element: TransferDestination, compiler: Any, **kw: Any) -> str:
    return "(data #>> '{pending_transfer,to_unit_id}')"


@compiles(TransferDestination, "sqlite")
def _destination_on_sqlite(element: TransferDestination, compiler: Any, **kw: Any) -> str:
    return "json_extract(data, '$.pending_transfer.to_unit_id')"


TRANSFERS_INDEX = sa.Index(
    "projection_rows_transfer_destination",
    projection_rows.c.projection,
    projection_rows.c.version,
    TransferDestination(),
)
"""A unit's incoming transfers are read off the other units' member rows (the receiving unit's partition
does not see the introduction): without it every page view read every member row of the log's units
(150 ms for a province of 22,000 members; linear in the members of the whole country)."""

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
    create_transfers_index(connection)


def create_transfers_index(connection: sa.Connection) -> None:
    """The index added after the tables were released (migration 0004 runs this too). The application's role
    may not create indexes: on a database not yet migrated it goes on without, as queries still answer."""
    if _index_exists(connection, str(TRANSFERS_INDEX.name)):
        return
    try:
        with connection.begin_nested():
            TRANSFERS_INDEX.create(connection)
    except sa.exc.ProgrammingError as exc:
        log.warning("read models: index %s missing (%s); run `partyledger migrate`", TRANSFERS_INDEX.name, exc.orig)


APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
"""Read models are disposable and rewritten in place, unlike the log: the application's role may change rows."""


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """Give the application's role `APP_PRIVILEGES` on every read-model table (run as their owner)."""
    quote = connection.dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        connection.exec_driver_sql(f"GRANT {APP_PRIVILEGES} ON {quote(table.name)} TO {quote(role)}")


def _index_exists(connection: sa.Connection, name: str) -> bool:
    """From the catalog: SQLAlchemy's inspector does not report expression indexes on SQLite, and CREATE INDEX
    IF NOT EXISTS checks the table's owner before the name on PostgreSQL (the app role would be refused)."""
    if connection.dialect.name == "postgresql":
        query = "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = :name"
    else:
        query = "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :name"
    return connection.execute(sa.text(query), {"name": name}).first() is not None
