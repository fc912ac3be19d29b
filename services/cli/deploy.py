"""`partyledger migrate` and `partyledger settings`: what the production stack runs before the services start."""

from __future__ import annotations

import os
from dataclasses import asdict, replace

import click

from services.cli.options import first_line, redacted, settings_for
from services.settings import app_role_for

SECRETS = ("signing_key", "app_password", "metrics_token")


@click.command("migrate")
@click.option("--database-url", help="The owner's URL; default: $PARTYLEDGER_DATABASE_URL.")
@click.option("--after-restore", is_flag=True, help="Also move new positions past a log restored into a new cluster.")
def migrate_command(database_url: str | None, after_restore: bool) -> None:
    """Bring the PostgreSQL schema to the latest revision as its owner and let the app role log in."""
    from services.migrations.run import RoleOfAnotherLedger, continue_positions, upgrade  # alembic: ~0.7 s

    settings = settings_for(None)
    url = database_url or settings.database_url
    if not url.startswith(("postgresql", "postgres://")):
        raise click.ClickException("migrate needs a PostgreSQL URL; the embedded SQLite log creates its own schema")
    role = settings.app_role if os.environ.get("PARTYLEDGER_APP_ROLE") else app_role_for(url)
    settings = replace(settings, app_role=role)
    try:
        revision = upgrade(url, settings.app_role, settings.app_password)
    except RoleOfAnotherLedger as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:
        raise click.ClickException(f"migration failed: {first_line(exc)}") from exc
    login = "may log in" if settings.app_password else "exists without a password (set PARTYLEDGER_APP_PASSWORD)"
    click.echo(f"schema at revision {revision}; role {settings.app_role} {login}")
    if after_restore:
        click.echo(f"positions continue above the restored log (offset {continue_positions(url)})")


@click.command("settings")
def settings_command() -> None:
    """Check every setting and print them (secrets hidden); exit 1 with one line per bad value."""
    settings = settings_for(None)
    for name, value in asdict(settings).items():
        shown = ("***" if value else "") if name in SECRETS else redacted(str(value))
        click.echo(f"{name} = {shown}")
