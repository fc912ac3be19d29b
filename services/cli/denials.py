"""`partyledger denials`: the refused requests (401, 403, 404 at a wall, 429), one line each, newest first."""

from __future__ import annotations

import click

from projections.engine import projection_engine
from services.cli.options import URL_HELP, first_line, settings_for
from services.denial_records import recent_denials
from services.record_tables import create_record_tables


@click.command("denials")
@click.option("--limit", type=click.IntRange(1, 10_000), default=50, show_default=True)
@click.option("--unit", "unit_id", help="Only callers whose token names this unit.")
@click.option("--database-url", help=URL_HELP)
def denials_command(limit: int, unit_id: str | None, database_url: str | None) -> None:
    """Who was refused what, when and why (the API records every refusal)."""
    engine = projection_engine(settings_for(database_url).database_url)
    try:
        create_record_tables(engine)
        found = recent_denials(engine, units=[unit_id] if unit_id else None, anonymous=False, limit=limit)
    except Exception as exc:
        raise click.ClickException(f"cannot read the denials: {first_line(exc)}") from exc
    finally:
        engine.dispose()
    for denial in found:
        click.echo(denial.line())
    click.echo(f"{len(found)} denial(s) shown", err=True)
