"""Facts derived from the log (services/commands/log_facts.py): the cell's roll, sponsors, helpers, bodies,
rating counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import MemberFacts, PersonFacts, RatingFacts
from domain.person.values import SponsorLetter, TransferKind
from domain.rules.ratings import Grade
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore, open_store
from services.commands import log_facts as facts
from services.commands.actors import Actor, Role
from services.commands.person_log import append_person_command
from services.commands.tree_log import load_tree
from services.embedded import seed_minimal_province
from tests.support.person_ids import person_id_of

CELL = "unit-school-cell-1"
OTHER_CELL = "unit-school-cell-2"
ENROLLED_ON = date(2020, 11, 2)
CALENDAR = WorkingCalendar()


@pytest.fixture
def store() -> Iterator[EventStore]:
    store = open_store("sqlite:///:memory:")
    seed_minimal_province(store)
    yield store
    store.close()


@pytest.fixture
def tree(store: EventStore) -> UnitTree:
    return load_tree(store)[0]


def citizen(n: int) -> str:
    return f"001085{n:06d}"


def person(n: int) -> str:
    return person_id_of(citizen(n))


def particulars(name: str) -> Particulars:
    return Particulars(
        full_name=name,
        sex=Sex.MALE,
        date_of_birth=date(1985, 4, 1),
        ethnicity=Ethnicity.KINH,
        religion=Religion.NONE,
        education=EducationLevel.UNIVERSITY,
        occupation=Occupation.PUBLIC_EMPLOYEE,
    )


def run(store: EventStore, command: c.PersonCommand, person_facts: PersonFacts | None = None) -> None:
    actor = Actor("user-test", Role.CELL_SECRETARY, command.acting_unit_id)
    append_person_command(store, command, actor=actor, calendar=CALENDAR, facts=person_facts or PersonFacts())


def enrol(store: EventStore, n: int, *, cell: str = CELL, official: bool = True, on: date = ENROLLED_ON) -> str:
    run(
        store,
        mc.EnrollMember(
            person_id=person(n),
            occurred_on=on,
            acting_unit_id=cell,
            citizen_id=citizen(n),
            particulars=particulars(f"Đảng Viên {'ABCDEFGH'[n]}"),
            cell_id=cell,
            admitted_on=date(2010, 5, 1) if official else date(2020, 6, 1),
            ceremony_on=date(2010, 5, 19) if official else date(2020, 6, 10),
            official_from=date(2011, 5, 19) if official else None,
            roll_ref=f"Sổ {n}",
        ),
    )
    return person(n)


def nominate(store: EventStore, n: int, helper: str, on: date) -> str:
    command = c.NominateCandidate(
        person_id=person(n),
        occurred_on=on,
        acting_unit_id=CELL,
        citizen_id=citizen(n),
        particulars=particulars("Quần Chúng Ưu Tú"),
        helper_id=helper,
        resolution_ref="NQ 01",
    )
    run(store, command, PersonFacts(member=MemberFacts(person_id=helper, is_official=True)))
    return person(n)


def test_the_roll_counts_official_members_of_the_cell_on_the_date(store: EventStore, tree: UnitTree) -> None:
    officials = {enrol(store, n) for n in (1, 2, 3)}
    probationary = enrol(store, 4, official=False)
    enrol(store, 5, cell=OTHER_CELL)
    roll = facts.cell_roll(store, tree, CELL, date(2021, 1, 5))
    assert roll.official_member_ids == officials and probationary not in roll.official_member_ids
    assert roll.denominator == 3 and not roll.is_grassroots_cell and roll.sub_committee_id is None


def test_the_roll_is_taken_as_of_the_vote_date(store: EventStore, tree: UnitTree) -> None:
    enrol(store, 1)
    enrol(store, 2, on=date(2021, 3, 1))
    assert len(facts.cell_roll(store, tree, CELL, date(2021, 2, 1)).official_member_ids) == 1
    assert len(facts.cell_roll(store, tree, CELL, date(2021, 3, 1)).official_member_ids) == 2


def test_a_member_on_temporary_transfer_out_stays_on_the_roll_but_not_in_the_denominator(
    store: EventStore, tree: UnitTree
) -> None:
    away = enrol(store, 1)
    enrol(store, 2)
    on = date(2021, 2, 1)
    introduce = mc.IntroduceTransfer(
        person_id=away,
        occurred_on=on,
        acting_unit_id=CELL,
        kind=TransferKind.TEMPORARY,
        to_unit_id=OTHER_CELL,
        cause_on=on,
    )
    run(store, introduce)
    run(store, mc.PresentTransfer(person_id=away, occurred_on=date(2021, 2, 3), acting_unit_id=OTHER_CELL))
    roll = facts.cell_roll(store, tree, CELL, date(2021, 3, 1))
    assert away in roll.official_member_ids and roll.temporarily_transferred_out_ids == {away}
    assert roll.denominator == 1


def test_sponsors_are_official_and_co_work_from_the_later_joining_date(store: EventStore) -> None:
    sponsor, probationary = enrol(store, 1), enrol(store, 2, official=False)
    far = enrol(store, 3, cell=OTHER_CELL)
    candidate = nominate(store, 6, sponsor, date(2020, 12, 1))
    on = date(2021, 12, 10)
    letters = [
        SponsorLetter(sponsor_id=s, kind=SponsorKind.MEMBER, document_ref="Thư") for s in (sponsor, probationary, far)
    ]
    letters.append(SponsorLetter(sponsor_id="doan-tn.cell-1", kind=SponsorKind.YOUTH_UNION, document_ref="NQ Đoàn"))
    placed = facts.person_as_of(store, candidate, on)
    found = facts.sponsor_facts(store, letters, placed, on)
    assert [(f.is_official, f.months_co_working_same_unit) for f in found] == [
        (True, 12),
        (False, 12),
        (True, 0),
        (False, 0),
    ]
    assert found[3].kind is SponsorKind.YOUTH_UNION


def test_a_helper_is_official_only_from_the_logs_point_of_view_on_the_date(store: EventStore) -> None:
    member = enrol(store, 1, on=date(2021, 1, 4))
    assert not facts.member_facts(store, member, date(2021, 1, 3)).is_official
    assert facts.member_facts(store, member, date(2021, 1, 4)) == MemberFacts(person_id=member, is_official=True)


def test_the_competent_body_and_the_committee_come_from_the_tree(tree: UnitTree) -> None:
    on = date(2021, 6, 1)
    decider = facts.competent_body(tree, CELL, on, committee_size=0)
    committee = facts.grassroots_committee(tree, CELL, on, committee_size=9)
    assert (decider.unit_id, decider.kind) == ("unit-bloc", UnitKind.UPPER_COMMITTEE)
    assert committee is not None and (committee.unit_id, committee.committee_size) == ("unit-school", 9)


def test_rating_counts_the_units_good_and_excellent_of_the_year_so_far(store: EventStore) -> None:
    members = [enrol(store, n) for n in range(1, 7)]
    grades = [Grade.GOOD] * 5 + [Grade.EXCELLENT]
    room = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=0))
    for member, grade in zip(members, grades, strict=True):
        rate = mc.RateMember(
            person_id=member, occurred_on=date(2021, 12, 20), acting_unit_id=CELL, year=2021, grade=grade
        )
        run(store, rate, room)
    counted = facts.rating_counts(store, CELL, 2021, date(2021, 12, 31), person_id=person(7))
    assert (counted.rated_good, counted.rated_excellent) == (5, 1)
    assert facts.rating_counts(store, CELL, 2021, date(2021, 12, 19), person_id=person(7)).rated_good == 0
    assert facts.rating_counts(store, CELL, 2021, date(2021, 12, 31), person_id=members[0]).rated_good == 4


def test_months_between_counts_whole_months() -> None:
    assert facts.months_between(date(2020, 12, 1), date(2021, 12, 1)) == 12
    assert facts.months_between(date(2020, 12, 2), date(2021, 12, 1)) == 11
    assert facts.months_between(date(2021, 12, 2), date(2021, 12, 1)) == 0
