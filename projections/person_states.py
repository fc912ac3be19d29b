"""A person's state after each of their events, for read models: the domain's own `evolve`, never a copy.

The runner meets a person's events unit by unit; the first time it meets a person (or after a gap, e.g. the
person's earlier events were in another unit's partition) it replays the stream up to that event from the
log. States are cached, so a rebuild replays each stream about once, and the streams a batch needs replayed
are read together before the batch (`prepare`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from domain.codec import EventCodec
from domain.person.state import PersonState, evolve, initial_state, replay
from eventstore import Envelope, EventStore, RecordedEvent

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

    def prepare(self, events: Sequence[Envelope]) -> None:
        """Replay, in one read per `STREAMS_PER_READ`, every stream whose first event in this batch follows
        events the cache does not hold (a person who moved in from another unit): a province's rebuild made
        ~900 such reads one by one, each a round trip."""
        needed: dict[str, int] = {}
        seen: set[str] = set()
        for envelope in events:
            stream_id = envelope.stream_id
            if stream_id in seen or not stream_id.startswith(PERSON_STREAM_PREFIX):
                continue
            seen.add(stream_id)
            known = self._states.get(stream_id)
            version = envelope.stream_version
            if version > 1 and (known is None or known.version not in (version - 1, version)):  # as __call__ would
                needed[stream_id] = version - 1
        chosen = list(needed)
        for start in range(0, len(chosen), STREAMS_PER_READ):
            streams = self._store.read_streams(dict.fromkeys(chosen[start : start + STREAMS_PER_READ], 0))
            for stream_id, events_of_stream in streams.items():
                self._remember(stream_id, self._replay_events(stream_id, events_of_stream[: needed[stream_id]]))

    def _replay(self, envelope: Envelope) -> PersonState:
        """The person's earlier events lie in other partitions (a move) or fell out of the cache."""
        return self._replay_events(
            envelope.stream_id, self._store.read_stream(envelope.stream_id)[: envelope.stream_version]
        )

    def _replay_events(self, stream_id: str, events: Sequence[RecordedEvent]) -> PersonState:
        return replay(
            stream_id, ((self._codec.decode(e.event_type, e.schema_version, e.data), e.occurred_on) for e in events)
        )

    def _remember(self, stream_id: str, state: PersonState) -> None:
        self._states[stream_id] = state
        self._states.move_to_end(stream_id)
        if len(self._states) > self._capacity:
            self._states.popitem(last=False)


STREAMS_PER_READ = 200
"""Streams `prepare` asks for in one statement (a batch of 5,000 events names at most a few hundred)."""
