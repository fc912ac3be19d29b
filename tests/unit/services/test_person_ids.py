"""Person ids that cannot be reversed, and the keyed citizen index that finds a person by number (issue 18.6).

Was: a person's id was SHA-256("partyledger-person:" + citizen ID), reversed from the sex and birth year any
viewer sees. Now it is keyed with a deployment secret, and a number is found through a keyed index rebuilt
from the log, so a log written with the old ids still finds its people after the upgrade.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.identity import PROVINCE_CODES, parse_citizen_id
from eventstore import EventStore, open_store
from services.commands.context import CommandContext
from services.commands.person_ids import PERSON_ID, CitizenIndex, MissingPersonKey, PersonIdKey
from services.commands.walls import FiledElsewhere
from services.embedded import seed_minimal_province
from services.settings import PERSON_KEY_FILE, Settings, SettingsError
from tests.support.person_ids import TEST_PERSON_ID_KEY, person_id_of
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import NEIGHBOUR, SECRETARY, citizen, enrol, nominate, particulars, person, take

OTHER_KEY = PersonIdKey.from_text("another-deployment-s-person-id-key-0002")


def unsalted(citizen_id: str) -> str:
    """The id an older release gave a person (kept only to build logs of that release)."""
    return "person-" + hashlib.sha256(f"partyledger-person:{citizen_id}".encode()).hexdigest()[:32]


numbers = st.builds(
    lambda code, digit, rest: f"{code}{digit}{rest:08d}",
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 9),
    st.integers(0, 10**8 - 1),
)


@given(numbers, numbers)
def test_an_id_depends_on_the_key_and_gives_nothing_of_the_number(value: str, other: str) -> None:
    citizen_id = parse_citizen_id(value)
    mine = TEST_PERSON_ID_KEY.new_person_id(citizen_id)
    assert PERSON_ID.fullmatch(mine)
    assert mine == TEST_PERSON_ID_KEY.new_person_id(parse_citizen_id(f" {value} "))
    assert mine != OTHER_KEY.new_person_id(citizen_id)  # two deployments: two unrelated ids
    assert mine != unsalted(value)  # nobody without the key computes it from the number
    assert value not in mine and value[-6:] not in mine
    assert mine[7:] not in TEST_PERSON_ID_KEY.index_digest(citizen_id)  # the index key gives no id
    if other != value:
        assert mine != TEST_PERSON_ID_KEY.new_person_id(parse_citizen_id(other))


def test_a_key_shorter_than_32_bytes_is_refused() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        PersonIdKey.from_text("short")


def test_a_context_without_a_key_finds_and_mints_no_one(store: EventStore) -> None:
    with pytest.raises(MissingPersonKey):
        CommandContext(store).person_id_of(citizen(1))


def test_a_citizen_id_finds_the_file_it_opened_also_from_a_fresh_process(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    assert ctx.person_id_of(citizen(1)) == person(1)
    again = CommandContext(ctx.store, person_key=TEST_PERSON_ID_KEY)  # the index rebuilt from the log
    assert again.person_id_of(citizen(1)) == person(1)
    assert again.citizens.known(ctx.store, citizen(2)) is None  # never seen: no id is claimed for it


def test_under_another_key_the_log_still_finds_its_people(ctx: CommandContext) -> None:
    """The index maps a number to the id the log holds, whichever key minted it."""
    enrol(ctx, 1)
    other = CommandContext(ctx.store, person_key=OTHER_KEY)
    assert other.person_id_of(citizen(1)) == person(1)
    assert other.person_id_of(citizen(2)) == OTHER_KEY.new_person_id(parse_citizen_id(citizen(2)))


def test_a_log_written_with_unsalted_ids_still_finds_its_people_after_the_upgrade(store: EventStore) -> None:
    """Upgrade path: the old ids stay (they are inside hashed events); the index finds them by number, so a
    second file for the same number goes to the old stream (refused by its stage), never a new one, and the
    wall still stops a neighbouring cell."""
    old = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    take(old, SECRETARY, "enrollMember", unsalted(citizen(1)), "old-enrol", citizen_id=citizen(1),
         particulars=particulars("Đảng Viên Cũ"), cell_id=SECRETARY.unit_id, admitted_on="2010-05-01",
         ceremony_on="2010-05-19", official_from="2011-05-19", roll_ref="Sổ cũ", occurred_on="2020-11-02",
         expected_version=0)  # fmt: skip
    upgraded = CommandContext(store, Bell(), TEST_PERSON_ID_KEY)
    assert upgraded.person_id_of(citizen(1)) == unsalted(citizen(1))
    head = store.head_position()
    with pytest.raises(FiledElsewhere):
        take(upgraded, NEIGHBOUR, "nominateCandidate", upgraded.person_id_of(citizen(1)), "n", citizen_id=citizen(1),
             particulars=particulars("Đảng Viên Cũ"), helper_id="x", resolution_ref="NQ 1", occurred_on="2021-03-01",
             expected_version=0)  # fmt: skip
    assert store.head_position() == head
    assert store.stream_version(person_id_of(citizen(1))) == 0  # no second stream for the number


def test_a_new_nomination_gets_the_keyed_id(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    recorded = nominate(ctx, 2, helper=person(1))
    assert recorded.stream_id == person_id_of(citizen(2)) != unsalted(citizen(2))
    assert ctx.person_id_of(citizen(2)) == recorded.stream_id


def test_the_index_reads_only_the_identity_events(store: EventStore) -> None:
    """Rebuildable from the log: a fresh index over the same log answers the same for every number."""
    ctx = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    for n in (1, 2, 3):
        enrol(ctx, n)
    fresh = CitizenIndex(TEST_PERSON_ID_KEY)
    assert [fresh.known(store, citizen(n)) for n in (1, 2, 3, 4)] == [person(1), person(2), person(3), None]


def test_many_numbers_at_once_answer_as_one_by_one_with_one_read_of_the_log(store: EventStore) -> None:
    """A bulk import's chunk: the ids `person_id` gives, the log asked once for all the misses."""
    ctx = CommandContext(store, person_key=TEST_PERSON_ID_KEY)
    for n in (1, 2):
        enrol(ctx, n)
    reads = 0
    read_history = store.read_history

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal reads
        reads += 1
        return read_history(*args, **kwargs)

    fresh = CitizenIndex(TEST_PERSON_ID_KEY)
    store.read_history = counted  # type: ignore[method-assign]
    numbers = [parse_citizen_id(citizen(n)) for n in (1, 2, 3, 4)]
    found = fresh.person_ids(store, numbers)

    assert reads == 1
    assert [found[number] for number in numbers] == [person(1), person(2), person_id_of(citizen(3)),
                                                      person_id_of(citizen(4))]  # fmt: skip


def test_production_requires_the_key_and_the_embedded_default_keeps_one(tmp_path: Path) -> None:
    production = {
        "PARTYLEDGER_ENVIRONMENT": "production",
        "PARTYLEDGER_SIGNING_KEY": "k" * 40,
        "PARTYLEDGER_DATA_DIR": str(tmp_path / "prod"),
    }
    with pytest.raises(SettingsError, match="PARTYLEDGER_PERSON_ID_KEY must be a secret"):
        Settings.from_environment(production)
    with pytest.raises(SettingsError, match="PARTYLEDGER_PERSON_ID_KEY"):
        Settings.from_environment(production | {"PARTYLEDGER_PERSON_ID_KEY": "change-me-" + "x" * 40})
    keys = {"PARTYLEDGER_PERSON_ID_KEY": "i" * 40, "PARTYLEDGER_DATA_KEK": "d" * 40}
    chosen = Settings.from_environment(production | keys)
    assert chosen.person_key() == PersonIdKey.from_text("i" * 40)
    assert not (tmp_path / "prod").exists()  # production never writes a key of its own

    embedded = Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path / "demo")})
    first = embedded.person_key()
    kept = tmp_path / "demo" / PERSON_KEY_FILE
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path / "demo")}).person_key() == first
    assert Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path / "other")}).person_key() != first


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=1, max_size=8, unique=True))
def test_every_enrolled_number_is_found_and_every_other_is_new(enrolled: list[int]) -> None:
    store = open_store("memory://")
    seed_minimal_province(store)
    ctx = CommandContext(store, person_key=OTHER_KEY)
    for n in enrolled:
        take(ctx, SECRETARY, "enrollMember", ctx.person_id_of(citizen(n)), f"e{n}", citizen_id=citizen(n),
             particulars=particulars("Đảng Viên"), cell_id=SECRETARY.unit_id, admitted_on="2010-05-01",
             ceremony_on="2010-05-19", official_from="2011-05-19", roll_ref=f"Sổ {n}", occurred_on="2020-11-02",
             expected_version=0)  # fmt: skip
    fresh = CitizenIndex(OTHER_KEY)
    for n in range(31):
        found = fresh.known(store, citizen(n))
        assert (found is not None) == (n in enrolled)
        if found is not None:
            assert store.read_stream(found)[0].data["citizen_id"] == citizen(n)
    store.close()
