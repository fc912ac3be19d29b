"""What every request handler needs, opened once per API process and closed at shutdown: the use cases'
context (`CommandContext`: log, tree, calendar, people) plus the settings, the read models' engine (which also
keeps the credentials and sessions) and the doorbell its commands ring."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import date

import sqlalchemy as sa

from eventstore import EventStore
from eventstore.field_cipher import FieldCipher
from eventstore.postgres import PostgresEventStore
from eventstore.subject_keys import REQUEST_THREADS, SqlKeyTable
from projections.engine import projection_engine
from projections.queries.rollup import remember_members
from projections.queries.units import remember_ceased
from projections.schema import create_projection_tables
from services.commands.context import CommandContext
from services.commands.walls import today
from services.credentials import CredentialStore, create_credential_tables
from services.data_keys import open_ledger_log
from services.denial_records import DenialWriter
from services.doorbell import Doorbell
from services.reads import UnitHeads
from services.record_tables import create_record_tables
from services.settings import Settings


class Ledger(CommandContext):
    """A plain class on purpose: Litestar models dataclass dependencies field by field, and this one holds
    connections, not data."""

    def __init__(self, settings: Settings, store: EventStore, engine: sa.Engine) -> None:
        self.doorbell = Doorbell(settings)
        super().__init__(store, self.doorbell.ring, settings.person_key())
        self.settings = settings
        self.engine = engine
        self.denials = DenialWriter(engine)
        self.credentials = CredentialStore(engine)
        self.heads = UnitHeads(store)

    @classmethod
    def open(cls, settings: Settings) -> Ledger:
        if settings.embedded:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_ledger_log(settings)
        engine = projection_engine(settings.database_url)
        try:
            create_projection_tables(engine)
            create_record_tables(engine)
            create_credential_tables(engine)
        except BaseException:
            store.close()  # not left to the GC: a pool reaped on its own worker thread cannot join itself
            engine.dispose()
            raise
        return cls(settings, store, engine)

    def warm(self) -> None:
        """The tree and calendar (`CommandContext.warm`), and the log's and the subject-key table's connections
        opened, one per request thread: a fresh process's first commands each fetched a key (I13) on an engine
        that first had to connect and ask the server its settings — 250 ms at p99 and up to 530 ms on the shared
        machine — and waited for the log's pool to open connections, the slowest commands of the `http` bench
        (bench/README.md). Also what a first page about many units would otherwise work out while its officer
        waits: the roll-up groups' members, the units ceased by today and by last 31/12, the holidays of the
        years around today (bench/city.py: the city dashboard's first request)."""
        super().warm()
        with self.engine.connect() as connection:  # the roll-up groups' members and the ceased units, as of now
            remember_members(connection)
        day, tree = today(), self.tree()
        remember_ceased(tree, day)
        remember_ceased(tree, date(day.year - 1, 12, 31))  # last year's figures, the other page asked for
        # the holidays library loads its countries on first use: it was half a dashboard's first request
        self.calendar().working_days_between(date(day.year - 1, 1, 1), date(day.year + 1, 12, 31))
        if isinstance(self.store, PostgresEventStore):  # the log's connections too (the pool kept one at start)
            pool = self.store.pool
            pool.resize(min(REQUEST_THREADS, pool.max_size), pool.max_size)
            pool.wait()
        cipher = getattr(self.store, "cipher", None)
        if isinstance(cipher, FieldCipher) and isinstance(cipher.keys.table, SqlKeyTable):
            engine = cipher.keys.table.engine
            with ExitStack() as opened:  # all at once, so the pool keeps as many as it holds
                for _ in range(engine.pool.size()):  # type: ignore[attr-defined]
                    opened.enter_context(engine.connect())

    def close(self) -> None:
        self.denials.close()
        self.doorbell.close()
        self.store.close()
        self.engine.dispose()
