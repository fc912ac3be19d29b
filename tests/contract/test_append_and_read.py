"""The log's contract for appending and reading (DESIGN §3, I2, I4, I9), for every adapter."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from eventstore import EventMetadata, EventStore, InvalidAppend, NewEvent, WrongExpectedVersion, verify_store
from tests.support.events import metadata, noted, texts
from tests.support.stores import settle


def test_appended_events_read_back_with_the_whole_envelope(store: EventStore) -> None:
    meta = EventMetadata(
        actor="user-lan",
        acting_unit="unit-cell-2",
        role="cell_secretary",
        rule_set="qd294-2025",
        correlation_id="corr-1",
        causation_id="cause-1",
        client="dashboard",
        document_ref="NQ 12-NQ/CB",
    )
    before = datetime.now(UTC)
    event = NewEvent("Noted", {"text": "Nguyễn Thị Lan"}, date(2021, 12, 31), "unit-cell-2", meta)

    result = store.append("file-lan", [event], expected_version=0)

    [read] = store.read_stream("file-lan")
    assert (result.stream_version, read.stream_version, read.position) == (1, 1, result.first_position)
    assert read.data == {"text": "Nguyễn Thị Lan"}
    assert read.occurred_on == date(2021, 12, 31)
    assert before - timedelta(seconds=1) <= read.recorded_at <= datetime.now(UTC) + timedelta(seconds=1)
    assert read.unit_id == "unit-cell-2"
    assert read.metadata == {
        "actor": "user-lan",
        "acting_unit": "unit-cell-2",
        "role": "cell_secretary",
        "rule_set": "qd294-2025",
        "correlation_id": "corr-1",
        "causation_id": "cause-1",
        "client": "dashboard",
        "document_ref": "NQ 12-NQ/CB",
    }


def test_a_batch_gets_consecutive_versions_and_increasing_positions(store: EventStore) -> None:
    result = store.append("file-a", [noted("1"), noted("2"), noted("3")], expected_version=0)

    events = store.read_stream("file-a")
    assert [e.stream_version for e in events] == [1, 2, 3]
    assert [e.data["text"] for e in events] == ["1", "2", "3"]
    positions = [e.position for e in events]
    assert positions == sorted(positions) and len(set(positions)) == 3
    assert (result.first_position, result.last_position, result.stream_version) == (
        positions[0],
        positions[-1],
        3,
    )


def test_stale_expected_version_is_refused_with_the_current_version_and_writes_nothing(
    store: EventStore,
) -> None:
    store.append("file-b", [noted("first"), noted("second")], expected_version=0)
    head = store.head_position()

    with pytest.raises(WrongExpectedVersion) as refused:
        store.append("file-b", [noted("late")], expected_version=1)

    assert (refused.value.current, refused.value.expected) == (2, 1)
    assert [e.data["text"] for e in store.read_stream("file-b")] == ["first", "second"]
    assert store.head_position() == head


def test_expected_version_ahead_of_the_stream_is_refused(store: EventStore) -> None:
    with pytest.raises(WrongExpectedVersion) as refused:
        store.append("file-c", [noted()], expected_version=3)
    assert refused.value.current == 0
    assert store.read_stream("file-c") == []


def test_creating_a_stream_that_exists_is_a_conflict(store: EventStore) -> None:
    store.append("file-d", [noted()], expected_version=0)
    with pytest.raises(WrongExpectedVersion):
        store.append("file-d", [noted()], expected_version=0)
    assert store.stream_version("file-d") == 1


def test_read_streams_answers_several_streams_after_their_versions_at_once(store: EventStore) -> None:
    store.append("file-a", [noted("1"), noted("2"), noted("3")], expected_version=0)
    store.append("file-b", [noted("4")], expected_version=0)

    found = store.read_streams({"file-a": 1, "file-b": 1, "file-none": 0})

    assert {stream: [e.data["text"] for e in events] for stream, events in found.items()} == {
        "file-a": ["2", "3"],
        "file-b": [],
        "file-none": [],
    }


def test_read_unit_returns_only_that_units_events_after_the_checkpoint(store: EventStore) -> None:
    store.append("file-e", [noted("a", unit="unit-x"), noted("b", unit="unit-y")], expected_version=0)
    store.append("file-f", [noted("c", unit="unit-x")], expected_version=0)

    page = store.read_unit("unit-x")
    assert texts(page) == ["a", "c"]
    later = store.read_unit("unit-x", after_position=page.events[0].position)
    assert texts(later) == ["c"]
    assert store.read_unit("unit-x", after_position=page.reached).events == []


def test_read_units_gives_each_unit_its_own_page_after_its_own_position(store: EventStore) -> None:
    """What a worker catching up a group of units reads in one round trip: the same pages as one read each."""
    first = store.append("file-m", [noted("a", unit="unit-x"), noted("b", unit="unit-y")], expected_version=0)
    later = [noted("c", unit="unit-x"), noted("d", unit="unit-y"), noted("e", unit="unit-x")]
    store.append("file-n", later, expected_version=0)
    after = {"unit-x": first.first_position, "unit-y": 0, "unit-none": 0}
    settle(store)  # on a shared cluster another database's transaction may hold the horizon for a moment
    head = store.head_position()

    pages = store.read_units(after, limit=2)
    one_by_one = {unit: store.read_unit(unit, after_position=at, limit=2) for unit, at in after.items()}

    assert {unit: texts(page) for unit, page in pages.items()} == {
        "unit-x": ["c", "e"],
        "unit-y": ["b", "d"],
        "unit-none": [],
    }
    assert {u: p.events for u, p in pages.items()} == {u: p.events for u, p in one_by_one.items()}
    # `reached` follows the horizon, which only moves forward: a later read reaches at least as far
    assert all(pages[u].reached <= one_by_one[u].reached for u in after)
    assert pages["unit-none"].reached >= head  # an idle unit still moves on
    assert store.read_units({}) == {}


def test_read_all_pages_through_the_log_in_position_order(store: EventStore) -> None:
    for number in range(7):
        store.append(f"file-{number}", [noted(str(number))], expected_version=0)

    seen: list[str] = []
    checkpoint = 0
    while True:
        page = store.read_all(after_position=checkpoint, limit=3)
        if not page.events:
            break
        seen += [e.data["text"] for e in page]
        checkpoint = page.reached
    assert seen == [str(n) for n in range(7)]


def test_an_idle_reader_still_moves_its_checkpoint_to_the_head(store: EventStore) -> None:
    result = store.append("file-g", [noted(unit="unit-busy")], expected_version=0)
    page = store.read_unit("unit-quiet")
    assert page.events == []
    assert page.reached >= result.last_position


def test_head_position_is_the_last_appended_position(store: EventStore) -> None:
    assert store.head_position() == 0
    result = store.append("file-h", [noted(), noted()], expected_version=0)
    assert store.head_position() == result.last_position


def test_correlation_metadata_is_kept_per_event(store: EventStore) -> None:
    first = NewEvent("Counted", {"count": 1}, date(2022, 1, 3), "unit-a", metadata(correlation_id="c-9"))
    store.append("tally-1", [first], expected_version=0)
    assert store.read_stream("tally-1")[0].metadata["correlation_id"] == "c-9"


def test_unit_heads_name_each_units_last_position(store: EventStore) -> None:
    first = store.append("file-u1", [noted(unit="unit-a"), noted(unit="unit-b")], expected_version=0)
    second = store.append("file-u2", [noted(unit="unit-a")], expected_version=0)

    assert store.unit_heads() == {"unit-a": second.last_position, "unit-b": first.last_position}
    assert [store.unit_head(u) for u in ("unit-a", "unit-b", "unit-none")] == [
        second.last_position,
        first.last_position,
        0,
    ]


def test_an_event_naming_a_second_unit_is_read_by_both_units(store: EventStore) -> None:
    """A person moving from one cell to another: both cells' read models must see the move."""
    move = NewEvent(
        "Noted", {"text": "chuyển sinh hoạt"}, date(2023, 3, 1), "unit-from", metadata(), also_unit_id="unit-to"
    )
    result = store.append("file-move", [noted("before", unit="unit-from"), move], expected_version=0)
    store.append("file-move", [noted("after", unit="unit-to")], expected_version=2)

    assert texts(store.read_unit("unit-from")) == ["before", "chuyển sinh hoạt"]
    assert texts(store.read_unit("unit-to")) == ["chuyển sinh hoạt", "after"]
    assert [e.data["text"] for e in store.unit_history("unit-to")] == ["chuyển sinh hoạt", "after"]
    assert [e.data["text"] for e in store.unit_history("unit-from", after_position=result.first_position)] == [
        "chuyển sinh hoạt"
    ]
    assert store.read_stream("file-move")[1].also_unit_id == "unit-to"
    assert store.unit_heads()["unit-from"] == result.last_position
    assert verify_store(store).ok


def test_a_second_unit_equal_to_the_first_is_refused(store: EventStore) -> None:
    same = NewEvent("Noted", {"text": "x"}, date(2023, 3, 1), "unit-a", metadata(), also_unit_id="unit-a")
    with pytest.raises(InvalidAppend, match="also_unit_id"):
        store.append("file-same", [same], expected_version=0)
