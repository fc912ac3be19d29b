""" "As of" a date on either clock (I9): a file, a unit's dashboard, the unit tree — and why the clocks differ.

Each answer replays the log with the code the live read models use (see `replaying`), counting only the
events its clock counts on that date. Both clocks' events are read in one indexed query per answer, so
the events on which they disagree come for free: a paper dated on or before D but entered after D is
"entered late"; one entered by D but dated after it is "dated later".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from threading import Lock
from weakref import WeakKeyDictionary

from domain.person.events import EntryRetracted
from domain.units.tree import UnitTree
from eventstore import EventStore, RecordedEvent
from eventstore.history import HistoryFilter, read_matching
from projections.queries import Dashboard
from projections.queries.dashboard import dashboard_from_rows
from projections.queries.units import subtree_units
from projections.registry import by_name
from services.commands.log_facts import retracted_in
from services.commands.tree_log import UNIT_TREE_STREAM

from .clocks import Clock, Cut, end_of_day
from .replaying import decode, replay_partitions, replay_person


@dataclass(frozen=True)
class EventRef:
    """An event named without its content (the difference between the clocks is about papers, not people)."""

    position: int
    stream_id: str
    stream_version: int
    unit_id: str
    event_type: str
    occurred_on: date
    recorded_at: datetime

    @classmethod
    def of(cls, event: RecordedEvent) -> EventRef:
        return cls(
            event.position,
            event.stream_id,
            event.stream_version,
            event.unit_id,
            event.event_type,
            event.occurred_on,
            event.recorded_at,
        )


@dataclass(frozen=True)
class Difference:
    """The events that make "true on D" and "the ledger on D" differ."""

    entered_late: tuple[EventRef, ...]
    """Dated on or before D, recorded after D: true on D, unknown to the ledger on D."""
    dated_later: tuple[EventRef, ...]
    """Recorded by D, dated after D: the ledger had them on D, but they were not yet true."""

    @classmethod
    def among(cls, events: Sequence[RecordedEvent], on: date) -> Difference:
        true, ledger = Cut(on, Clock.OCCURRED), Cut(on, Clock.RECORDED)
        return cls(
            tuple(EventRef.of(e) for e in events if true.counts(e) and not ledger.counts(e)),
            tuple(EventRef.of(e) for e in events if ledger.counts(e) and not true.counts(e)),
        )


@dataclass(frozen=True)
class FileAsOf:
    person_id: str
    on: date
    clock: str
    stage: str | None
    """None when no event of the file counts on this clock yet."""
    stage_vi: str | None
    cell_id: str | None
    events_counted: int
    last_step_on: date | None
    differences: Difference


@dataclass(frozen=True)
class DashboardAsOf:
    on: date
    clock: str
    unit_known: bool
    """False when, on this clock, the unit did not exist on the date: the dashboard is then its own rows only."""
    events_replayed: int
    dashboard: Dashboard
    differences: Difference


@dataclass(frozen=True)
class TreeUnit:
    unit_id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    status: str


@dataclass(frozen=True)
class TreeAsOfAnswer:
    unit_id: str
    on: date
    clock: str
    unit_known: bool
    units: tuple[TreeUnit, ...]
    differences: Difference


RETRACTIONS = (EntryRetracted.event_type,)


def _known_by(on: date) -> tuple[date, datetime]:
    return on, end_of_day(on)


def file_as_of(store: EventStore, person_id: str, cut: Cut) -> FileAsOf | None:
    """The person's file replayed with the events this clock counts on the date; None if neither clock
    counts any event of it (no such file then)."""
    events = read_matching(store, HistoryFilter(stream_id=person_id, known_by=_known_by(cut.on)))
    if not events:
        return None
    cut = cut.knowing(retracted_in(read_matching(store, HistoryFilter(stream_id=person_id, event_types=RETRACTIONS))))
    counted = [e for e in events if cut.counts(e)]
    state = replay_person(person_id, counted, cut.counts)
    return FileAsOf(
        person_id,
        cut.on,
        str(cut.clock),
        str(state.stage) if counted else None,
        state.stage.label_vi if counted else None,
        state.cell_id,
        len(counted),
        state.last_step_on,
        Difference.among(events, cut.on),
    )


class _TreeCache:
    """One store's tree stream events per version, and trees per the events they were built from."""

    LIMIT = 64

    def __init__(self) -> None:
        self.events: dict[int, list[RecordedEvent]] = {}
        self.trees: dict[tuple[int, datetime | None], UnitTree] = {}
        self.lock = Lock()

    def events_at(self, store: EventStore, version: int) -> list[RecordedEvent]:
        with self.lock:
            known = self.events.get(version)
        if known is not None:
            return known
        events = read_matching(store, HistoryFilter(stream_id=UNIT_TREE_STREAM))[:version]
        if len(events) == version:  # below a lagging horizon it holds fewer: not that version's events
            with self.lock:
                self.events = {version: events}
        return events

    def tree(self, key: tuple[int, datetime | None], counted: list[RecordedEvent]) -> UnitTree:
        with self.lock:
            known = self.trees.get(key)
        if known is None:
            known = UnitTree.from_events((decode(e), e.occurred_on) for e in counted)
            with self.lock:
                if len(self.trees) >= self.LIMIT:
                    self.trees.clear()
                self.trees[key] = known
        return known


_CACHES: WeakKeyDictionary[EventStore, _TreeCache] = WeakKeyDictionary()
_CACHES_LOCK = Lock()


def tree_on_clock(store: EventStore, cut: Cut) -> tuple[UnitTree, list[RecordedEvent]]:
    """The unit tree from the tree events this clock counts (dates inside the tree still apply: a unit's
    state on D is read with `state_on`), and every tree event either clock counts.

    Trees are kept per store and per the events they were built from. The ledger's clock counts a prefix of
    the stream (events are recorded in stream order), so every date after the last reorganisation shares
    one tree with "true today" instead of rebuilding the province's for each date asked."""
    with _CACHES_LOCK:
        cache = _CACHES.setdefault(store, _TreeCache())
    events = cache.events_at(store, store.stream_version(UNIT_TREE_STREAM))
    counted = events if cut.clock is Clock.OCCURRED else [e for e in events if cut.counts(e)]
    prefix = not counted or counted[-1].stream_version == len(counted)
    tree = cache.tree((len(counted), None) if prefix else (len(events), cut.cutoff), counted)
    other = cut.other
    return tree, [e for e in events if cut.counts(e) or other.counts(e)]


def tree_as_of(store: EventStore, unit_id: str, cut: Cut) -> TreeAsOfAnswer:
    """The unit and its subtree on the date (none when the unit did not exist then on this clock)."""
    tree, events = tree_on_clock(store, cut)
    known = tree.state_on(unit_id, cut.on) is not None
    units = []
    for member in subtree_units(tree, unit_id, cut.on) if known else []:
        state = tree.state_on(member, cut.on)
        if state is not None:
            units.append(
                TreeUnit(state.unit_id, state.code, state.name, str(state.kind), state.parent_id, str(state.status))
            )
    return TreeAsOfAnswer(unit_id, cut.on, str(cut.clock), known, tuple(units), Difference.among(events, cut.on))


def dashboard_as_of(store: EventStore, unit_id: str, cut: Cut, year: int, term: str) -> DashboardAsOf:
    """The unit's dashboard rolled up over its subtree on the date, replayed from that subtree's events."""
    tree, _ = tree_on_clock(store, cut)
    known = tree.state_on(unit_id, cut.on) is not None
    units = subtree_units(tree, unit_id, cut.on) if known else [unit_id]
    events = read_matching(store, HistoryFilter(units=units, known_by=_known_by(cut.on)))
    cut = cut.knowing(retracted_in(read_matching(store, HistoryFilter(units=units, event_types=RETRACTIONS))))
    projections = [by_name("unit_dashboard"), by_name("unit_plans")]
    rows = replay_partitions(store, units, events, cut.counts, projections)
    counted = [e for e in events if cut.counts(e)]
    position = counted[-1].position if counted else 0
    board = dashboard_from_rows(position, units, year, term, rows["unit_dashboard"], rows["unit_plans"])
    return DashboardAsOf(cut.on, str(cut.clock), known, len(counted), board, Difference.among(events, cut.on))
