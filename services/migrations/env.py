"""Alembic's environment: connect as the owner (the URL given, else PARTYLEDGER_DATABASE_URL) and run online."""

from __future__ import annotations

from alembic import context

from projections.engine import projection_engine
from projections.schema import metadata
from services.settings import Settings


def _database_url() -> str:
    url = context.config.attributes.get("database_url")
    if not url:
        settings = Settings.from_environment()
        url = settings.database_url
        context.config.attributes.setdefault("app_role", settings.app_role)
    if not str(url).startswith(("postgresql", "postgres://")):
        raise SystemExit("migrations are for PostgreSQL; the embedded SQLite log creates its own schema")
    return str(url)


def run_online() -> None:
    engine = projection_engine(_database_url(), pool_size=1)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=metadata)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: the log's DDL runs on the live connection")
run_online()
