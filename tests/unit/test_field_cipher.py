"""Encrypt then hash (I7, I13): what the log stores of a person, what readers get back, and what is left of
them once their key is destroyed."""

from __future__ import annotations

import secrets

import msgspec
import pytest

from domain.privacy import ERASED_TEXT
from eventstore import EventStore, open_store
from eventstore.field_cipher import SEALED, FieldCipher, _sealed_key_ids
from eventstore.subject_keys import KeyEncryptionKeys, KeyNotUnwrapped, wrap_rfc3394
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


def test_a_subject_key_unwraps_only_with_its_kek_whichever_format_wrapped_it() -> None:
    """Keys are wrapped with AES-256-GCM under the KEK; those wrapped by RFC 3394 before still open (I13)."""
    keks = KeyEncryptionKeys.from_secrets("a" * 40)
    other = KeyEncryptionKeys.from_secrets("b" * 40)
    key = secrets.token_bytes(32)
    for wrapped in (keks.wrap(key), wrap_rfc3394(keks, key)):
        assert keks.unwrap(wrapped, keks.current_id) == key
        with pytest.raises(KeyNotUnwrapped):
            KeyEncryptionKeys(other.current, (keks.current,)).unwrap(wrapped, other.current_id)
    tampered = bytearray(keks.wrap(key))
    tampered[20] ^= 1
    with pytest.raises(KeyNotUnwrapped):
        keks.unwrap(bytes(tampered), keks.current_id)
    assert keks.wrap(key) != keks.wrap(key), "a fresh nonce for every wrap"


def test_a_page_prefetch_finds_the_key_ids_in_the_stored_text_as_either_database_spells_it() -> None:
    """The prefetch reads key ids off the text (no decode); it must find exactly the `_sealed` object's keys."""
    ids = ["0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"]
    data = {"note": '"_sealed": {"x": 1}', SEALED: {ids[0]: "AAAA-_==", ids[1]: "BBBB"}, "z": {"a": 1}}
    canonical = msgspec.json.encode(data, order="sorted")
    spaced = canonical.replace(b'":', b'": ').replace(b",", b", ")  # PostgreSQL's jsonb text
    for text in (canonical, spaced, spaced.decode()):
        assert _sealed_key_ids(text) == ids
