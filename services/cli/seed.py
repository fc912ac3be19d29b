"""`partyledger seed`: write a realistic, deterministic province history into an empty log (demo and load data).

Register with `cli.add_command(seed_command)` in `services/cli/main.py`.
"""

from __future__ import annotations

from typing import get_args

import click

from eventstore import EventStore, EventStoreError
from services.cli.onboarding import doorbell
from services.cli.options import URL_HELP, settings_for
from services.commands.tree_log import load_tree
from services.data_keys import open_ledger_log
from services.seed.generator import LAST_DAY, generate_province
from services.seed.plan import Scale
from services.seed.years import FIRST_DAY
from services.settings import Settings


def _settings(database_url: str | None) -> Settings:
    """The settings, with the URL given in place of theirs (creating the data folder for the embedded log)."""
    settings = settings_for(database_url)
    if settings.embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


@click.command("seed")
@click.option("--scale", type=click.Choice(get_args(Scale)), default="small", show_default=True)
@click.option("--seed", "seed", type=int, default=2020, show_default=True, help="Same seed, same history.")
@click.option("--database-url", help=URL_HELP)
def seed_command(scale: Scale, seed: int, database_url: str | None) -> None:
    """Generate five years (10/2020–12/2025) of a province's member development through the domain rules.

    small: the Political School's bloc and one district (~600 members, ~10,000 events, seconds);
    province: ~100 grassroots units, ~500 cells, ~20,000 members (minutes). The log must be empty.
    """
    try:
        store = open_ledger_log(_settings(database_url), durable=False)  # an interrupted seed is redone
    except (EventStoreError, ValueError, OSError) as exc:
        raise click.ClickException(f"cannot open the log: {exc}") from exc
    try:
        with click.progressbar(length=(LAST_DAY - FIRST_DAY).days, label=f"seeding ({scale})") as bar:
            done = [0]

            def advance(days: int, _total: int) -> None:
                bar.update(days - done[0])
                done[0] = days

            settings = settings_for(database_url)
            key = settings.person_key()  # the deployment's, so its ids are this deployment's ids
            report = generate_province(store, scale=scale, seed=seed, progress=advance, person_key=key)
        rung = ring_every_unit(settings, store)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(report.summary() + (f"; workers rung for {rung} units" if rung else ""))


def ring_every_unit(settings: Settings, store: EventStore) -> int:
    """The workers catch every unit up now rather than at the beat's next sweep (I10 covers a broker that is down)."""
    units = [unit.unit_id for unit in load_tree(store)[0].all_latest()]
    if settings.broker_url:
        doorbell(settings)(units)
        return len(units)
    return 0
