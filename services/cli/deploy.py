"""`partyledger migrate` and `partyledger settings`: what the production stack runs before the services start."""

from __future__ import annotations

from dataclasses import asdict

import click

from services.cli.options import first_line, redacted, settings_for

SECRETS = ("signing_key", "app_password", "metrics_token")


@click.command("migrate")
@click.option("--database-url", help="The owner's URL; default: $PARTYLEDGER_DATABASE_URL.")
@click.option("--after-restore", is_flag=True, help="Also move new positions past a log restored into a new cluster.")
def migrate_command(database_url: str | None, after_restore: bool) -> None:
    """Bring the PostgreSQL schema to the latest revision as its owner and let the app role log in."""
    from services.migrations.run import continue_positions, upgrade  # alembic: ~0.7 s no other command pays

    settings = settings_for(None)
    url = database_url or settings.database_url
    if not url.startswith(("postgresql", "postgres://")):
        raise click.ClickException("migrate needs a PostgreSQL URL; the embedded SQLite log creates its own schema")
    try:
        revision = upgrade(url, settings.app_role, settings.app_password)
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
