"""Run the revisions from code: `partyledger migrate` and the tests call this; `alembic` uses the same env.py."""

from __future__ import annotations

from typing import Any

import psycopg
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from psycopg import sql

from eventstore.postgres_schema import CONTINUE_POSITIONS
from projections.engine import projection_engine

SCRIPT_LOCATION = "services:migrations"
"""A package resource, so the revisions ship with the installed code they import (no repository needed)."""


def alembic_config(database_url: str, app_role: str) -> Config:
    """The owner's URL and the role to grant; `alembic.ini` gives the same from the environment instead."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    config.attributes["database_url"] = database_url
    config.attributes["app_role"] = app_role
    return config


class RoleOfAnotherLedger(Exception):
    """The app role named is another ledger's: setting its password here would lock that ledger's services out."""


ROLE_MARK = "Party Ledger app role of database "
"""The comment `migrate` puts on the app role it grants (roles are the cluster's; the comment names the ledger)."""


def claim_role(database_url: str, role: str) -> None:
    """Refuse a role that is the app role of another database of this cluster (I14's role, one per ledger)."""
    with psycopg.connect(_driver_url(database_url), autocommit=True) as connection:
        row = connection.execute(
            "SELECT current_database(), (SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = %s)",
            (role,),
        ).fetchone()
    assert row is not None
    database, comment = row
    if comment and comment.startswith(ROLE_MARK) and comment != ROLE_MARK + database:
        other = comment.removeprefix(ROLE_MARK)
        raise RoleOfAnotherLedger(
            f"role {role} is the app role of the ledger in database {other}; give this ledger its own "
            f"(PARTYLEDGER_APP_ROLE, default <database>_app)"
        )


def mark_role(database_url: str, role: str) -> None:
    with psycopg.connect(_driver_url(database_url), autocommit=True) as connection:
        database = connection.execute("SELECT current_database()").fetchone()
        assert database is not None
        connection.execute(
            sql.SQL("COMMENT ON ROLE {} IS {}").format(sql.Identifier(role), sql.Literal(ROLE_MARK + database[0]))
        )


def upgrade(database_url: str, app_role: str, app_password: str = "", revision: str = "head") -> str | None:
    """Bring the schema to `revision` as its owner, then let the app role log in if given a password; refused
    before anything changes when the role is another ledger's (`claim_role`)."""
    claim_role(database_url, app_role)
    command.upgrade(alembic_config(database_url, app_role), revision)
    mark_role(database_url, app_role)
    if app_password:
        allow_login(database_url, app_role, app_password)
    return current_revision(database_url)


def downgrade(database_url: str, app_role: str, revision: str = "base") -> str | None:
    command.downgrade(alembic_config(database_url, app_role), revision)
    return current_revision(database_url)


def current_revision(database_url: str) -> str | None:
    engine = projection_engine(database_url, pool_size=1)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def allow_login(database_url: str, role: str, password: str) -> None:
    """Set (or rotate) the app role's password: a secret of the deployment, never of a revision."""
    with psycopg.connect(_driver_url(database_url), autocommit=True) as connection:
        connection.execute(
            sql.SQL("ALTER ROLE {} WITH LOGIN PASSWORD {}").format(sql.Identifier(role), sql.Literal(password))
        )


def continue_positions(database_url: str) -> int:
    """After a restore into a fresh cluster: move the position offset past the restored log (as the owner)."""
    with psycopg.connect(_driver_url(database_url), autocommit=True) as connection:
        row = connection.execute(CONTINUE_POSITIONS.encode()).fetchone()
    assert row is not None
    return int(row[0])


def _driver_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def driver_connection(bind: Any) -> psycopg.Connection[Any]:
    """The psycopg connection under Alembic's, inside its transaction: the log's DDL runs through psycopg."""
    connection: psycopg.Connection[Any] = bind.connection.driver_connection
    return connection
