"""Giving a new ledger its province from the command line: `init --province` and `import-members`.

Thin: each command opens the log, calls one use case of `services/commands/` and prints its answer; a refusal
is one line on stderr and exit 1, in Vietnamese as the officers read it, with its rule id.
"""

from __future__ import annotations

from collections.abc import Iterable

import click

from domain.errors import DomainError
from eventstore import EventStore
from services.commands.context import CommandContext, Ring
from services.commands.province import found_province
from services.doorbell import ring
from services.settings import Settings


def refusal(exc: DomainError) -> click.ClickException:
    """A domain refusal as one line: its rule (or field) and the Vietnamese reason."""
    rule = getattr(exc, "rule_id", None) or getattr(exc, "field", None)
    return click.ClickException(f"{rule}: {exc.message_vi}" if rule else exc.message_vi)


def doorbell(settings: Settings) -> Ring:
    """Ring the workers of the units a command wrote to; without a broker the beat's sweep finds them (I10)."""

    def ring_units(units: Iterable[str]) -> None:
        if settings.broker_url:
            ring(settings, units)

    return ring_units


def init_province(settings: Settings, store: EventStore, code: str, name: str) -> None:
    """Register the province on an empty ledger and say what to do next."""
    ctx = CommandContext(store, doorbell(settings))
    try:
        founded = found_province(ctx, code, name)
    except DomainError as exc:
        raise refusal(exc) from exc
    click.echo(
        f"province {founded.code} registered as {founded.unit_id} (log position {founded.recorded.last_position}); "
        f"next: the first administrator (partyledger users add --admin … --unit {founded.unit_id}), then "
        "partyledger import-members FILE.xlsx"
    )
