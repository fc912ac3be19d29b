"""The API's person cache: a cached state is exactly the replay."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from eventstore import EventStore, open_store
from services.commands.actors import Actor, Role
from services.commands.person_log import PersonCache, append_person_command, load_person
from services.embedded import seed_minimal_province
from tests.support.person_ids import person_id_of

CELL = "unit-school-cell-1"
PERSON = person_id_of("001085000001")


@pytest.fixture
def store() -> Iterator[EventStore]:
    store = open_store("sqlite:///:memory:")
    seed_minimal_province(store)
    yield store
    store.close()


def particulars(name: str) -> Particulars:
    return Particulars(
        name,
        Sex.MALE,
        date(1985, 4, 1),
        Ethnicity.KINH,
        Religion.NONE,
        EducationLevel.UNIVERSITY,
        Occupation.PUBLIC_EMPLOYEE,
    )


def record(store: EventStore, command: c.PersonCommand) -> None:
    actor = Actor("user-test", Role.CELL_SECRETARY, CELL)
    append_person_command(store, command, actor=actor, calendar=WorkingCalendar())


def enrol(store: EventStore) -> None:
    record(
        store,
        mc.EnrollMember(
            person_id=PERSON,
            occurred_on=date(2020, 11, 2),
            acting_unit_id=CELL,
            citizen_id="001085000001",
            particulars=particulars("Đảng Viên An"),
            cell_id=CELL,
            admitted_on=date(2010, 5, 1),
            ceremony_on=date(2010, 5, 19),
            official_from=date(2011, 5, 19),
            roll_ref="Sổ 1",
        ),
    )


def rename(store: EventStore, name: str) -> None:
    record(
        store,
        c.UpdateParticulars(
            person_id=PERSON, occurred_on=date(2024, 3, 1), acting_unit_id=CELL, particulars=particulars(name)
        ),
    )


def test_a_cached_person_topped_up_with_newer_events_equals_a_full_replay(store: EventStore) -> None:
    enrol(store)
    cache, elsewhere = PersonCache(), PersonCache()
    assert cache.load(store, PERSON) == load_person(store, PERSON)

    rename(store, "Đảng Viên Bình")  # written by another process: this cache has not seen it
    rename(store, "Đảng Viên Chiến")
    elsewhere.load(store, PERSON)

    assert cache.load(store, PERSON) == load_person(store, PERSON)
    assert cache.known(PERSON).version == 3
    assert cache.known(PERSON) == elsewhere.known(PERSON)
