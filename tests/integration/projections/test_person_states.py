"""The person's state the runner hands read models: the domain's own replay, with the streams a batch needs
from before it (people who moved in) read together, in one trip, before the batch."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.codec import EVENTS
from domain.person.state import replay
from eventstore import EventStore, RecordedEvent
from projections.person_states import PersonStates
from services.seed import generate_province


class CountingReads:
    """The store, counting the stream reads a replay makes."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self.one_by_one = 0
        self.together = 0

    def read_stream(self, stream_id: str, *, after_version: int = 0) -> list[RecordedEvent]:
        self.one_by_one += 1
        return self._store.read_stream(stream_id, after_version=after_version)

    def read_streams(self, after: Mapping[str, int]) -> dict[str, list[RecordedEvent]]:
        self.together += 1
        return self._store.read_streams(after)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_batch_of_people_who_moved_in_is_replayed_in_one_read_and_equals_the_domain_s_replay(
    store: EventStore,
) -> None:
    generate_province(store, scale="small", seed=11)
    checked = moved_in = 0
    streams: dict[str, list[tuple[object, date]]] = {}
    for unit in sorted(store.unit_heads()):
        events = store.read_unit(unit, limit=100_000).events
        reads = CountingReads(store)
        states = PersonStates(reads, EVENTS)
        states.prepare(events)
        for envelope in events:
            if not envelope.stream_id.startswith("person-"):
                continue
            event = EVENTS.decode_json(envelope.event_type, envelope.schema_version, envelope.data_json)
            if envelope.stream_id not in streams:
                streams[envelope.stream_id] = [
                    (EVENTS.decode(e.event_type, e.schema_version, e.data), e.occurred_on)
                    for e in store.read_stream(envelope.stream_id)
                ]
            expected = replay(envelope.stream_id, streams[envelope.stream_id][: envelope.stream_version])
            assert states(envelope, event) == expected
            checked += 1
        assert reads.one_by_one == 0, f"{unit}: a stream was replayed on its own"
        moved_in += reads.together
    assert checked > 1000
    assert moved_in > 0, "the generated province should hold people who moved between units"
