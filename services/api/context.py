"""What every request handler needs, opened once per API process and closed at shutdown."""

from __future__ import annotations

from threading import Lock

import sqlalchemy as sa

from domain.calendar import CALENDAR_STREAM_ID, WorkingCalendar, calendar_from_declarations
from domain.codec import EVENTS
from domain.person.records import PersonState
from domain.units.tree import UnitTree
from eventstore import open_store
from eventstore.postgres import PostgresEventStore
from eventstore.sqlite import SqliteEventStore
from projections.engine import projection_engine
from projections.schema import create_projection_tables
from services.doorbell import Doorbell
from services.people import PersonCache
from services.records import create_record_tables
from services.settings import Settings
from services.units import UNIT_TREE_STREAM, load_tree


class Ledger:
    """A plain class on purpose: Litestar models dataclass dependencies field by field, and this one holds
    connections, not data."""

    def __init__(self, settings: Settings, store: PostgresEventStore | SqliteEventStore, engine: sa.Engine) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self._tree: tuple[int, UnitTree] | None = None
        self._calendar: tuple[int, WorkingCalendar] | None = None
        self._lock = Lock()
        self.people = PersonCache()
        self.doorbell = Doorbell(settings)

    @classmethod
    def open(cls, settings: Settings) -> Ledger:
        if settings.embedded:
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(settings.database_url)
        engine = projection_engine(settings.database_url)
        try:
            create_projection_tables(engine)
            create_record_tables(engine)
        except BaseException:
            store.close()  # not left to the GC: a pool reaped on its own worker thread cannot join itself
            engine.dispose()
            raise
        return cls(settings, store, engine)

    def tree(self) -> UnitTree:
        """The unit tree from the log, rebuilt only when the tree stream has a new version."""
        return self.versioned_tree()[1]

    def versioned_tree(self) -> tuple[int, UnitTree]:
        """The tree with the version of its stream: what a unit command sends as `expected_version`."""
        return self._tree_at(self.store.stream_version(UNIT_TREE_STREAM))

    def for_command(self, person_id: str | None) -> tuple[UnitTree, WorkingCalendar, PersonState | None]:
        """The tree, the calendar and the person now: the events after what this process holds of each, in
        one round trip (the streams only grow, I1, so what it holds plus the newer events is the whole)."""
        with self._lock:
            tree_version = self._tree[0] if self._tree else 0
            calendar_version = self._calendar[0] if self._calendar else 0
        person = self.people.known(person_id) if person_id else None
        after = {UNIT_TREE_STREAM: tree_version, CALENDAR_STREAM_ID: calendar_version}
        if person is not None:
            after[person.person_id] = person.version
        found = self.store.read_streams(after)
        tree = self._tree_at(tree_version + len(found[UNIT_TREE_STREAM]))[1]
        calendar = self._calendar_at(calendar_version + len(found[CALENDAR_STREAM_ID]))
        return tree, calendar, self.people.advance(person, found[person.person_id]) if person else None

    def _tree_at(self, version: int) -> tuple[int, UnitTree]:
        """The cached tree, rebuilt when the stream is past `version`'s; with the version it was loaded at."""
        with self._lock:
            if self._tree is None or self._tree[0] != version:
                tree, loaded = load_tree(self.store)
                self._tree = (loaded, tree)
            return self._tree

    def calendar(self) -> WorkingCalendar:
        """Working days: the holiday library plus the administrator's declared days, from the log; rebuilt
        only when the calendar stream has a new version (every step asks for it)."""
        return self._calendar_at(self.store.stream_version(CALENDAR_STREAM_ID))

    def _calendar_at(self, version: int) -> WorkingCalendar:
        with self._lock:
            if self._calendar is None or self._calendar[0] != version:
                events = self.store.read_stream(CALENDAR_STREAM_ID)
                declared = (EVENTS.decode(e.event_type, e.schema_version, e.data) for e in events)
                self._calendar = (version, calendar_from_declarations(declared))
            return self._calendar[1]

    def close(self) -> None:
        self.doorbell.close()
        self.store.close()
        self.engine.dispose()
