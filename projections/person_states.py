"""A person's state after each of their events, for read models: the domain's own `evolve`, never a copy.

The runner meets a person's events unit by unit; the first time it meets a person (or after a gap, e.g. the
person's earlier events were in another unit's partition) it replays the stream up to that event from the
log. States are cached, so a rebuild replays each stream about once.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from domain.codec import EventCodec
from domain.person.state import PersonState, evolve, initial_state, replay
from eventstore import Envelope, EventStore

PERSON_STREAM_PREFIX = "person-"


class PersonStates:
    """Callable `(envelope, event) -> PersonState | None`, the runner's `enrich`."""

    def __init__(self, store: EventStore, codec: EventCodec, capacity: int = 20_000) -> None:
        self._store = store
        self._codec = codec
        self._capacity = capacity
        self._states: OrderedDict[str, PersonState] = OrderedDict()

    def __call__(self, envelope: Envelope, event: Any) -> PersonState | None:
        if not envelope.stream_id.startswith(PERSON_STREAM_PREFIX):
            return None
        known = self._states.get(envelope.stream_id)
        if known is not None and known.version == envelope.stream_version:
            return known
        if known is not None and known.version == envelope.stream_version - 1:
            state = evolve(known, event, envelope.occurred_on)
        elif envelope.stream_version == 1:
            state = evolve(initial_state(envelope.stream_id), event, envelope.occurred_on)
        else:
            state = self._replay(envelope)
        self._remember(envelope.stream_id, state)
        return state

    def _replay(self, envelope: Envelope) -> PersonState:
        """The person's earlier events lie in other partitions (a move) or fell out of the cache."""
        events = self._store.read_stream(envelope.stream_id)[: envelope.stream_version]
        return replay(
            envelope.stream_id,
            ((self._codec.decode(e.event_type, e.schema_version, e.data), e.occurred_on) for e in events),
        )

    def _remember(self, stream_id: str, state: PersonState) -> None:
        self._states[stream_id] = state
        self._states.move_to_end(stream_id)
        if len(self._states) > self._capacity:
            self._states.popitem(last=False)
