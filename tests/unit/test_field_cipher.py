"""Encrypt then hash (I7, I13): what the log stores of a person, what readers get back, and what is left of
them once their key is destroyed."""

from __future__ import annotations

import secrets

import msgspec
import pytest

from domain.privacy import ERASED_TEXT
from eventstore import EventStore, open_store
from eventstore.field_cipher import NO_CIPHER, SEALED, FieldCipher, KeyMissing, SealBroken, _holds_seal, _sealed_key_ids
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


def test_a_page_opens_as_each_event_opens_alone_and_a_lost_key_fails_only_its_own_events(
    ctx: CommandContext,
) -> None:
    """The runner opens a page in one pass (`open_page`, one key query); what it gets must be what opening each
    event alone gives, and a subject whose key is missing must park at its own events, not the page (I13)."""
    enrol(ctx, 1)
    nominate(ctx, 2, person(1))
    cipher = ctx.store.cipher
    assert isinstance(cipher, FieldCipher)
    units = {e.unit_id for e in ctx.store.iter_raw() if e.stream_id in (person(1), person(2))}
    page = [e for unit in sorted(units) for e in ctx.store.read_unit(unit).events]
    opened = cipher.open_page(page)
    assert {e.position for e in page} == set(opened)
    for e in page:
        alone = cipher.open_json(e.stream_id, e.stream_version, e.event_type, e.data_json)
        assert msgspec.json.decode(opened[e.position]) == msgspec.json.decode(alone)  # type: ignore[arg-type]
    assert any(NAME in str(msgspec.json.decode(v)) for v in opened.values() if not isinstance(v, Exception))

    lost = cipher.keys.key_id(person(2))
    del cipher.keys.table.rows[lost]  # type: ignore[attr-defined]  # a keys backup restored without it
    cipher.forget_all()
    again = cipher.open_page(page)
    assert any(_holds_seal(e.data_json) for e in page if e.stream_id == person(2))
    for e in page:
        if e.stream_id == person(2) and _holds_seal(e.data_json):
            assert isinstance(again[e.position], KeyMissing)
        elif e.stream_id == person(1):
            assert not isinstance(again[e.position], Exception)


def test_a_page_of_sealed_events_is_refused_event_by_event_by_a_process_without_keys(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    units = {e.unit_id for e in ctx.store.iter_raw() if e.stream_id == person(1)}
    page = [e for unit in sorted(units) for e in ctx.store.read_unit(unit).events]
    opened = NO_CIPHER.open_page(page)
    sealed = [e for e in page if _holds_seal(e.data_json)]
    assert sealed and all(isinstance(opened[e.position], SealBroken) for e in sealed)
    assert all(opened[e.position] == e.data_json for e in page if e not in sealed)
