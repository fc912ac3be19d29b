"""Encrypt then hash (I7, I13): what the log stores of a person, what readers get back, and what is left of
them once their key is destroyed."""

from __future__ import annotations

import msgspec
import pytest

from domain.privacy import ERASED_TEXT
from eventstore import EventStore, open_store
from eventstore.field_cipher import SEALED, FieldCipher
from services.commands.context import CommandContext
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY, keyring_for_tests
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import citizen, enrol, nominate, person

NAME = "Quần Chúng Bình"


@pytest.fixture
def ctx() -> CommandContext:
    store = open_store("memory://", keyring=keyring_for_tests())
    seed_minimal_province(store)
    return CommandContext(store, Bell(), TEST_PERSON_ID_KEY)


def _raw(store: EventStore, stream_id: str) -> list[bytes]:
    return [msgspec.json.encode([e.data, e.metadata]) for e in store.iter_raw() if e.stream_id == stream_id]


def test_the_log_holds_no_name_citizen_id_or_birth_date_in_the_clear(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    stored = b"".join(_raw(ctx.store, person(2)))
    for secret in (NAME, citizen(2), "1985-04-01", "NQ 01", "kinh"):
        assert secret.encode() not in stored
    assert SEALED.encode() in stored
    assert person(1).encode() in stored, "a helper's id is a keyed pseudonym and stays findable"


def test_readers_get_the_fields_back_and_verify_needs_no_key(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    event = ctx.store.read_stream(person(2))[0]
    assert event.data["particulars"]["full_name"] == NAME
    assert event.data["citizen_id"] == citizen(2)
    assert ctx.people.load(ctx.store, person(2)).particulars.full_name == NAME  # type: ignore[union-attr]
    assert ctx.store.verify().ok


def test_an_erased_subject_reads_as_erased_with_its_counted_values_kept(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    cipher = ctx.store.cipher
    assert isinstance(cipher, FieldCipher)
    events = ctx.store.read_stream(person(2))
    residue = cipher.residue_of([(e.stream_version, e.event_type, e.data) for e in events])
    assert residue["1"]["particulars.sex"] == "male" and "particulars.full_name" not in residue["1"]
    cipher.keys.erase([cipher.keys.key_id(person(2))], residue)
    again = ctx.store.read_stream(person(2))[0]
    assert again.data["particulars"]["full_name"] == ERASED_TEXT
    assert again.data["particulars"]["ethnicity"] == "kinh"  # a count by ethnicity stays right
    assert again.data["citizen_id"] == ERASED_TEXT
    assert ctx.store.verify().ok
