"""Bad input to the store gets a clear error and leaves the log untouched (nothing lost, nothing silent)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from eventstore import EventStore, InvalidAppend, NewEvent
from tests.support.events import metadata, noted


def event_with(data: Any, event_type: str = "Noted") -> NewEvent:
    return NewEvent(event_type, data, date(2022, 5, 4), "unit-cell-1", metadata())


def deeply_nested(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"text": "x"}
    for _ in range(depth):
        value = {"text": "x", "inner": value}
    return value


BAD_APPENDS: list[tuple[str, str, list[Any], int, str]] = [
    (
        "unknown event type",
        "file-1",
        [event_with({"text": "x"}, "MemberTeleported")],
        0,
        "unknown event type",
    ),
    ("float in data", "file-1", [event_with({"text": 1.5})], 0, "float"),
    ("decimal in data", "file-1", [event_with({"text": Decimal("1.5")})], 0, "Decimal"),
    ("set in data", "file-1", [event_with({"text": {"a"}})], 0, "set"),
    ("data not an object", "file-1", [event_with(["text"])], 0, "JSON object"),
    ("data missing a field", "file-1", [event_with({})], 0, "invalid data"),
    ("data of the wrong type", "file-1", [event_with({"text": 12})], 0, "invalid data"),
    ("NUL character", "file-1", [event_with({"text": "a\x00b"})], 0, "NUL"),
    ("nested too deep", "file-1", [event_with(deeply_nested(40))], 0, "nested deeper"),
    ("huge integer", "file-1", [event_with({"text": "x", "n": 2**70})], 0, "64 bits"),
    ("negative expected version", "file-1", [noted()], -1, "expected version"),
    ("empty batch", "file-1", [], 0, "at least one event"),
    ("stream id over the limit", "file-" + "x" * 200, [noted()], 0, "limit is 100"),
    ("stream id without a kind", "lan", [noted()], 0, "kind-identifier"),
    ("not an event", "file-1", ["Noted"], 0, "NewEvent"),
]


@pytest.mark.parametrize(
    ("case", "stream", "events", "expected", "message"), BAD_APPENDS, ids=[c[0] for c in BAD_APPENDS]
)
def test_bad_input_is_refused_clearly_and_leaves_the_log_untouched(
    store: EventStore, case: str, stream: str, events: list[Any], expected: int, message: str
) -> None:
    store.append("file-keep", [noted("kept")], expected_version=0)
    head = store.head_position()

    with pytest.raises(InvalidAppend, match=message):
        store.append(stream, events, expected_version=expected)

    assert store.head_position() == head
    assert len(store.read_all().events) == 1


def test_a_bad_event_in_the_middle_of_a_batch_writes_none_of_the_batch(store: EventStore) -> None:
    with pytest.raises(InvalidAppend, match="event 1"):
        store.append("file-2", [noted("ok"), event_with({"text": 2.5}), noted("ok")], expected_version=0)
    assert store.read_stream("file-2") == []


def test_occurred_on_out_of_range_is_refused(store: EventStore) -> None:
    ancient = NewEvent("Noted", {"text": "x"}, date(1066, 10, 14), "unit-cell-1", metadata())
    with pytest.raises(InvalidAppend, match="occurred_on"):
        store.append("file-3", [ancient], expected_version=0)


def test_an_idempotency_key_with_control_characters_is_refused(store: EventStore) -> None:
    with pytest.raises(InvalidAppend, match="control"):
        store.append("file-4", [noted()], expected_version=0, idempotency_key="key\nsmuggled")
