"""What the commands share: the `--database-url` option, the settings it resolves to, and opening the log.

One module that every command imports at the top, so no command reaches into `main.py` (which imports them
all) and every one fails the same way: one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from eventstore import EventStore, EventStoreError
from services.data_keys import open_ledger_log
from services.settings import Settings, SettingsError

URL_HELP = "Database URL (postgresql://… or sqlite:///…); default: $PARTYLEDGER_DATABASE_URL or the data folder."


def settings_for(database_url: str | None) -> Settings:
    """The environment's settings, with `--database-url` (when given) in place of theirs."""
    try:
        settings = Settings.from_environment()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    if database_url:
        return replace(settings, database_url=database_url)
    return settings


def open_log(settings: Settings, *, create: bool = True, durable: bool = True) -> EventStore:
    """The log at `url`; without `create`, a missing SQLite file is an error instead of a new empty log; not
    `durable` for bulk loads an interruption makes the operator run again (commits stop waiting for disk).
    With the deployment's keys: personal fields are sealed and opened with them (I13)."""
    url = settings.database_url
    if not create and url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        raise click.ClickException(f"no log at {url.removeprefix('sqlite:///')}")
    try:
        return open_ledger_log(settings, create=create, durable=durable)
    except (EventStoreError, ValueError, OSError) as exc:
        raise click.ClickException(f"cannot open the log at {redacted(url)}: {exc}") from exc
    except Exception as exc:  # driver errors: unreachable server, missing database, bad credentials
        raise click.ClickException(f"cannot open the log at {redacted(url)}: {first_line(exc)}") from exc


def first_line(exc: BaseException) -> str:
    """A driver's error can run to many lines; the operator sees the first."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def redacted(value: str) -> str:
    """Never print a password: the one inside a URL becomes `***`; anything else is shown as it is."""
    if "@" in value and "://" in value:
        scheme, rest = value.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':')[0]}:***@{host}" if ":" in credentials else value
    return value
