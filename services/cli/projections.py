"""`partyledger projections …` and `partyledger rebuild`: what an operator needs to see and mend read models."""

from __future__ import annotations

import sys

import click

from projections.checkpoints import parked, unpark
from projections.rebuild import READ_MODEL_TABLES, rebuild, vacuum_after_rebuild
from projections.registry import PROJECTIONS, by_name
from projections.rollup import Mismatch, check, regroup_to_tree
from projections.sweep import lag
from services.audit.replay_check import check_replay
from services.cli.options import URL_HELP, first_line, settings_for
from services.collector import collect_garbage_rarely
from services.commands.context import CommandContext
from services.commands.walls import today
from services.projection_runtime import ProjectionRuntime, build_runtime
from services.rebuild_pool import RebuildFailed, rebuild_in_processes


def runtime_for(database_url: str | None) -> ProjectionRuntime:
    settings = settings_for(database_url)
    try:
        return build_runtime(settings)
    except Exception as exc:
        raise click.ClickException(f"cannot open the ledger: {first_line(exc)}") from exc


@click.group("projections")
def projections_group() -> None:
    """Read models: lag, parked units, retry."""


@projections_group.command("status")
@click.option("--database-url", help=URL_HELP)
def status(database_url: str | None) -> None:
    """Show how far behind each unit is and which units are parked on a poison event."""
    runtime = runtime_for(database_url)
    behind = {unit: n for unit, n in lag(runtime.engine, runtime.store, PROJECTIONS).items() if n}
    with runtime.engine.connect() as connection:
        stuck = parked(connection)
    runtime.close()
    click.echo(f"units behind: {len(behind)}" + (f" ({', '.join(sorted(behind)[:20])})" if behind else ""))
    click.echo(f"parked: {len(stuck)}")
    for checkpoint in stuck:
        click.echo(
            f"  {checkpoint.unit_id}  {checkpoint.projection}  at position {checkpoint.parked_position}: "
            f"{checkpoint.parked_error}"
        )


@projections_group.command("retry")
@click.argument("unit_id")
@click.option("--projection", help="Only this projection.")
@click.option("--database-url", help=URL_HELP)
def retry(unit_id: str, projection: str | None, database_url: str | None) -> None:
    """Clear a unit's park and catch it up now (after the fix is deployed)."""
    runtime = runtime_for(database_url)
    with runtime.engine.begin() as connection:
        cleared = unpark(connection, unit_id, projection)
    result = runtime.runner.catch_up(unit_id)
    runtime.close()
    click.echo(f"{unit_id}: {cleared} parked projection(s) cleared, {result.total} event applications")
    if result.parked:
        click.echo(f"still parked: {', '.join(result.parked)}", err=True)
        sys.exit(1)


@click.command("rebuild")
@click.option("--projection", "projection_name", help="Only this projection (default: all).")
@click.option("--unit", "unit_id", help="Only this unit (default: every unit with events).")
@click.option("--check", is_flag=True, help="Compare a rebuild with the live rows instead of replacing them.")
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes that rebuild units side by side (one per CPU is fastest); --check uses one.",
)
@click.option("--database-url", help=URL_HELP)
def rebuild_command(
    projection_name: str | None, unit_id: str | None, check: bool, jobs: int, database_url: str | None
) -> None:
    """Replay the log into fresh rows beside the live ones and swap them in (or --check: compare digests)."""
    try:
        chosen = [by_name(projection_name)] if projection_name else list(PROJECTIONS)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    runtime = runtime_for(database_url)
    collect_garbage_rarely()
    units = [unit_id] if unit_id else sorted(runtime.store.unit_heads())
    if check:
        with click.progressbar(length=len(units) * len(chosen), label="comparing", show_pos=True) as bar:
            report = check_replay(runtime.runner, units, chosen, on_pair=lambda: bar.update(1))
        differing = check_rollups(runtime)
        runtime.close()
        click.echo(report.summary())
        click.echo(_rollup_summary(differing))
        sys.exit(0 if report.equal and not differing else 1)
    if jobs > 1 and len(units) > 1:
        runtime.close()
        with click.progressbar(length=len(units), label=f"rebuilding ({jobs} processes)", show_pos=True) as bar:
            try:
                names = [projection.name for projection in chosen]
                rebuild_in_processes(runtime.settings, names, units, jobs, on_unit=lambda _: bar.update(1))
            except RebuildFailed as exc:
                raise click.ClickException(str(exc)) from exc
        _echo_regrouped(runtime_for(database_url))
        return
    with click.progressbar(units, label="rebuilding", show_pos=True) as bar:
        for unit in bar:
            rebuild(runtime.runner, chosen, [unit])
    _echo_regrouped(runtime)


def _echo_regrouped(runtime: ProjectionRuntime) -> None:
    """After a rebuild, every unit in the roll-up group the tree puts it in today (new units join theirs), and
    the read-model tables vacuumed (PostgreSQL: the old rows are dead, `vacuum_after_rebuild`)."""
    try:
        moved = regroup_to_tree(runtime.engine, CommandContext(runtime.store).tree(), today())
        vacuumed = vacuum_after_rebuild(runtime.engine)
    finally:
        runtime.close()
    click.echo(f"roll-up groups: {moved.joined} units joined, {moved.moved} moved, {moved.left} left")
    if vacuumed:
        click.echo(f"vacuumed and analysed: {', '.join(READ_MODEL_TABLES)}")


def check_rollups(runtime: ProjectionRuntime) -> list[Mismatch]:
    """Every group's kept sums against its members' rows summed now, in one snapshot."""
    with runtime.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ")
        return check(connection)


def _rollup_summary(differing: list[Mismatch]) -> str:
    if not differing:
        return "roll-ups equal their members' rows summed"
    first = differing[0]
    return (
        f"{len(differing)} roll-up rows differ from their members' rows summed; first: {first.projection} "
        f"v{first.version} of group {first.group_id}, row {first.row_key!r}"
    )


@projections_group.command("regroup")
@click.option("--database-url", help=URL_HELP)
def regroup_command(database_url: str | None) -> None:
    """Put every unit in the roll-up group the unit tree puts it in today (the sweep does it when the tree
    changes): the counts of upper units' pages are read from these groups' sums."""
    _echo_regrouped(runtime_for(database_url))
