"""The `partyledger` command line: one entry point for operators and for the embedded demo.

Errors are one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventstore import verify_store
from services.cli.demo import demo_command
from services.cli.denials import denials_command
from services.cli.deploy import migrate_command, settings_command
from services.cli.erasure import erase_command, keys_group
from services.cli.log_files import check_seal, export_command, import_command, migrate_log_command
from services.cli.onboarding import import_members, init_province, write_template
from services.cli.options import URL_HELP, first_line, open_log, redacted, settings_for
from services.cli.privacy import privacy_group
from services.cli.projections import projections_group, rebuild_command
from services.cli.sealing import seal_command, signatures
from services.cli.seed import seed_command
from services.cli.users import users_group
from services.commands.actors import Actor, Role
from services.tokens import issue_token


@click.group()
def cli() -> None:
    """Party Ledger: the member-development log of a provincial party organisation."""


@cli.command()
@click.option("--database-url", help=URL_HELP)
@click.option("--province", "province_code", help="Also register the province (an empty ledger only): its code.")
@click.option("--name", "province_name", help='The province\'s name, e.g. "Đảng bộ tỉnh Lâm Đồng".')
def init(database_url: str | None, province_code: str | None, province_name: str | None) -> None:
    """Create the log's tables, triggers and functions (safe to run again); with --province and --name, give an
    empty ledger its province."""
    if (province_code is None) != (province_name is None):
        raise click.UsageError("--province and --name go together")
    settings = settings_for(database_url)
    if settings.database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = open_log(settings)
    try:
        click.echo(f"log ready: {redacted(settings.database_url)} (head position {store.head_position()})")
        if province_code is not None and province_name is not None:
            init_province(settings, store, province_code, province_name)
    finally:
        store.close()


@cli.command()
@click.option("--database-url", help=URL_HELP)
@click.option(
    "--seal",
    "kept",
    metavar="LINE|FILE",
    help="Check a seal kept earlier instead: the line `partyledger seal` printed, HASH@POSITION, or the receipt "
    "file `seal --receipt` wrote.",
)
@click.option(
    "--public-key",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Ed25519 public key (PEM) the seals are signed with; default $PARTYLEDGER_SEAL_PUBLIC_KEY_FILE.",
)
@click.option(
    "--tsa-cert",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --seal FILE: the time-stamp authority's certificate chain (PEM) to check the receipt's token.",
)
def verify(database_url: str | None, kept: str | None, public_key: Path | None, tsa_cert: Path | None) -> None:
    """Recompute every hash, chain and seal, and check the seals' signatures; exit 1 and name the first bad
    position if any."""
    if tsa_cert is not None and kept is None:
        raise click.ClickException("--tsa-cert checks a receipt's time-stamp: give it with --seal RECEIPT")
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    if kept is not None:
        try:
            check_seal(store, kept, public_key or settings.seal_public_key_file, tsa_cert)
        finally:
            store.close()
        return
    try:
        report = verify_store(store)
        signed = signatures(store, public_key or settings.seal_public_key_file) if report.ok else None
    except click.ClickException:
        raise
    except Exception as exc:
        raise click.ClickException(f"cannot read the log: {first_line(exc)}") from exc
    finally:
        store.close()
    if not report.ok or (signed is not None and signed.problem is not None):
        click.echo(report.summary() if signed is None else signed.summary(), err=True)
        sys.exit(1)
    click.echo(report.summary() + ("" if signed is None else "; " + signed.summary()))


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


@cli.command("import-members")
@click.argument("source", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Decide every row and report the refusals; write nothing.")
@click.option("--only-clean", is_flag=True, help="Write the rows that pass even if others are refused.")
@click.option("--template", "template", type=click.Path(dir_okay=False, path_type=Path), help="Write the template.")
@click.option("--limit", type=int, default=200, show_default=True, help="Refused rows printed at most.")
@click.option("--database-url", help=URL_HELP)
def import_members_command(
    source: Path | None, dry_run: bool, only_clean: bool, template: Path | None, limit: int, database_url: str | None
) -> None:
    """Import the unit tree and the members from the roll's workbook (.xlsx, sheets "Tổ chức" and "Đảng viên");
    nothing is written until every row passes, unless --only-clean; the same file again adds nothing."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False, durable=False)  # every row keyed: run it again
    try:
        if template is not None:
            write_template(store, template)
            return
        if source is None:
            raise click.UsageError("name the workbook to import (or --template FILE to write the template)")
        report = import_members(settings, store, source, dry_run=dry_run, only_clean=only_clean, limit=limit)
    finally:
        store.close()
    if report.problems and not (report.written and only_clean):
        sys.exit(1)


cli.add_command(projections_group)
cli.add_command(seal_command)
cli.add_command(seed_command)
cli.add_command(demo_command)
cli.add_command(rebuild_command)
cli.add_command(export_command)
cli.add_command(import_command)
cli.add_command(migrate_log_command)
cli.add_command(denials_command)
cli.add_command(migrate_command)
cli.add_command(settings_command)
cli.add_command(privacy_group)
cli.add_command(users_group)
cli.add_command(erase_command)
cli.add_command(keys_group)
