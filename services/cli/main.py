"""The `partyledger` command line: one entry point for operators and for the embedded demo.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import click

from eventstore import verify_store
from services.cli.demo import demo_command
from services.cli.denials import denials_command
from services.cli.deploy import migrate_command, settings_command
from services.cli.log_files import check_seal, export_command, import_command
from services.cli.options import URL_HELP, first_line, open_log, redacted, settings_for
from services.cli.projections import projections_group, rebuild_command
from services.cli.seed import seed_command
from services.commands.actors import Actor, Role
from services.tokens import issue_token


@click.group()
def cli() -> None:
    """Party Ledger: the member-development log of a provincial party organisation."""


@cli.command()
@click.option("--database-url", help=URL_HELP)
def init(database_url: str | None) -> None:
    """Create the log's tables, triggers and functions (safe to run again)."""
    settings = settings_for(database_url)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_log(settings.database_url)
    click.echo(f"log ready: {redacted(settings.database_url)} (head position {store.head_position()})")
    store.close()


@cli.command()
@click.option("--database-url", help=URL_HELP)
@click.option("--seal", "kept", help="Check a seal kept earlier, written HASH@POSITION, instead.")
def verify(database_url: str | None, kept: str | None) -> None:
    """Recompute every hash, chain and seal; exit 1 and name the first bad position if any."""
    store = open_log(settings_for(database_url).database_url, create=False)
    if kept is not None:
        try:
            check_seal(store, kept)
        finally:
            store.close()
        return
    try:
        report = verify_store(store)
    except Exception as exc:
        raise click.ClickException(f"cannot read the log: {first_line(exc)}") from exc
    finally:
        store.close()
    if not report.ok:
        click.echo(report.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary())


@cli.command()
@click.option("--database-url", help=URL_HELP)
def seal(database_url: str | None) -> None:
    """Seal the log up to now and print the seal, to be kept outside the system."""
    store = open_log(settings_for(database_url).database_url, create=False)
    made = store.seal()
    store.close()
    click.echo(made.printable() if made else "nothing new to seal")


@cli.command()
@click.option("--user", "user_id", required=True, help="User id, e.g. thu.nguyen")
@click.option("--role", type=click.Choice([str(r) for r in Role]), required=True)
@click.option("--unit", "unit_id", required=True, help="The unit the user acts for, e.g. unit-school")
@click.option("--hours", type=float, help="Lifetime; default $PARTYLEDGER_TOKEN_HOURS (12).")
def token(user_id: str, role: str, unit_id: str, hours: float | None) -> None:
    """Issue a signed bearer token (the embedded mode's way to sign in)."""
    settings = settings_for(None)
    principal = Actor(user_id=user_id, role=Role(role), unit_id=unit_id)
    click.echo(issue_token(principal, settings.signing_key, hours=hours or settings.token_hours))


cli.add_command(projections_group)
cli.add_command(seed_command)
cli.add_command(demo_command)
cli.add_command(rebuild_command)
cli.add_command(export_command)
cli.add_command(import_command)
cli.add_command(denials_command)
cli.add_command(migrate_command)
cli.add_command(settings_command)
