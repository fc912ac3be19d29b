"""Replay a chosen set of events in memory with the projections' own `apply` and the domain's own `evolve`.

Nothing here knows what a read model means: it feeds events to the same functions the runner feeds, so an
"as of" answer and the live dashboard can only differ by which events they saw (I9, STYLE habit 2).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from domain.codec import EVENTS
from domain.person.records import PersonState
from domain.person.state import evolve, initial_state, replay
from eventstore import EventStore, RecordedEvent
from eventstore.store import upcast
from projections.base import Applied, Projection
from projections.erasure import forget_erased
from projections.person_states import PERSON_STREAM_PREFIX
from projections.rows import Row, UnitRows

Keep = Callable[[RecordedEvent], bool]


class ChosenStates:
    """A person's state after each kept event, evolved over kept events only (the runner's `enrich`)."""

    def __init__(self, store: EventStore, keep: Keep) -> None:
        self._store = store
        self._keep = keep
        self._states: dict[str, tuple[int, PersonState]] = {}

    def skip(self, envelope: RecordedEvent) -> None:
        """An event of the stream that is not kept: the state stays, the stream moves on."""
        known = self._states.get(envelope.stream_id)
        if known is not None and known[0] == envelope.stream_version - 1:
            self._states[envelope.stream_id] = (envelope.stream_version, known[1])

    def __call__(self, envelope: RecordedEvent, event: Any) -> PersonState | None:
        if not envelope.stream_id.startswith(PERSON_STREAM_PREFIX):
            return None
        known = self._states.get(envelope.stream_id)
        if known is not None and known[0] == envelope.stream_version:
            return known[1]
        if known is not None and known[0] == envelope.stream_version - 1:
            before = known[1]
        elif envelope.stream_version == 1:
            before = initial_state(envelope.stream_id)
        else:
            before = self._replay_before(envelope)
        state = evolve(before, event, envelope.occurred_on)
        self._states[envelope.stream_id] = (envelope.stream_version, state)
        return state

    def _replay_before(self, envelope: RecordedEvent) -> PersonState:
        """Earlier events lie in another unit's partition (a move): the kept ones among them."""
        earlier = [
            e for e in self._store.read_stream(envelope.stream_id)[: envelope.stream_version - 1] if self._keep(e)
        ]
        return replay(envelope.stream_id, ((decode(e), e.occurred_on) for e in earlier))


def decode(envelope: RecordedEvent) -> Any:
    current = upcast(EVENTS, envelope)
    return EVENTS.decode(current.event_type, current.schema_version, current.data)


def replay_partitions(
    store: EventStore,
    units: Sequence[str],
    events: Iterable[RecordedEvent],
    keep: Keep,
    projections: Sequence[Projection],
) -> dict[str, dict[str, dict[str, Row]]]:
    """projection → unit → rows, after applying the kept events of each unit's partition (unit_id or
    also_unit_id), in log order, exactly as the runner would have."""
    states = ChosenStates(store, keep)
    rows = {p.name: {unit: UnitRows() for unit in units} for p in projections}
    wanted = set(units)
    for envelope in events:
        if not keep(envelope):
            states.skip(envelope)
            continue
        event = decode(envelope)
        person = states(envelope, event)
        for unit in (envelope.unit_id, envelope.also_unit_id):
            if unit is None or unit not in wanted:
                continue
            applied = Applied(envelope, event, person, unit)
            for projection in projections:
                if projection.event_types is None or envelope.event_type in projection.event_types:
                    projection.apply(rows[projection.name][unit], applied)
                forget_erased(rows[projection.name][unit], (applied,))
    return {name: {unit: dict(r.items()) for unit, r in by_unit.items()} for name, by_unit in rows.items()}


def replay_person(person_id: str, events: Iterable[RecordedEvent], keep: Keep) -> PersonState:
    """A person's file after the kept events of their stream."""
    return replay(person_id, ((decode(e), e.occurred_on) for e in events if keep(e)))
