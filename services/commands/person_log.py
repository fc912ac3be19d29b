"""A person's stream: load and replay it with the domain's evolve, wrap decided events, append (STYLE habit 4).

One stream per person (its id from `person_ids`), appended with the version the decision was made on (I2). Each
event is filed under the cell that owns the person when it happens; a move between cells also names the
receiving unit (`also_unit_id`), so both units' read models see it (I8 walls stay keyed by unit).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.person.commands import PersonCommand
from domain.person.erasure import PersonalDataErased
from domain.person.events import (
    CandidateTransferred,
    EntryRetracted,
    FileHandedOver,
    MovedByReorganisation,
    PersonEvent,
)
from domain.person.facts import NO_FACTS, PersonFacts
from domain.person.handlers import handle
from domain.person.member_events import MemberTransferPresented
from domain.person.records import PersonState
from domain.person.state import evolve, initial_state, replay
from domain.person.values import TransferKind
from eventstore import AppendResult, EventMetadata, EventStore, NewEvent, NewStream, RecordedEvent

from .actors import Actor

DOCUMENT_FIELDS: Final = (
    "decision_ref",
    "resolution_ref",
    "roll_ref",
    "certificate_ref",
    "application_ref",
    "form_ref",
    "result_ref",
    "appraisal_ref",
    "ceremony_ref",
    "consent_ref",
    "appeal_ref",
)
"""The command fields that name the paper a step rests on, most authoritative first."""


@dataclass(frozen=True)
class PersonAppended:
    """What a person command did: the state it left, its events, and the append (None when nothing changed)."""

    state: PersonState
    events: list[PersonEvent]
    result: AppendResult | None


def load_person(store: EventStore, person_id: str) -> PersonState:
    """The person's state from their stream alone, with the same `evolve` live commands use (habit 2)."""
    return replay_records(person_id, store.read_stream(person_id))


def replay_records(person_id: str, records: Iterable[RecordedEvent]) -> PersonState:
    """The state after these recorded events of the person's stream (a prefix for an earlier version)."""
    return replay(person_id, ((EVENTS.decode(r.event_type, r.schema_version, r.data), r.occurred_on) for r in records))


ERASURE_EVENT = PersonalDataErased.event_type


class PersonCache:
    """People's states by stream version, topped up with the events after it: what `load_person` answers,
    with one short read instead of reading and replaying the whole stream on every command.

    Sound because a stream's events at or below a version never change (I1): a cached state plus every event
    after its version is the replay of the whole stream. Shared by request threads; bounded (LRU).
    """

    def __init__(self, capacity: int = 20_000) -> None:
        self._states: OrderedDict[str, PersonState] = OrderedDict()
        self._capacity = capacity
        self._lock = threading.Lock()

    def load(self, store: EventStore, person_id: str) -> PersonState:
        known = self.known(person_id)
        newer = store.read_stream(person_id, after_version=known.version)
        if any(r.event_type == ERASURE_EVENT for r in newer) and known.version > 0:
            # erased since this process last saw the file (maybe by another process): nothing it holds of the
            # person may be shown again, neither the state's particulars nor the keys still cached
            self.forget(person_id)
            store.cipher.forget_all()
            return self.advance(initial_state(person_id), store.read_stream(person_id))
        return self.advance(known, newer)

    def forget(self, person_id: str) -> None:
        with self._lock:
            self._states.pop(person_id, None)

    def known(self, person_id: str) -> PersonState:
        """The latest state this process has seen (the empty one if none): read the events after its version."""
        with self._lock:
            known = self._states.get(person_id)
        return known or initial_state(person_id)

    def advance(self, state: PersonState, newer: Iterable[RecordedEvent]) -> PersonState:
        """`state` with the stream's events after its version applied, remembered for the next command."""
        before = state.version
        for record in newer:
            event = EVENTS.decode(record.event_type, record.schema_version, record.data)
            state = evolve(state, event, record.occurred_on)
        if state.version != before:
            self._remember(state)
        return state

    def _remember(self, state: PersonState) -> None:
        with self._lock:
            known = self._states.get(state.person_id)
            if known is None or known.version < state.version:
                self._states[state.person_id] = state
            self._states.move_to_end(state.person_id)
            if len(self._states) > self._capacity:
                self._states.popitem(last=False)


def document_ref_of(command: PersonCommand) -> str | None:
    """The reference of the paper the step rests on, if the command carries one."""
    for name in DOCUMENT_FIELDS:
        value = getattr(command, name, None)
        if isinstance(value, str) and value.strip():
            return value
    return None


def envelopes(
    before: PersonState, events: Sequence[PersonEvent], command: PersonCommand, metadata: EventMetadata
) -> list[NewEvent]:
    """Each event in its envelope, filed under the person's cell at that moment (a move also names the new one)."""
    state, wrapped = before, []
    for event in events:
        after = evolve(state, event, command.occurred_on)
        unit_id, also_unit_id = _units_of(event, state, after)
        name, version, data = EVENTS.encode(event)
        wrapped.append(NewEvent(name, data, command.occurred_on, unit_id, metadata, version, also_unit_id=also_unit_id))
        state = after
    return wrapped


def _units_of(event: PersonEvent, before: PersonState, after: PersonState) -> tuple[str, str | None]:
    """(owning unit, receiving unit): a move is filed under the cell left and also the cell joined."""
    if isinstance(event, CandidateTransferred | MovedByReorganisation | FileHandedOver):
        return event.from_cell_id, event.to_cell_id
    if isinstance(event, EntryRetracted) and before.cell_id and after.cell_id != before.cell_id:
        return before.cell_id, after.cell_id  # a retracted move: both cells' read models see it go back
    if isinstance(event, MemberTransferPresented) and event.kind is TransferKind.OFFICIAL:
        return before.cell_id or event.to_unit_id, event.to_unit_id
    if after.cell_id is None:
        raise ValueError(f"{event.event_type} leaves person {after.person_id} without a cell")
    return after.cell_id, None


def metadata_for(
    command: PersonCommand, event: PersonEvent, actor: Actor, correlation_id: str | None = None
) -> EventMetadata:
    """Who recorded the step, for which unit and role, under which rule set, on which paper (I9, I11)."""
    return EventMetadata(
        actor=actor.user_id,
        acting_unit=command.acting_unit_id,
        role=str(actor.role),
        rule_set=event.rule_set,
        correlation_id=correlation_id or str(uuid.uuid4()),
        document_ref=document_ref_of(command),
    )


def append_decided(
    store: EventStore,
    before: PersonState,
    command: PersonCommand,
    events: Sequence[PersonEvent],
    actor: Actor,
    *,
    correlation_id: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[AppendResult, frozenset[str]]:
    """Append events decided on `before` by `actor`, with its version as the expected one (I2: no lost update);
    also answers the units the events concern, the ones whose workers must be rung."""
    metadata = metadata_for(command, events[0], actor, correlation_id)
    wrapped = envelopes(before, events, command, metadata)
    result = store.append(command.person_id, wrapped, expected_version=before.version, idempotency_key=idempotency_key)
    return result, frozenset(u for e in wrapped for u in (e.unit_id, e.also_unit_id) if u)


def new_person_stream(
    before: PersonState,
    command: PersonCommand,
    events: Sequence[PersonEvent],
    actor: Actor,
    *,
    idempotency_key: str | None = None,
) -> tuple[NewStream, frozenset[str]]:
    """`append_decided` for a person the log has never seen, as one `NewStream` of a bulk load's batch
    (`EventStore.append_new_streams`): the same envelopes, at version 0; also the units to ring."""
    return new_person_stream_of_steps(before, [(before, command, events)], actor, idempotency_key=idempotency_key)


def new_person_stream_of_steps(
    before: PersonState,
    steps: Sequence[tuple[PersonState, PersonCommand, Sequence[PersonEvent]]],
    actor: Actor,
    *,
    idempotency_key: str | None = None,
    existing: bool = False,
) -> tuple[NewStream, frozenset[str]]:
    """Several steps decided one after the other (each on the state the one before left), as the events of one
    append: each step's events in their own envelopes, dated and attributed as that step. A new person's
    stream unless `existing` (then the caller appends it at `before.version`)."""
    if before.version != 0 and not existing:
        raise ValueError(f"{before.person_id} already has a stream (version {before.version})")
    wrapped: list[NewEvent] = []
    for state, command, events in steps:
        wrapped += envelopes(state, events, command, metadata_for(command, events[0], actor))
    units = frozenset(u for e in wrapped for u in (e.unit_id, e.also_unit_id) if u)
    return NewStream(before.person_id, wrapped, idempotency_key), units


def append_person_command(
    store: EventStore,
    command: PersonCommand,
    *,
    actor: Actor,
    calendar: WorkingCalendar,
    facts: PersonFacts = NO_FACTS,
    correlation_id: str | None = None,
    idempotency_key: str | None = None,
) -> PersonAppended:
    """Load → decide → append; a refusal (DomainError) propagates and leaves the log untouched (I12)."""
    before = load_person(store, command.person_id)
    after, events = handle(before, command, calendar, facts)
    if not events:
        return PersonAppended(after, events, None)
    result, _ = append_decided(
        store, before, command, events, actor, correlation_id=correlation_id, idempotency_key=idempotency_key
    )
    return PersonAppended(after, events, result)
