"""I3: a retry appends nothing and gets the first answer; a key reused for other content is refused."""

from __future__ import annotations

import pytest

from eventstore import EventStore, IdempotencyKeyReused
from tests.support.events import noted


def test_same_key_same_content_returns_the_first_result_and_appends_nothing(store: EventStore) -> None:
    first = store.append("file-k", [noted("vote")], expected_version=0, idempotency_key="req-1")
    head = store.head_position()

    again = store.append("file-k", [noted("vote")], expected_version=0, idempotency_key="req-1")

    assert again.duplicate and not first.duplicate
    assert (again.first_position, again.last_position, again.stream_version) == (
        first.first_position,
        first.last_position,
        first.stream_version,
    )
    assert store.head_position() == head
    assert len(store.read_stream("file-k")) == 1


def test_a_retry_is_recognised_even_after_the_stream_moved_on(store: EventStore) -> None:
    first = store.append("file-l", [noted("one")], expected_version=0, idempotency_key="req-2")
    store.append("file-l", [noted("two")], expected_version=1)

    again = store.append("file-l", [noted("one")], expected_version=0, idempotency_key="req-2")

    assert again.duplicate and again.first_position == first.first_position


def test_same_key_different_content_is_refused_and_writes_nothing(store: EventStore) -> None:
    store.append("file-m", [noted("yes")], expected_version=0, idempotency_key="req-3")
    head = store.head_position()

    with pytest.raises(IdempotencyKeyReused):
        store.append("file-m", [noted("no")], expected_version=1, idempotency_key="req-3")
    with pytest.raises(IdempotencyKeyReused):
        store.append("file-other", [noted("yes")], expected_version=0, idempotency_key="req-3")

    assert store.head_position() == head
    assert store.read_stream("file-other") == []


def test_the_key_is_recorded_in_the_event_metadata(store: EventStore) -> None:
    store.append("file-n", [noted()], expected_version=0, idempotency_key="req-4")
    assert store.read_stream("file-n")[0].metadata["idempotency_key"] == "req-4"


def test_a_conflicting_append_does_not_burn_its_key(store: EventStore) -> None:
    store.append("file-o", [noted()], expected_version=0)
    with pytest.raises(Exception, match="version"):
        store.append("file-o", [noted("x")], expected_version=0, idempotency_key="req-5")
    result = store.append("file-o", [noted("x")], expected_version=1, idempotency_key="req-5")
    assert not result.duplicate and result.stream_version == 2
