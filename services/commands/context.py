"""What a use case reads and rings: the log, the tree, the calendar and people as of now, and the doorbell.

One object per process (the API's `Ledger` is one), whose caches are sound because streams only grow (I1):
what it holds of a stream plus the events after that version is the whole stream. Tests of use cases build
one over the memory store with a doorbell that just remembers what it was asked to ring.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from threading import Lock

from domain.calendar import CALENDAR_STREAM_ID, WorkingCalendar, calendar_from_declarations
from domain.codec import EVENTS
from domain.identity import CitizenId
from domain.person.records import PersonState
from domain.units.tree import UnitTree
from eventstore import AppendResult, EventStore, RecordedEvent

from .person_ids import CitizenIndex, PersonIdKey
from .person_log import PersonCache
from .request_book import RequestBook
from .results import Recorded
from .tree_log import UNIT_TREE_STREAM, load_tree

Ring = Callable[[Iterable[str]], None]


def ring_nothing(units: Iterable[str]) -> None:
    """For callers with no worker to wake (the generator; a rebuild follows)."""


class CommandContext:
    """The store, the caches of the tree, the calendar and people, and how to ring a unit's worker."""

    def __init__(self, store: EventStore, ring: Ring = ring_nothing, person_key: PersonIdKey | None = None) -> None:
        self.store = store
        self.ring = ring
        self.people = PersonCache()
        self.citizens = CitizenIndex(person_key)
        self.requests = RequestBook()
        self._tree: tuple[int, UnitTree] | None = None
        self._calendar: tuple[int, WorkingCalendar] | None = None
        self._lock = Lock()

    def person_id_of(self, citizen_id: str) -> str:
        """The person a citizen ID names: the stream the log holds for it, else a new keyed id (person_ids)."""
        return self.citizens.person_id(self.store, citizen_id)

    def person_ids_of(self, citizens: Iterable[CitizenId]) -> dict[CitizenId, str]:
        """`person_id_of` for many checked numbers, with one read of the log for all (a bulk import)."""
        return self.citizens.person_ids(self.store, citizens)

    def tree(self) -> UnitTree:
        """The unit tree from the log, rebuilt only when the tree stream has a new version."""
        return self.versioned_tree()[1]

    def versioned_tree(self) -> tuple[int, UnitTree]:
        """The tree with the version of its stream: what a unit command sends as `expected_version`."""
        return self._tree_at(self.store.stream_version(UNIT_TREE_STREAM))

    def warm(self) -> None:
        """Load the tree and the calendar now: what a server process does before its first request, so its
        first commands do not each read the whole tree stream at once (they did, all of them, on a cold
        process: on a province's log the first second's requests were the slowest of a run)."""
        self.tree()
        self.calendar()

    def for_command(self, person_id: str | None) -> tuple[UnitTree, WorkingCalendar, PersonState | None]:
        """The tree, the calendar and the person now: the events after what this process holds of each, in
        one round trip (the streams only grow, I1, so what it holds plus the newer events is the whole)."""
        with self._lock:
            cold = self._tree is None or self._calendar is None
        if cold:  # one thread loads them (under the lock) while the others wait, instead of all reading them
            self.warm()
        with self._lock:
            held_tree = self._tree
            calendar_version = self._calendar[0] if self._calendar else 0
        tree_version = held_tree[0] if held_tree else 0
        person = self.people.known(person_id) if person_id else None
        after = {UNIT_TREE_STREAM: tree_version, CALENDAR_STREAM_ID: calendar_version}
        if person is not None:
            after[person.person_id] = person.version
        found = self.store.read_streams(after)
        tree = self._tree_after(held_tree, found[UNIT_TREE_STREAM])
        calendar = self._calendar_at(calendar_version + len(found[CALENDAR_STREAM_ID]))
        return tree, calendar, self.people.advance(person, found[person.person_id]) if person else None

    def _tree_after(self, held: tuple[int, UnitTree] | None, newer: list[RecordedEvent]) -> UnitTree:
        """The tree `held` with the tree stream's `newer` events applied, cached: a unit registered or changed
        anywhere in the province cost every API process a read and replay of the whole tree stream, under the
        lock every command of that process waits on; `with_event` is the seed's and the import's own step."""
        if held is None:
            return self._tree_at(len(newer))[1]
        if not newer:
            return held[1]  # the tree as of this command's read
        version = held[0] + len(newer)
        with self._lock:
            if self._tree is not None and self._tree[0] == version:
                return self._tree[1]  # another request applied the same events
        if newer[0].stream_version != held[0] + 1 or newer[-1].stream_version != version:
            return self._tree_at(version)[1]
        tree = held[1]
        for record in newer:
            tree = tree.with_event(EVENTS.decode(record.event_type, record.schema_version, record.data),
                                   record.occurred_on)  # fmt: skip
        with self._lock:
            if self._tree is None or self._tree[0] < version:
                self._tree = (version, tree)
        return tree

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

    def recorded(self, result: AppendResult | None, stream_id: str, ring_units: Iterable[str]) -> Recorded:
        """The answer to a command; the doorbell rings only when something was written."""
        if result is None:
            return Recorded.unchanged(stream_id, self.store.stream_version(stream_id))
        self.ring(ring_units)
        return Recorded.of(result)
