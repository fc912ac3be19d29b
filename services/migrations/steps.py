"""What the revisions share: the pinned-digest check, the application's role, and the drop guard."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import psycopg
import sqlalchemy as sa
from alembic import context
from psycopg import sql
from sqlalchemy.dialects import postgresql

from eventstore.postgres_schema import install, step_digest
from projections.schema import metadata


class ReleasedRevisionChanged(RuntimeError):
    """The DDL a released revision applies was edited: deployed databases would silently differ."""


def projection_tables_digest() -> str:
    """The read-model tables' shape, fingerprinted like a log step."""
    return tables_digest(metadata.sorted_tables)


def tables_digest(tables: Iterable[sa.Table]) -> str:
    """A shape (names, types, keys, defaults), not SQLAlchemy's DDL text, so a library upgrade that re-spaces its
    output changes nothing."""
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    shape = [
        (
            table.name,
            column.name,
            str(column.type.compile(dialect=dialect)),
            column.nullable,
            column.primary_key,
            str(column.server_default.arg) if isinstance(column.server_default, sa.DefaultClause) else None,
        )
        for table in tables
        for column in table.columns
    ]
    return hashlib.sha256(repr(shape).encode()).hexdigest()


def require_unchanged(log_step: int, log_sha256: str, projections_sha256: str) -> None:
    """Refuse to run a revision whose DDL no longer matches what was released with it."""
    found = (step_digest(log_step), projection_tables_digest())
    if found != (log_sha256, projections_sha256):
        raise ReleasedRevisionChanged(
            f"the DDL behind this revision changed (log step {log_step}: {found[0]}, read models: {found[1]}); "
            "keep released DDL as it was and add a new step and revision for the change"
        )


def app_role() -> str:
    """The role the API, workers and beat connect as (PARTYLEDGER_APP_ROLE), passed in by `run` or env.py."""
    return str(context.config.attributes["app_role"])


def ensure_role(connection: psycopg.Connection[Any], role: str) -> None:
    """Create the app role without login (the deployment sets its password); a role that exists is kept."""
    exists = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not exists:
        connection.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


def refuse_to_drop_a_log_with_events(bind: sa.Connection) -> None:
    """A downgrade may undo an empty install; it never destroys the legal record."""
    count = bind.exec_driver_sql("SELECT count(*) FROM event_log").scalar_one()
    if count:
        raise RuntimeError(f"the log holds {count} events: refusing to drop it (back it up and restore instead)")


def upgrade_log_to(bind: Any, step: int, pinned_sha256: str) -> None:
    """A log step's revision: refuse an edited released step, then apply the steps the log lacks up to it (a
    log that `partyledger init` created at this step already gets no DDL)."""
    found = step_digest(step)
    if found != pinned_sha256:
        raise ReleasedRevisionChanged(f"log step {step} changed ({found}); add a new step and revision instead")
    install(bind.connection.driver_connection, up_to=step)


def downgrade_log_from(bind: Any, step: int, undo: str) -> None:
    """Undo a step that changed only functions or triggers (`undo` puts back what was before), the step
    unrecorded."""
    connection: psycopg.Connection[Any] = bind.connection.driver_connection
    connection.execute(undo.encode())
    connection.execute("DELETE FROM log_schema_version WHERE version = %s", (step,))
