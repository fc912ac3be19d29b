"""The records kept beside the log — auditors' reads (`audit_reads`), refused requests (`access_denials`) and
reads of named people's personal data (`person_reads`).

None is a party fact, so none lives in the event log (see services/audit/access.py, services/denial_records.py
and services/audit/person_reads.py for why). All are still evidence, so all are append-only like the log: a
record of who looked, or of who was turned away, is worthless if the application could edit it. One place
creates them, guards them and grants the application's role what it needs, for every caller: the API at start,
the CLI, and the Alembic revisions.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa

from projections.schema import SCHEMA_LOCK_ID
from services.audit.access import audit_reads
from services.audit.person_reads import person_reads
from services.denial_records import access_denials

TABLES = (audit_reads, access_denials)
"""The records of revision 0002 (its digest is theirs: a released revision never changes)."""
PERSON_READ_TABLES = (person_reads,)
"""The record of reads of named people (revision 0010)."""
ALL_TABLES = (*TABLES, *PERSON_READ_TABLES)
APP_PRIVILEGES = "SELECT, INSERT"
"""Like the log: the application adds records and reads them, never changes or removes one."""


def guard_statements(table: str, dialect: str) -> list[str]:
    """The database refuses UPDATE, DELETE (and TRUNCATE on PostgreSQL) on a record, as on the log (I1)."""
    if dialect == "postgresql":
        return [
            f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION partyledger_refuse_change()",
            f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION partyledger_refuse_change()",
        ]
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'the {table} table is append-only: {op} refused'); END"
        for op in ("UPDATE", "DELETE")
    ]


def create_record_tables(bind: sa.Engine | sa.Connection, tables: Sequence[sa.Table] = ALL_TABLES) -> None:
    """Create what is missing; a table that exists is left alone (no DDL on a current schema, as for the log)."""
    with _transaction(bind) as connection:
        if connection.dialect.name == "postgresql":  # two processes starting at once take turns
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK_ID)))
        inspector = sa.inspect(connection)
        for table in tables:
            if inspector.has_table(table.name):
                continue
            table.create(connection)
            for statement in guard_statements(table.name, connection.dialect.name):
                connection.exec_driver_sql(statement)


def grant_app_role(connection: sa.Connection, role: str, tables: Sequence[sa.Table] = ALL_TABLES) -> None:
    """SELECT and INSERT on the records and their id sequences; never UPDATE, DELETE or TRUNCATE."""
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        connection.exec_driver_sql(f"GRANT {APP_PRIVILEGES} ON {quote(table.name)} TO {quote(role)}")
        (key,) = table.primary_key.columns
        sequence = connection.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, key.name)))
        if sequence:
            connection.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {quote(role)}")


@contextmanager
def _transaction(bind: sa.Engine | sa.Connection) -> Iterator[sa.Connection]:
    """The caller's transaction when given a connection (the Alembic revision), else one of our own."""
    if isinstance(bind, sa.Connection):
        yield bind
        return
    with bind.begin() as connection:
        yield connection
