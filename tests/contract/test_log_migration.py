"""Encrypting a log written before encryption (issue 20; I7, I13, I14): a plaintext log, seeded through the use
cases, re-written into a new keyed log whose first seal binds the old log's last seal — on SQLite and
PostgreSQL (and memory), with the old log never written and a bad start leaving the new log empty."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import msgspec
import pytest

from domain.codec import EVENTS
from domain.ledger_migration import MIGRATION_STREAM_ID, LogMigrated
from domain.privacy import ERASED_TEXT
from eventstore import EventMetadata, EventStore, RecordedEvent, open_store
from eventstore.errors import NotEmpty
from eventstore.field_cipher import SEALED, FieldCipher
from eventstore.migration import MigrationRefused, RecordOrigin, migrate_log
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY, keyring_for_tests
from tests.support.stores import Backdoor, settle
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import citizen, enrol, nominate, person

NAME = "Quần Chúng Bình"
ORIGIN = RecordOrigin(
    "unit-province",
    date(2026, 12, 7),
    EventMetadata("partyledger-migrate-log", "unit-province", "provincial_admin", "qd294-2025", "migration-test"),
)


@dataclass(frozen=True)
class Logs:
    old: str
    new: str


SQL_ADAPTERS = ["sqlite", "postgres"]


@pytest.fixture(params=["memory", *SQL_ADAPTERS])
def logs(request: pytest.FixtureRequest, tmp_path: Path) -> Logs:
    if request.param == "postgres":
        return Logs(request.getfixturevalue("postgres_url"), request.getfixturevalue("other_database"))
    if request.param == "memory":
        return Logs("memory://", "memory://")
    return Logs(f"sqlite:///{tmp_path / 'old.sqlite3'}", f"sqlite:///{tmp_path / 'new.sqlite3'}")


@pytest.fixture
def plaintext(logs: Logs) -> Iterator[EventStore]:
    """A log written before encryption: opened without keys, people recorded through the use cases, sealed."""
    store = open_store(logs.old)
    seed_minimal_province(store)
    ctx = CommandContext(store, Bell(), TEST_PERSON_ID_KEY)
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    settle(store)
    store.seal()
    yield store
    store.close()


@pytest.fixture
def keyed(logs: Logs) -> Iterator[EventStore]:
    store = open_store(logs.new, keyring=keyring_for_tests())
    yield store
    store.close()


def _stored(store: EventStore) -> bytes:
    return b"".join(msgspec.json.encode([e.data, e.metadata]) for e in store.iter_raw())


def _envelope(event: RecordedEvent) -> tuple[object, ...]:
    """Everything a reader gets but the position and the hashes, which the migration renews."""
    return (
        event.stream_id,
        event.stream_version,
        event.unit_id,
        event.also_unit_id,
        event.event_type,
        event.schema_version,
        event.data,
        event.metadata,
        event.occurred_on,
        event.recorded_at,
    )


def _lean(store: EventStore, unit: str) -> list[tuple[object, ...]]:
    """A unit's events as a read model gets them: opened, then decoded into today's classes."""
    return [
        (e.stream_id, e.stream_version, e.occurred_on, e.recorded_at, e.also_unit_id,
         EVENTS.decode_json(e.event_type, e.schema_version,
                            store.cipher.open_json(e.stream_id, e.stream_version, e.event_type, e.data_json)))
        for e in store.read_unit(unit, limit=10_000)
        if e.stream_id != MIGRATION_STREAM_ID
    ]  # fmt: skip


def _every_event(store: EventStore) -> list[RecordedEvent]:
    settle(store)
    return store.read_all(limit=10_000).events


def test_the_new_log_holds_no_personal_data_in_the_clear_and_reads_the_same(
    plaintext: EventStore, keyed: EventStore
) -> None:
    assert NAME.encode() in _stored(plaintext) and citizen(2).encode() in _stored(plaintext)
    before = _every_event(plaintext)

    done = migrate_log(plaintext, keyed, ORIGIN)

    stored = _stored(keyed)
    for secret in (NAME, citizen(1), citizen(2), "1985-04-01", "NQ 01"):
        assert secret.encode() not in stored
    assert SEALED.encode() in stored
    after = _every_event(keyed)
    assert [_envelope(e) for e in after[1:]] == [_envelope(e) for e in before]
    assert [e.position for e in after] == list(range(1, len(before) + 2))
    for stream in {e.stream_id for e in before}:
        old_stream, new_stream = plaintext.read_stream(stream), keyed.read_stream(stream)
        assert [_envelope(e) for e in new_stream] == [_envelope(e) for e in old_stream]
    for unit, _ in plaintext.unit_heads().items():
        assert _lean(keyed, unit) == _lean(plaintext, unit), "the read models read the same events"
    found = CommandContext(keyed, Bell(), TEST_PERSON_ID_KEY).people.load(keyed, person(2))
    assert found is not None and found.particulars is not None and found.particulars.full_name == NAME
    assert done.events == len(before)
    assert keyed.verify().ok


def test_the_new_logs_first_seal_binds_the_old_logs_last_seal(plaintext: EventStore, keyed: EventStore) -> None:
    old_seal = plaintext.seals()[-1]
    old_head, old_rows = plaintext.head_position(), _stored(plaintext)

    done = migrate_log(plaintext, keyed, ORIGIN)

    record = keyed.read_stream(MIGRATION_STREAM_ID)[0]
    assert record.position == 1 and record.event_type == LogMigrated.event_type
    assert record.data["previous_seal_hash"] == old_seal.seal_hash.hex()
    assert record.data["previous_up_to_position"] == old_seal.up_to_position == old_head
    assert record.data["previous_seal_number"] == old_seal.seal_number
    assert record.data["migrated_events"] == done.events
    first = keyed.seals()
    assert len(first) == 1 and first[0] == done.first_seal
    assert first[0].up_to_position == keyed.head_position() and first[0].event_count == done.events + 1
    report = keyed.verify()
    assert report.ok and report.seals_checked == 1, report.summary()
    assert plaintext.seals()[-1] == old_seal and plaintext.head_position() == old_head
    assert _stored(plaintext) == old_rows, "the old log is only read"


def test_appends_after_the_migration_continue_the_log(plaintext: EventStore, keyed: EventStore) -> None:
    migrate_log(plaintext, keyed, ORIGIN)
    ctx = CommandContext(keyed, Bell(), TEST_PERSON_ID_KEY)
    recorded = enrol(ctx, 3)
    assert recorded.last_position > keyed.seals()[0].up_to_position
    assert keyed.seal() is not None
    assert keyed.verify().ok
    assert citizen(3).encode() not in _stored(keyed)


def test_a_target_that_is_not_empty_is_refused(plaintext: EventStore, keyed: EventStore) -> None:
    seed_minimal_province(keyed)
    rows = _stored(keyed)
    with pytest.raises(NotEmpty):
        migrate_log(plaintext, keyed, ORIGIN)
    assert _stored(keyed) == rows


def test_a_log_with_events_after_its_last_seal_is_refused_and_nothing_written(
    plaintext: EventStore, keyed: EventStore
) -> None:
    enrol(CommandContext(plaintext, Bell(), TEST_PERSON_ID_KEY), 4)
    with pytest.raises(MigrationRefused, match="after its last seal"):
        migrate_log(plaintext, keyed, ORIGIN)
    assert keyed.head_position() == 0 and keyed.seals() == []


@pytest.mark.parametrize("logs", SQL_ADAPTERS, indirect=True)  # rows rewritten behind the application's back
def test_a_log_that_does_not_verify_is_refused(plaintext: EventStore, keyed: EventStore, logs: Logs) -> None:
    backdoor = Backdoor(logs.old)
    backdoor.disable_append_only()
    position = plaintext.read_stream(person(2))[0].position
    backdoor.execute("UPDATE event_log SET occurred_on = %s WHERE position = %s", ("2021-03-02", position))
    with pytest.raises(MigrationRefused, match="does not verify"):
        migrate_log(plaintext, keyed, ORIGIN)
    assert keyed.head_position() == 0 and keyed.seals() == []


@pytest.mark.parametrize("logs", SQL_ADAPTERS, indirect=True)  # a memory log cannot be opened again with keys
def test_a_log_upgraded_in_place_keeps_its_sealed_events_and_its_erasures(logs: Logs, keyed: EventStore) -> None:
    """Plaintext events from before encryption, sealed ones after, and a person erased since: the erased
    person's plaintext leaves the log for good, the sealed events keep their ciphertexts (their keys copied)."""
    old = open_store(logs.old)
    seed_minimal_province(old)
    ctx = CommandContext(old, Bell(), TEST_PERSON_ID_KEY)
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    old.close()
    upgraded = open_store(logs.old, keyring=keyring_for_tests())
    try:
        enrol(CommandContext(upgraded, Bell(), TEST_PERSON_ID_KEY), 3)
        cipher = upgraded.cipher
        assert isinstance(cipher, FieldCipher)
        events = upgraded.read_stream(person(2))
        cipher.keys.erase(
            [cipher.keys.key_id(person(2))],
            cipher.residue_of([(e.stream_version, e.event_type, e.data) for e in events]),
        )
        settle(upgraded)
        upgraded.seal()
        sealed_before = [e.data[SEALED] for e in upgraded.iter_raw() if e.stream_id == person(3)]

        migrate_log(upgraded, keyed, ORIGIN)
    finally:
        upgraded.close()

    stored = _stored(keyed)
    assert NAME.encode() not in stored and citizen(2).encode() not in stored
    erased = keyed.read_stream(person(2))[0]
    assert erased.data["particulars"]["full_name"] == ERASED_TEXT
    assert erased.data["particulars"]["ethnicity"] == "kinh"  # the counts stay right
    assert [e.data[SEALED] for e in keyed.iter_raw() if e.stream_id == person(3)] == sealed_before
    assert keyed.read_stream(person(3))[0].data["citizen_id"] == citizen(3)
    assert keyed.read_stream(person(1))[0].data["citizen_id"] == citizen(1)
    assert keyed.verify().ok
