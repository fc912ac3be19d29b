"""`partyledger users add --admin LOGIN --name "…"`: the first provincial administrator of a ledger, with a
one-time password printed once. Refused once an administrator exists: every other account is made in the
product (`/users`, the dashboard's "Người dùng")."""

from __future__ import annotations

import click

from domain.errors import DomainError
from projections.engine import projection_engine
from services.cli.options import URL_HELP, first_line, open_log, settings_for
from services.commands.accounts import BootstrapRefused, bootstrap_admin
from services.commands.context import CommandContext
from services.credentials import CredentialStore, create_credential_tables


@click.group("users")
def users_group() -> None:
    """Accounts: only the first administrator is made here."""


@users_group.command("add")
@click.option("--admin", "login", required=True, help="The administrator's login, e.g. quantri.tinhuy")
@click.option("--name", "full_name", required=True, help='Full name, e.g. "Nguyễn Văn An"')
@click.option("--contact", default="", help="Phone or e-mail (optional)")
@click.option("--database-url", help=URL_HELP)
def add_command(login: str, full_name: str, contact: str, database_url: str | None) -> None:
    """Create the first provincial administrator and print a one-time password (changed at first sign-in)."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    engine = projection_engine(settings.database_url)
    try:
        create_credential_tables(engine)
        made = bootstrap_admin(CommandContext(store), CredentialStore(engine), login=login, full_name=full_name,
                               contact=contact)  # fmt: skip
    except BootstrapRefused as exc:
        raise click.ClickException(str(exc)) from exc
    except DomainError as exc:
        raise click.ClickException(exc.message_en) from exc
    except Exception as exc:
        raise click.ClickException(f"cannot create the administrator: {first_line(exc)}") from exc
    finally:
        store.close()
        engine.dispose()
    click.echo(f"administrator {made.login} created; one-time password (shown once): {made.one_time_password}")
