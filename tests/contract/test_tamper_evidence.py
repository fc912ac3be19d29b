"""I7: hashes, chains and seals name the first row changed, removed or inserted behind the app's back."""

from __future__ import annotations

from eventstore import EventStore, verify_store
from eventstore.canonical import canonical_json
from tests.support.events import noted
from tests.support.stores import Backdoor


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


def test_a_changed_row_is_named(store: EventStore, backdoor: Backdoor) -> None:
    positions = fill(store)
    backdoor.disable_append_only()
    backdoor.execute(
        "UPDATE event_log SET data = %s WHERE position = %s",
        (canonical_json({"text": "forged"}).decode(), positions[4]),
    )

    report = verify_store(store)

    assert report.problem is not None
    assert (report.problem.position, report.problem.kind) == (positions[4], "changed")


def test_a_changed_occurred_on_is_named(store: EventStore, backdoor: Backdoor) -> None:
    positions = fill(store)
    backdoor.disable_append_only()
    backdoor.execute("UPDATE event_log SET occurred_on = '2020-01-01' WHERE position = %s", (positions[2],))

    report = verify_store(store)

    assert report.problem is not None and report.problem.position == positions[2]


def test_a_removed_row_is_named(store: EventStore, backdoor: Backdoor) -> None:
    positions = fill(store)
    backdoor.disable_append_only()
    backdoor.execute("DELETE FROM event_log WHERE position = %s", (positions[4],))

    report = verify_store(store)

    assert report.problem is not None
    assert report.problem.kind == "removed"
    assert report.problem.position == positions[7]  # file-b's next event no longer follows on


def test_a_removed_stream_tail_is_caught_by_the_seal(store: EventStore, backdoor: Backdoor) -> None:
    positions = fill(store)
    store.seal()
    backdoor.disable_append_only()
    backdoor.execute("DELETE FROM event_log WHERE position = %s", (positions[-1],))

    report = verify_store(store)

    assert report.problem is not None and report.problem.kind in {"removed", "seal"}


def test_an_inserted_row_is_named(store: EventStore, backdoor: Backdoor) -> None:
    positions = fill(store)
    backdoor.disable_append_only()
    row = backdoor.execute("SELECT * FROM event_log WHERE position = %s", (positions[1],))[0]
    forged = list(row)
    forged[0] = positions[-1] + 1  # a fourth "file-b" event, copied from its first one
    forged[2] = 4
    forged[6:8] = [canonical_json(value).decode() if isinstance(value, dict) else value for value in forged[6:8]]
    backdoor.execute("INSERT INTO event_log VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", tuple(forged))

    report = verify_store(store)

    assert report.problem is not None
    assert report.problem.kind == "inserted"
    assert report.problem.position == positions[-1] + 1


def test_a_row_rewritten_with_a_recomputed_hash_breaks_the_seal(store: EventStore, backdoor: Backdoor) -> None:
    """A tamperer who recomputes the row's own hash still cannot match the seal printed earlier."""
    positions = fill(store)
    seal = store.seal()
    assert seal is not None
    backdoor.disable_append_only()
    last = positions[-1]  # file-c's last event: no later event chains onto it
    backdoor.execute("UPDATE event_log SET hash = %s WHERE position = %s", (b"\x01" * 32, last))

    report = verify_store(store)

    assert report.problem is not None and report.problem.position == last


def test_a_changed_second_unit_is_named(store: EventStore, backdoor: Backdoor) -> None:
    from datetime import date

    from eventstore import NewEvent
    from tests.support.events import metadata

    move = NewEvent("Noted", {"text": "move"}, date(2023, 3, 1), "unit-a", metadata(), also_unit_id="unit-b")
    result = store.append("file-m", [move], expected_version=0)
    backdoor.disable_append_only()
    backdoor.execute("UPDATE event_log SET also_unit_id = 'unit-c' WHERE position = %s", (result.last_position,))

    report = verify_store(store)

    assert report.problem is not None
    assert (report.problem.position, report.problem.kind) == (result.last_position, "changed")
