"""PostgreSQL's verify walk takes the server's bytes as they come (ids, types and dates go into the envelope
unparsed, each id quoted once) — it must still name every row changed, removed, inserted or moved behind the
application's back, exactly where the one-walk reference (`verify_events`, from decoded events) names it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from eventstore import NewEvent, VerifyReport, open_store, verify_events
from eventstore.postgres import PostgresEventStore
from eventstore.verify_ranges import verify_ranges
from tests.support.events import CODEC, metadata
from tests.support.stores import Backdoor, settle

ODD_UNIT = 'unit-"q"\\\t'
"""A unit id JSON must escape (a quote, a backslash, a tab): its quoting is not the plain one."""
TEXTS = ["Chi bộ họp xét", 'a "quoted" \\ back\nslash', "😀 ngày 01/02/2021", ""]


def event(text: str, unit: str, also: str | None = None) -> NewEvent:
    return NewEvent("Noted", {"text": text}, date(2021, 12, 15), unit, metadata(acting_unit=unit), also_unit_id=also)


@pytest.fixture
def log(postgres_url: str) -> Iterator[tuple[PostgresEventStore, Backdoor, list[int]]]:
    """Three streams interleaved over units plain, Vietnamese and odd, some events with a second unit; a seal
    over all but the last two events."""
    store = open_store(postgres_url, codec=CODEC)
    assert isinstance(store, PostgresEventStore)
    units = ["unit-cell-1", "unit-Hà-Nội", ODD_UNIT]
    positions = []
    for n in range(12):
        also = units[(n + 1) % 3] if n % 4 == 1 else None
        appended = store.append(f"file-{n % 3}", [event(TEXTS[n % 4], units[n % 3], also)], expected_version=n // 3)
        positions.append(appended.last_position)
        if n == 9:
            store.seal()
    settle(store)
    backdoor = Backdoor(postgres_url)
    backdoor.disable_append_only()
    backdoor.execute("ALTER TABLE log_seals DISABLE TRIGGER USER")
    try:
        yield store, backdoor, positions
    finally:
        store.close()


def both_walks(store: PostgresEventStore, url: str) -> tuple[VerifyReport, VerifyReport, VerifyReport]:
    """The reference walk, the fast walk in one range, and in three ranges."""
    settle(store)
    seals = store.seals()
    reference = verify_events(store.iter_raw(), seals)
    one = verify_ranges(url, seals, 1)
    three = verify_ranges(url, seals, 3, executor=ThreadPoolExecutor(3))
    return reference, one, three


def test_an_intact_log_with_odd_ids_and_second_units_verifies(
    log: tuple[PostgresEventStore, Backdoor, list[int]],
) -> None:
    store, backdoor, _ = log

    reference, one, three = both_walks(store, backdoor.url)

    assert reference.ok, reference.summary()
    assert one == three == reference
    assert (one.events_checked, one.streams, one.seals_checked) == (12, 3, 1)


def flip(column: str) -> Callable[[Backdoor, int], object]:
    """One byte of a bytea column changed."""
    return lambda backdoor, position: backdoor.execute(
        f"UPDATE event_log SET {column} = set_byte({column}, 5, get_byte({column}, 5) # 1) WHERE position = %s",
        (position,),
    )


def rewrite(assignment: str) -> Callable[[Backdoor, int], object]:
    return lambda backdoor, position: backdoor.execute(
        f"UPDATE event_log SET {assignment} WHERE position = %s", (position,)
    )


def swap_with_next_of_stream(backdoor: Backdoor, position: int) -> None:
    """Two events of one stream trade places in the log (the second moved before the first)."""
    [(stream, version)] = backdoor.execute(
        "SELECT stream_id, stream_version FROM event_log WHERE position = %s", (position,)
    )
    [(later,)] = backdoor.execute(
        "SELECT position FROM event_log WHERE stream_id = %s AND stream_version = %s", (stream, version + 1)
    )
    for old, new in ((position, -1), (later, position), (-1, later)):
        backdoor.execute("UPDATE event_log SET position = %s WHERE position = %s", (new, old))


def swap_with_neighbour(backdoor: Backdoor, position: int) -> None:
    """An event and the next one in the log (another stream's) trade positions: every chain still holds."""
    [(later,)] = backdoor.execute("SELECT min(position) FROM event_log WHERE position > %s", (position,))
    for old, new in ((position, -1), (later, position), (-1, later)):
        backdoor.execute("UPDATE event_log SET position = %s WHERE position = %s", (new, old))


def delete(backdoor: Backdoor, position: int) -> None:
    backdoor.execute("DELETE FROM event_log WHERE position = %s", (position,))


TAMPERING: dict[str, tuple[Callable[[Backdoor, int], object], int, str]] = {
    # name: (how, index of the event tampered with, kind of problem named)
    "one byte of data": (
        rewrite("data = jsonb_set(data, '{text}', to_jsonb('X' || substr(data->>'text', 2)))"),
        4,
        "changed",
    ),
    "one byte of metadata": (rewrite("metadata = jsonb_set(metadata, '{role}', '\"cell_secretarz\"')"), 5, "changed"),
    "one byte of the hash": (flip("hash"), 6, "changed"),
    "one byte of the previous hash": (flip("prev_hash"), 7, "inserted"),
    "the odd unit id": (rewrite("unit_id = 'unit-\"q\"\\' || chr(9) || 'x'"), 2, "changed"),
    "the event type": (rewrite("event_type = 'Counted'"), 3, "changed"),
    "the schema version": (rewrite("schema_version = 2"), 3, "changed"),
    "recorded one microsecond later": (rewrite("recorded_at = recorded_at + interval '1 microsecond'"), 8, "changed"),
    "a second unit added": (rewrite("also_unit_id = 'unit-cell-1'"), 2, "changed"),
    "a second unit removed": (rewrite("also_unit_id = NULL"), 5, "changed"),
    "the stream renamed": (rewrite("stream_id = 'file-9'"), 4, "removed"),
    "a stream's events reordered": (swap_with_next_of_stream, 3, "removed"),
    "a deleted row": (delete, 4, "removed"),
}


@pytest.mark.parametrize("name", list(TAMPERING))
def test_a_tampered_row_is_named_where_the_reference_names_it(
    log: tuple[PostgresEventStore, Backdoor, list[int]], name: str
) -> None:
    store, backdoor, positions = log
    how, index, kind = TAMPERING[name]
    how(backdoor, positions[index])

    reference, one, three = both_walks(store, backdoor.url)

    assert one == three == reference
    assert one.problem is not None and one.problem.kind == kind, one.summary()
    assert one.problem.position in positions[index : index + 4]


@pytest.mark.parametrize("how", [swap_with_neighbour, delete])
def test_a_sealed_row_moved_or_removed_is_caught_by_the_seal(
    log: tuple[PostgresEventStore, Backdoor, list[int]], how: Callable[[Backdoor, int], object]
) -> None:
    """Two sealed events of other streams trading places, or the sealed last event of a stream removed: no
    chain notices, only the seal."""
    store, backdoor, positions = log
    how(backdoor, positions[9 if how is delete else 8])

    reference, one, three = both_walks(store, backdoor.url)

    assert one == three == reference
    assert one.problem is not None and one.problem.kind == "seal", one.summary()
