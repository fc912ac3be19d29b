"""`partyledger privacy report` (the register and the impact-assessment annex, .xlsx) and `partyledger privacy
retention` (closed files past their R-PRIVACY-RETAIN period, per unit; `--erase` runs the beat's daily retention
run); the use cases are services/privacy/."""

from __future__ import annotations

from pathlib import Path

import click

from projections.engine import projection_engine
from services.cli.onboarding import command_context
from services.cli.options import URL_HELP, first_line, open_log, settings_for
from services.commands.erasure import KeysUnavailable
from services.commands.tree_log import load_tree
from services.commands.walls import today
from services.privacy.outcomes import scan_log
from services.privacy.report import privacy_report
from services.privacy.retention import rules_from
from services.privacy.retention_run import due_for_erasure, run_retention
from services.privacy.workbook import register_workbook


@click.group("privacy")
def privacy_group() -> None:
    """Personal data under Law 91/2025/QH15 and Decree 356/2025/NĐ-CP."""


@privacy_group.command("report")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("ho-so-xu-ly-du-lieu-ca-nhan.xlsx"),
    show_default=True,
)
@click.option("--officer", help="The named data-protection person (name and post), printed in the register.")
@click.option("--database-url", help=URL_HELP)
def report_command(out: Path, officer: str | None, database_url: str | None) -> None:
    """Write the processing register and the impact-assessment annex (Vietnamese, locked .xlsx)."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    engine = projection_engine(settings.database_url)
    try:
        report = privacy_report(
            store, engine, retention_months=settings.retention_months, today=today(), officer=officer
        )
        out.write_bytes(register_workbook(report))
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from exc
    except Exception as exc:
        raise click.ClickException(f"cannot make the report: {first_line(exc)}") from exc
    finally:
        engine.dispose()
        store.close()
    figures = report.figures
    click.echo(f"{out}: {len(report.entries)} fields classed, {figures.people} people, {figures.events} events")


@privacy_group.command("retention")
@click.option("--unit", "unit_id", help="Only this unit (its own files).")
@click.option(
    "--erase",
    is_flag=True,
    help="Run the retention run the beat runs daily: erase the files past their period and their notice "
    "period (PARTYLEDGER_RETENTION_NOTICE_DAYS), then finish earlier erasures.",
)
@click.option("--database-url", help=URL_HELP)
def retention_command(unit_id: str | None, erase: bool, database_url: str | None) -> None:
    """List the closed files past their retention period, per unit, with the day each will be erased; with
    --erase, erase those whose notice period has passed (the same use case as the beat's daily run)."""
    settings = settings_for(database_url)
    store = open_log(settings, create=False)
    rules = rules_from(settings.retention_months)
    try:
        if erase:
            if unit_id:
                raise click.UsageError("--erase runs over the whole province; leave out --unit")
            try:
                run = run_retention(command_context(settings, store), rules, today(), settings.retention_notice_days)
            except KeysUnavailable as exc:
                raise click.ClickException(str(exc)) from exc
            click.echo(run.summary())
            return
        try:
            tree, _ = load_tree(store)
            people = scan_log(store).people
        except Exception as exc:
            raise click.ClickException(f"cannot read the log: {first_line(exc)}") from exc
    finally:
        store.close()
    due = due_for_erasure(people, rules, today(), settings.retention_notice_days, [unit_id] if unit_id else None)
    for unit in sorted({d.person.unit_id for d in due}):
        items = [d for d in due if d.person.unit_id == unit]
        known = tree.latest(unit)
        click.echo(f"{known.name if known else unit}: {len(items)}")
        for item in items:
            name = item.person.full_name or "(không rõ tên)"
            click.echo(
                f"  {name} — {item.rule.outcome.label_vi} ngày {item.past.closed_on:%d/%m/%Y}, "
                f"quá hạn từ {item.past.due_on:%d/%m/%Y}, xóa ngày {item.erase_on:%d/%m/%Y} ({item.rule.rule_id})"
            )
    click.echo(f"{len(due)} file(s) past their retention period", err=True)
