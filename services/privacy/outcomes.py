"""Each person's file as the log ends it: the stage, how it ended (the retention outcome) and since when.

Read from the log, not from a read model: the register and the retention list are answers an inspector may
check against the legal record, and `evolve` (the domain's one code path) says what each stream amounts to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from domain.person.events import PersonEvent, SponsorsRecorded, VerificationOpened
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.state import evolve, initial_state
from domain.person.values import Relation
from domain.retention import Outcome, outcome_of
from eventstore import EventStore, RecordedEvent

PAGE: Final = 5000


@dataclass(frozen=True)
class PersonOutcome:
    """A person as the log leaves them: `outcome` None while the file is open or the member serves; the
    unit is the cell holding the file or membership (the unit of their last event when none does)."""

    person_id: str
    unit_id: str
    stage: Stage
    since: date | None
    outcome: Outcome | None
    full_name: str | None
    erased: bool = False
    """The file's personal data was erased (R-PRIVACY-ERASE): nothing more to keep or erase."""


@dataclass
class LogScan:
    """What one pass over the log measures: every person's end, and the other data subjects it names."""

    events: int = 0
    people: list[PersonOutcome] = field(default_factory=list)
    relatives: set[tuple[str, str]] = field(default_factory=set)
    sponsors: set[str] = field(default_factory=set)
    helpers: set[str] = field(default_factory=set)


def scan_log(store: EventStore) -> LogScan:
    """One pass over the whole log, in pages, replaying each person's stream with the domain's `evolve`."""
    scan = LogScan()
    states: dict[str, PersonState] = {}
    since: dict[str, date] = {}
    units: dict[str, str] = {}
    for envelope in _all_events(store):
        scan.events += 1
        event = store.codec.decode(envelope.event_type, envelope.schema_version, envelope.data)
        if not isinstance(event, PersonEvent):
            continue
        stream = envelope.stream_id
        before = states.get(stream) or initial_state(stream)
        after = states[stream] = evolve(before, event, envelope.occurred_on)
        units[stream] = envelope.unit_id
        if after.stage is not before.stage:
            since[stream] = envelope.occurred_on
        _note_subjects(scan, stream, event, after)
    scan.people = [
        PersonOutcome(
            person_id=stream,
            unit_id=state.cell_id or units[stream],
            stage=state.stage,
            since=since.get(stream),
            outcome=outcome_of(state),
            full_name=state.particulars.full_name if state.particulars else None,
            erased=state.erased,
        )
        for stream, state in states.items()
    ]
    return scan


def _note_subjects(scan: LogScan, stream: str, event: object, after: PersonState) -> None:
    if isinstance(event, VerificationOpened):
        scan.relatives.update((stream, s.key) for s in event.subjects if s.relation is not Relation.SELF)
    elif isinstance(event, SponsorsRecorded):
        scan.sponsors.update(letter.sponsor_id for letter in event.sponsors)
    if after.helper_id is not None:
        scan.helpers.add(after.helper_id)


def _all_events(store: EventStore) -> Iterator[RecordedEvent]:
    after = 0
    while True:
        page = store.read_all(after_position=after, limit=PAGE)
        if not page.events:
            return
        yield from page.events
        after = page.events[-1].position
