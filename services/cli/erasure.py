"""`partyledger erase` (R-PRIVACY-ERASE, the same use case as `POST /people/{id}/erasure`) and `partyledger keys
rewrap` (after a KEK rotation: every subject key re-wrapped under the current KEK, the log untouched)."""

from __future__ import annotations

from datetime import date, datetime

import click

from domain.errors import DomainError
from domain.person.erasure import ErasureGround
from eventstore.field_cipher import FieldCipher
from services.cli.onboarding import command_context, province_actor, refusal
from services.cli.options import URL_HELP, first_line, open_log, settings_for
from services.commands.erasure import ErasureRequest, erase_person, finish_erasures
from services.commands.walls import NotFound
from services.data_keys import keyring_of


def _day(text: str) -> date:
    for form in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise click.BadParameter(f"{text!r} is not a date (dd/mm/yyyy)")


@click.command("erase")
@click.argument("person_id", required=False)
@click.option("--ground", type=click.Choice([g.value for g in ErasureGround]), help="The legal ground.")
@click.option("--decision", "decision_ref", help="The erasure decision's number.")
@click.option("--on", "decided_on", help="The decision's date, dd/mm/yyyy.")
@click.option("--finish", is_flag=True, help="Only finish erasures already recorded (keys still present).")
@click.option("--database-url", help=URL_HELP)
def erase_command(
    person_id: str | None,
    ground: str | None,
    decision_ref: str | None,
    decided_on: str | None,
    finish: bool,
    database_url: str | None,
) -> None:
    """Erase a person's personal data so that it cannot be recovered (as the province's administrator), then
    finish any erasure a crash or a restored key backup left with live keys."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    try:
        if not finish:
            if not (person_id and ground and decision_ref and decided_on):
                raise click.UsageError("name the person and give --ground, --decision and --on (or --finish)")
            ctx = command_context(settings, store)
            request = ErasureRequest(
                province_actor(store), person_id, ErasureGround(ground), decision_ref, _day(decided_on)
            )
            try:
                done = erase_person(ctx, request)
            except NotFound as exc:
                raise click.ClickException("không có hồ sơ này trong sổ") from exc
            except DomainError as exc:
                raise refusal(exc) from exc
            click.echo(f"erased: the file's keys are destroyed; erasure recorded at log position {done.last_position}")
        finished = finish_erasures(store)
        if finished or finish:
            click.echo(f"{finished} earlier erasure(s) finished (keys that were still present destroyed)")
    finally:
        store.close()


@click.group("keys")
def keys_group() -> None:
    """The data subjects' keys (kept apart from the log, wrapped by PARTYLEDGER_DATA_KEK)."""


@keys_group.command("rewrap")
@click.option("--database-url", help=URL_HELP)
def rewrap_command(database_url: str | None) -> None:
    """Re-wrap every key under the current KEK (after moving the old one to PARTYLEDGER_DATA_KEK_PREVIOUS)."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    try:
        cipher = store.cipher
        if not isinstance(cipher, FieldCipher):
            raise click.ClickException("this log was opened without its keys")
        try:
            count = cipher.keys.table.rewrap(keyring_of(settings).keks)
        except Exception as exc:
            raise click.ClickException(f"cannot re-wrap the keys: {first_line(exc)}") from exc
    finally:
        store.close()
    click.echo(f"{count} key(s) re-wrapped under the current KEK; the previous KEK may now be dropped")
