"""`partyledger seed`: write a realistic, deterministic province history into an empty log (demo and load data).

Register with `cli.add_command(seed_command)` in `services/cli/main.py`.
"""

from __future__ import annotations

from typing import cast, get_args

import click

from eventstore import EventStore, EventStoreError
from eventstore.postgres import PostgresEventStore
from services.cli.onboarding import doorbell
from services.cli.options import URL_HELP, settings_for
from services.commands.tree_log import load_tree
from services.data_keys import open_ledger_log
from services.seed.city import generate_city
from services.seed.generator import LAST_DAY, generate_province
from services.seed.plan import Scale
from services.seed.years import FIRST_DAY
from services.settings import Settings

CITY_EVENTS = 5_830_000
"""About how many events the city writes (for the progress bar)."""


def _settings(database_url: str | None) -> Settings:
    """The settings, with the URL given in place of theirs (creating the data folder for the embedded log)."""
    settings = settings_for(database_url)
    if settings.embedded:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings


@click.command("seed")
@click.option("--scale", type=click.Choice([*get_args(Scale), "city"]), default="small", show_default=True)
@click.option("--seed", "seed", type=int, default=2020, show_default=True, help="Same seed, same history.")
@click.option("--database-url", help=URL_HELP)
def seed_command(scale: str, seed: int, database_url: str | None) -> None:
    """Generate five years (10/2020–12/2025) of a province's member development through the domain rules.

    small: the Political School's bloc and one district (~600 members, ~10,000 events, seconds);
    province: ~100 grassroots units, ~500 cells, ~20,000 members (minutes);
    city: the largest province, ~170 commune-level committees, ~5,000 grassroots units, ~25,000 cells,
    ~430,000 people, ~5.8 million events: the small province's journeys, decided once, copied and re-keyed
    per person and written by the restore path (minutes on PostgreSQL). The log must be empty.
    """
    if scale == "city":
        seed_city(seed, database_url)
        return
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
            report = generate_province(store, scale=cast(Scale, scale), seed=seed, progress=advance, person_key=key)
        rung = ring_every_unit(settings, store)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    click.echo(report.summary() + (f"; workers rung for {rung} units" if rung else ""))


def seed_city(seed: int, database_url: str | None) -> None:
    """The city (`services.seed.city`); its read models are built by `partyledger rebuild` or the workers."""
    try:
        settings = _settings(database_url)
        store = open_ledger_log(settings, durable=False)  # an interrupted seed is redone
    except (EventStoreError, ValueError, OSError) as exc:
        raise click.ClickException(f"cannot open the log: {exc}") from exc
    try:
        with click.progressbar(length=CITY_EVENTS, label="seeding (city)") as bar:
            done = [0]

            def advance(events: int) -> None:
                bar.update(min(events, CITY_EVENTS) - done[0])
                done[0] = min(events, CITY_EVENTS)

            report = generate_city(store, seed=seed, person_key=settings.person_key(), progress=advance)
        if isinstance(store, PostgresEventStore):  # as autovacuum would later: the unit heads' plans need it now
            with store.pool.connection() as connection:
                connection.execute("ANALYZE event_log")
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
