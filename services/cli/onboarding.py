"""Giving a new ledger its province from the command line: `init --province` and `import-members`.

Thin: each command opens the log, calls one use case of `services/commands/` and prints its answer; a refusal
is one line on stderr and exit 1, in Vietnamese as the officers read it, with its rule id.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any, ClassVar, Final

import click

from domain.errors import DomainError
from domain.units.kinds import UnitKind
from eventstore import EventStore
from services.cli.options import first_line
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext, Ring
from services.commands.province import found_province
from services.commands.roll_import import ImportReport, import_roll
from services.commands.roll_reading import RollUnreadable, read_roll_in_parallel
from services.commands.roll_template import roll_template
from services.commands.walls import today
from services.doorbell import ring
from services.settings import Settings, SettingsError

IMPORTER: Final = "partyledger-import"
"""The actor recorded on rows imported from the command line: the operator's installation, not an account."""


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


def command_context(settings: Settings, store: EventStore) -> CommandContext:
    """The use cases' context with the deployment's person-id key (new people get keyed ids, I8/issue 18)."""
    try:
        key = settings.person_key()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc
    return CommandContext(store, doorbell(settings), key)


def init_province(settings: Settings, store: EventStore, code: str, name: str) -> None:
    """Register the province on an empty ledger and say what to do next."""
    ctx = command_context(settings, store)
    try:
        founded = found_province(ctx, code, name)
    except DomainError as exc:
        raise refusal(exc) from exc
    click.echo(
        f"province {founded.code} registered as {founded.unit_id} (log position {founded.recorded.last_position}); "
        f"next: the first administrator (partyledger users add --admin … --unit {founded.unit_id}), then "
        "partyledger import-members FILE.xlsx"
    )


def province_actor(store: EventStore) -> Actor:
    """The operator acts as the provincial administrator of the ledger's province (the installation's user)."""
    try:
        units = CommandContext(store).tree().all_latest()
    except Exception as exc:  # an unmigrated or unreachable database: one line, never a traceback
        raise click.ClickException(f"cannot read the unit tree: {first_line(exc)}") from exc
    root = next((u for u in units if u.kind is UnitKind.PROVINCIAL_COMMITTEE), None)
    if root is None:
        raise click.ClickException('sổ chưa có đảng bộ tỉnh: chạy partyledger init --province MÃ --name "…" trước')
    return Actor(user_id=IMPORTER, role=Role.PROVINCIAL_ADMIN, unit_id=root.unit_id)


def import_members(
    settings: Settings, store: EventStore, source: Path, *, dry_run: bool, only_clean: bool, limit: int
) -> ImportReport:
    """Read the workbook, decide every row, write (unless a dry run) and print the refusals row by row."""
    actor = province_actor(store)
    ctx = command_context(settings, store)
    click.echo(f"đọc {source.name} …", err=True)
    with ExitStack() as stack:  # the members' sheet is read by a second process while the rows read are decided
        try:
            roll = stack.enter_context(read_roll_in_parallel(source))
        except (OSError, ValueError, KeyError) as exc:
            raise _unreadable(source, exc) from exc
        bars = stack.enter_context(_Bars())
        try:
            report = import_roll(ctx, actor, roll, write=not dry_run, only_clean=only_clean, progress=bars.update)
        except RollUnreadable as exc:
            raise _unreadable(source, exc) from exc
    for problem in report.problems[:limit]:
        click.echo(problem.line())
    if len(report.problems) > limit:
        click.echo(f"… và {len(report.problems) - limit} dòng bị từ chối nữa (--limit để xem thêm)")
    click.echo(report.summary_vi())  # after `import_roll`'s durable flush: what it says written is on disk
    return report


def _unreadable(source: Path, exc: Exception) -> click.ClickException:
    return click.ClickException(f"không đọc được tệp {source.name}: {first_line(exc)}")


class _Bars:
    """One progress bar per phase: checking every row, then writing."""

    LABELS: ClassVar[dict[str, str]] = {
        "units": "kiểm tra tổ chức",
        "plan": "kiểm tra đảng viên",
        "write units": "ghi tổ chức",
        "write": "ghi đảng viên",
    }

    def __init__(self) -> None:
        self._bar: Any = None
        self._phase = ""
        self._done = 0

    def __enter__(self) -> _Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.render_finish()

    def update(self, phase: str, done: int, total: int) -> None:
        if phase != self._phase:
            if self._bar is not None:
                self._bar.render_finish()
            self._bar = click.progressbar(length=total, label=self.LABELS.get(phase, phase), file=sys.stderr)
            self._bar.render_progress()
            self._phase, self._done = phase, 0
        self._bar.update(done - self._done)
        self._done = done


def write_template(store: EventStore, target: Path) -> None:
    """The template with its example under this ledger's province code."""
    actor = province_actor(store)
    code = CommandContext(store).tree().latest(actor.unit_id)
    target.write_bytes(roll_template(code.code if code else "TINH", today()))
    click.echo(f"mẫu đã ghi: {target}")
