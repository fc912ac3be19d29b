"""I7: hashes, chains and seals name the first row changed, removed or inserted behind the app's back."""

from __future__ import annotations

from datetime import date

from eventstore import EventStore, NewEvent, verify_store
from tests.support.events import metadata, noted
from tests.support.tampering import Tamperer


def fill(store: EventStore) -> list[int]:
    """Three streams interleaved, so a tampered row sits between untouched ones."""
    positions = []
    for round_ in range(3):
        for stream in ("file-a", "file-b", "file-c"):
            result = store.append(stream, [noted(f"{stream}:{round_}")], expected_version=round_)
            positions.append(result.last_position)
    return positions


def test_an_untouched_log_verifies(store: EventStore) -> None:
    fill(store)
    store.seal()
    store.append("file-d", [noted()], expected_version=0)
    store.seal()

    report = verify_store(store)

    assert report.ok, report.summary()
    assert (report.events_checked, report.streams, report.seals_checked) == (10, 4, 2)
    assert "log intact" in report.summary()


def test_a_changed_row_is_named(store: EventStore, tamper: Tamperer) -> None:
    positions = fill(store)
    tamper.rewrite(positions[4], data={"text": "forged"})

    report = verify_store(store)

    assert report.problem is not None
    assert (report.problem.position, report.problem.kind) == (positions[4], "changed")


def test_a_changed_occurred_on_is_named(store: EventStore, tamper: Tamperer) -> None:
    positions = fill(store)
    tamper.rewrite(positions[2], occurred_on=date(2020, 1, 1))

    report = verify_store(store)

    assert report.problem is not None and report.problem.position == positions[2]


def test_a_removed_row_is_named(store: EventStore, tamper: Tamperer) -> None:
    positions = fill(store)
    tamper.remove(positions[4])

    report = verify_store(store)

    assert report.problem is not None
    assert report.problem.kind == "removed"
    assert report.problem.position == positions[7]  # file-b's next event no longer follows on


def test_a_removed_stream_tail_is_caught_by_the_seal(store: EventStore, tamper: Tamperer) -> None:
    positions = fill(store)
    store.seal()
    tamper.remove(positions[-1])

    report = verify_store(store)

    assert report.problem is not None and report.problem.kind in {"removed", "seal"}


def test_an_inserted_row_is_named(store: EventStore, tamper: Tamperer) -> None:
    positions = fill(store)
    tamper.insert_copy(positions[1], at=positions[-1] + 1, stream_version=4)  # a fourth "file-b": its first, copied

    report = verify_store(store)

    assert report.problem is not None
    assert report.problem.kind == "inserted"
    assert report.problem.position == positions[-1] + 1


def test_a_row_rewritten_with_a_recomputed_hash_breaks_the_seal(store: EventStore, tamper: Tamperer) -> None:
    """A tamperer who recomputes the row's own hash still cannot match the seal printed earlier."""
    positions = fill(store)
    seal = store.seal()
    assert seal is not None
    last = positions[-1]  # file-c's last event: no later event chains onto it
    tamper.rewrite(last, hash=b"\x01" * 32)

    report = verify_store(store)

    assert report.problem is not None and report.problem.position == last


def test_a_changed_second_unit_is_named(store: EventStore, tamper: Tamperer) -> None:
    move = NewEvent("Noted", {"text": "move"}, date(2023, 3, 1), "unit-a", metadata(), also_unit_id="unit-b")
    result = store.append("file-m", [move], expected_version=0)
    tamper.rewrite(result.last_position, also_unit_id="unit-c")

    report = verify_store(store)

    assert report.problem is not None
    assert (report.problem.position, report.problem.kind) == (result.last_position, "changed")
