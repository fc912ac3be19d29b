"""Rows are a pure function of the events: a rebuild, or batches saved and reloaded in between, give the same
bytes; and persons moving between units never leave a count behind (I6)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.particulars import Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import MemberFacts, PersonFacts, RatingFacts
from domain.person.values import RejectionLevel, TransferKind
from domain.rules.ratings import Grade
from domain.rules.removal import ScreeningOutcome
from projections import deadlines, files, member_roll, retention, statistics, unit_activity, unit_dashboard
from projections.base import Projection
from projections.rows import Iso
from tests.unit.projections.people import BLOC, NAMES, Ledger, Person, snapshot

PROJECTIONS: list[Projection] = [unit_dashboard, files, deadlines, member_roll, statistics, unit_activity, retention]


def enroll(ledger: Ledger, serial: int, cell: str) -> Person:
    member = Person(ledger, serial, NAMES[serial % len(NAMES)], Sex.MALE, date(1975, 3, 3), cell)
    member.run(
        mc.EnrollMember(
            **member.at(date(2021, 1, 4)),
            citizen_id=member.citizen_id,
            particulars=member.particulars,
            cell_id=cell,
            admitted_on=date(2000, 5, 19),
            ceremony_on=date(2000, 6, 1),
            official_from=date(2001, 6, 1),
            roll_ref="Sổ đảng viên",
        )
    )
    return member


def busy_school() -> Ledger:
    """Two cells over two years: enrolments, candidates at every stage, detours, transfers, exits, ratings."""
    ledger = Ledger()
    members = [enroll(ledger, n, "cb-a" if n % 2 else "cb-b") for n in range(1, 9)]
    rating = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=0))
    for member in members:
        member.run(mc.RateMember(**member.at(date(2021, 12, 20)), year=2021, grade=Grade.GOOD), rating)
        member.run(mc.RecordScreeningOutcome(**member.at(date(2021, 12, 22)), year=2021, outcome=ScreeningOutcome.KEEP))
    moving = members[0]
    moving.run(
        mc.IntroduceTransfer(
            **moving.at(date(2022, 2, 1)), kind=TransferKind.OFFICIAL, to_unit_id="cb-b", cause_on=date(2022, 1, 20)
        )
    )
    moving.run(mc.PresentTransfer(**moving.at(date(2022, 2, 8), "cb-b")))
    for serial, start in enumerate((date(2021, 2, 1), date(2021, 4, 1), date(2021, 6, 1)), start=20):
        Person(ledger, serial, NAMES[serial % len(NAMES)], Sex.FEMALE, date(1996, 4, 4), "cb-a").to_ceremony(start)
    returned = Person(ledger, 30, "Phạm Thị Hoa", Sex.FEMALE, date(1997, 1, 1), "cb-b")
    returned.to_cell_vote(date(2021, 3, 1))
    returned.run(c.ReturnDossier(**returned.at(date(2021, 6, 1), "du-truong"), reason="Bổ sung"))
    rejected = Person(ledger, 31, "Vũ Đức Minh", Sex.MALE, date(1998, 1, 1), "cb-a")
    rejected.to_cell_vote(date(2021, 3, 1))
    rejected.committee(date(2021, 6, 1))
    rejected.run(
        c.RejectCandidate(
            **rejected.at(date(2021, 9, 30), BLOC.unit_id), level=RejectionLevel.DECIDER, reason="Chưa đủ"
        ),
        PersonFacts(decider=BLOC),
    )
    wandering = Person(ledger, 32, "Trịnh Văn Nam", Sex.MALE, date(1999, 1, 1), "cb-a")
    wandering.nominate(date(2021, 5, 1))
    wandering.train(date(2021, 5, 20))
    helper = PersonFacts(member=MemberFacts(person_id="cb-b-dv1", is_official=True))
    wandering.run(
        c.TransferCandidate(**wandering.at(date(2021, 6, 1)), to_cell_id="cb-b", helper_id="cb-b-dv1"), helper
    )
    wandering.cell = "cb-b"
    wandering.run(c.SubmitApplication(**wandering.at(date(2021, 6, 2)), application_ref="Đơn"))
    wandering.run(c.WithdrawCandidate(**wandering.at(date(2021, 7, 1)), reason="Chuyển vùng"))
    return ledger


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_a_rebuild_gives_byte_identical_rows(projection: Projection) -> None:
    first, second = busy_school(), busy_school()

    assert snapshot(first.build(projection)) == snapshot(second.build(projection))


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_rows_saved_and_reloaded_between_events_end_the_same(projection: Projection) -> None:
    ledger = busy_school()

    assert snapshot(ledger.build(projection, reload_each_event=True)) == snapshot(ledger.build(projection))


def test_every_person_is_counted_once_across_the_units_whatever_moved() -> None:
    ledger = busy_school()
    rows = ledger.build(unit_dashboard)

    people = {item.envelope.stream_id for item in ledger.log}
    booked = [key for unit in rows.values() for key, _ in unit.items() if key.startswith("p:")]
    counted = sum(
        sum((unit.get(bucket) or {}).values()) for unit in rows.values() for bucket in ("funnel", "members", "closed")
    )
    assert sorted(booked) == sorted(f"p:{stream}" for stream in people)
    assert counted == len(people)
    assert rows["cb-a"].get("members") == {"official": 3, "probationary": 3}
    assert rows["cb-b"].get("members") == {"official": 5}


def test_the_roll_and_the_dashboard_agree_unit_by_unit() -> None:
    ledger = busy_school()
    dashboard, roll = ledger.build(unit_dashboard), ledger.build(member_roll)

    for unit in ("cb-a", "cb-b"):
        on_roll = [row["status"] for key, row in roll[unit].items() if key.startswith("m:")]
        counts = dashboard[unit].get("members") or {}
        assert {status: on_roll.count(status) for status in set(on_roll)} == counts


def plain(value: object) -> bool:
    """Exactly JSON's types: no date, enum or tuple that would read back as something else; a date or time
    only wrapped in `Iso`, which writes it as the text it reads back as."""
    if isinstance(value, dict):
        return all(type(k) is str and plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain(v) for v in value)
    return value is None or type(value) in (str, int, bool, float, Iso)


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_rows_hold_only_plain_json_values(projection: Projection) -> None:
    rows = busy_school().build(projection)

    assert all(plain(row) for unit in rows.values() for _, row in unit.items())
