"""What every request handler needs, opened once per API process and closed at shutdown: the use cases'
context (`CommandContext`: log, tree, calendar, people) plus the settings, the read models' engine (which also
keeps the credentials and sessions) and the doorbell its commands ring."""

from __future__ import annotations

import sqlalchemy as sa

from eventstore import EventStore, open_store
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from services.commands.context import CommandContext
from services.credentials import CredentialStore, create_credential_tables
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
        store = open_store(settings.database_url)
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

    def close(self) -> None:
        self.denials.close()
        self.doorbell.close()
        self.store.close()
        self.engine.dispose()
