"""A bulk load's batch of new streams (`append_new_streams`): one transaction, the same rows as one by one."""

from __future__ import annotations

import pytest

from eventstore import EventStore, IdempotencyKeyReused, InvalidAppend, NewStream, WrongExpectedVersion
from eventstore.canonical import GENESIS_HASH
from eventstore.store import prepare_append
from tests.support.events import CODEC, noted


def _streams(prefix: str, count: int, *, events: int = 1) -> list[NewStream]:
    return [
        NewStream(f"file-{prefix}{i}", [noted(f"{prefix} {i} {n}") for n in range(events)], f"load-{prefix}{i}")
        for i in range(count)
    ]


def test_each_stream_is_written_as_a_one_by_one_append_would_write_it(store: EventStore) -> None:
    streams = _streams("a", 5, events=3)

    results = store.append_new_streams(streams)

    assert [(r.stream_id, r.stream_version, r.duplicate) for r in results] == [(s.stream_id, 3, False) for s in streams]
    positions = [p for r in results for p in (r.first_position, r.last_position)]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    for stream, result in zip(streams, results, strict=True):
        recorded = store.read_stream(stream.stream_id)
        assert (recorded[0].position, recorded[-1].position) == (result.first_position, result.last_position)
        alone = prepare_append(
            CODEC, stream.stream_id, stream.events, 0, stream.idempotency_key, recorded[0].recorded_at
        )
        assert [(e.prev_hash, e.hash) for e in recorded] == alone.chained(GENESIS_HASH)
        assert recorded[0].metadata["idempotency_key"] == stream.idempotency_key
    assert store.verify().ok


def test_a_stream_that_already_exists_refuses_the_whole_batch(store: EventStore) -> None:
    store.append("file-b2", [noted("there first")], expected_version=0)
    head = store.head_position()

    with pytest.raises(WrongExpectedVersion) as refused:
        store.append_new_streams(_streams("b", 4))

    assert (refused.value.stream_id, refused.value.expected, refused.value.current) == ("file-b2", 0, 1)
    assert store.head_position() == head
    assert store.read_streams({"file-b0": 0, "file-b1": 0, "file-b3": 0}) == {
        "file-b0": [], "file-b1": [], "file-b3": []
    }  # fmt: skip
    assert store.append_new_streams(_streams("b", 2))[1].stream_version == 1  # its keys were not burnt


def test_a_batch_run_again_adds_nothing_and_answers_the_first_results(store: EventStore) -> None:
    first = store.append_new_streams(_streams("c", 6))
    head = store.head_position()

    again = store.append_new_streams(_streams("c", 6))

    assert all(r.duplicate for r in again)
    assert [(r.first_position, r.last_position) for r in again] == [(r.first_position, r.last_position) for r in first]
    assert store.head_position() == head


def test_a_batch_partly_written_before_writes_only_the_rest(store: EventStore) -> None:
    written = store.append_new_streams(_streams("d", 3))
    store.append("file-d0", [noted("later step")], expected_version=1)  # the stream moved on: still its key

    results = store.append_new_streams(_streams("d", 5))

    assert [r.duplicate for r in results] == [True, True, True, False, False]
    assert results[0].first_position == written[0].first_position
    assert len(store.read_stream("file-d0")) == 2 and len(store.read_stream("file-d4")) == 1


def test_a_key_reused_for_other_content_refuses_the_whole_batch(store: EventStore) -> None:
    store.append_new_streams(_streams("e", 1))
    head = store.head_position()
    other = [NewStream("file-e9", [noted("new")], "load-e9"), NewStream("file-e1", [noted("other")], "load-e0")]

    with pytest.raises(IdempotencyKeyReused):
        store.append_new_streams(other)

    assert store.head_position() == head and store.read_stream("file-e9") == []


def test_a_bad_event_or_a_stream_named_twice_writes_nothing(store: EventStore) -> None:
    bad = [*_streams("f", 2), NewStream("file-f9", [noted("x", unit="")], "load-f9")]
    with pytest.raises(InvalidAppend, match="stream 2"):
        store.append_new_streams(bad)
    with pytest.raises(InvalidAppend, match="twice"):
        store.append_new_streams([*_streams("f", 2), *_streams("f", 1)])
    with pytest.raises(InvalidAppend, match="at most"):
        store.append_new_streams(_streams("g", 501, events=2))
    assert store.head_position() == 0


def test_streams_without_keys_are_written_and_a_second_time_refused(store: EventStore) -> None:
    streams = [NewStream(f"file-h{i}", [noted(f"h {i}")]) for i in range(3)]

    assert [r.stream_version for r in store.append_new_streams(streams)] == [1, 1, 1]
    with pytest.raises(WrongExpectedVersion):
        store.append_new_streams(streams)
    assert store.stream_version("file-h2") == 1


def test_a_flush_leaves_the_log_as_it_was(store: EventStore) -> None:
    store.append_new_streams(_streams("i", 2))
    head = store.head_position()

    store.flush()

    assert store.head_position() == head and len(store.read_stream("file-i1")) == 1
