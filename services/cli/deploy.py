"""`partyledger migrate` and `partyledger settings`: what the production stack runs before the services start."""

from __future__ import annotations

from dataclasses import asdict

import click

from services.settings import Settings, SettingsError

SECRETS = ("signing_key", "app_password")


def _read_settings() -> Settings:
    try:
        return Settings.from_environment()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command("migrate")
@click.option("--database-url", help="The owner's URL; default: $PARTYLEDGER_DATABASE_URL.")
@click.option("--after-restore", is_flag=True, help="Also move new positions past a log restored into a new cluster.")
def migrate_command(database_url: str | None, after_restore: bool) -> None:
    """Bring the PostgreSQL schema to the latest revision as its owner and let the app role log in."""
    from services.migrations.run import continue_positions, upgrade

    settings = _read_settings()
    url = database_url or settings.database_url
    if not url.startswith(("postgresql", "postgres://")):
        raise click.ClickException("migrate needs a PostgreSQL URL; the embedded SQLite log creates its own schema")
    try:
        revision = upgrade(url, settings.app_role, settings.app_password)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise click.ClickException(f"migration failed: {first}") from exc
    login = "may log in" if settings.app_password else "exists without a password (set PARTYLEDGER_APP_PASSWORD)"
    click.echo(f"schema at revision {revision}; role {settings.app_role} {login}")
    if after_restore:
        click.echo(f"positions continue above the restored log (offset {continue_positions(url)})")


@click.command("settings")
def settings_command() -> None:
    """Check every setting and print them (secrets hidden); exit 1 with one line per bad value."""
    settings = _read_settings()
    for name, value in asdict(settings).items():
        shown = ("***" if value else "") if name in SECRETS else _redacted(str(value))
        click.echo(f"{name} = {shown}")


def _redacted(value: str) -> str:
    """Hide a password inside a URL."""
    if "://" in value and "@" in value:
        scheme, rest = value.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        if ":" in credentials:
            return f"{scheme}://{credentials.split(':')[0]}:***@{host}"
    return value
