"""The member roll: on it from the ceremony (or enrolment), off it on leaving the unit or the party."""

from __future__ import annotations

from datetime import date

from domain.particulars import Sex
from domain.person import member_commands as mc
from domain.person.facts import PersonFacts, RatingFacts
from domain.person.values import TransferKind
from domain.rules.authority import Penalty
from domain.rules.ratings import Grade
from projections import member_roll
from projections.base import Applied
from tests.unit.projections.people import BLOC, NAMES, Ledger, Person


def member(ledger: Ledger, serial: int = 1, cell: str = "cb-a") -> Person:
    """Decision 2021-06-19, ceremony 2021-06-29."""
    person = Person(ledger, serial, NAMES[serial - 1], Sex.MALE, date(1988, 2, 14), cell)
    person.to_ceremony(date(2021, 3, 1))
    return person


def test_the_ceremony_puts_a_probationary_member_on_the_roll_with_seniority_from_the_decision() -> None:
    ledger = Ledger()
    hung = member(ledger)

    row = ledger.build(member_roll)["cb-a"].get(f"m:{hung.stream_id}")

    assert row is not None
    assert (row["status"], row["admitted_on"], row["ceremony_on"]) == ("probationary", "2021-06-19", "2021-06-29")
    assert (row["probation_ends_on"], row["official_from"], row["mentor_id"]) == ("2022-06-29", None, "cb-a-dv2")
    assert (row["full_name"], row["sex"], row["rating"], row["penalties"]) == ("Lê Văn Hùng", "male", None, [])


def test_recognition_ratings_and_penalties_show_on_the_row() -> None:
    ledger = Ledger()
    hung = member(ledger)
    hung.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
    rating = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=0))
    hung.run(mc.RateMember(**hung.at(date(2022, 12, 20)), year=2022, grade=Grade.GOOD), rating)
    hung.run(mc.RateMember(**hung.at(date(2022, 12, 21)), year=2021, grade=Grade.COMPLETED), rating)
    hung.run(
        mc.DisciplineMember(
            **hung.at(date(2023, 1, 5), BLOC.unit_id), penalty=Penalty.REPRIMAND, reason="Vắng họp", decision_ref="QĐ"
        ),
        PersonFacts(decider=BLOC),
    )

    row = ledger.build(member_roll)["cb-a"].get(f"m:{hung.stream_id}")

    assert row is not None
    assert (row["status"], row["official_from"]) == ("official", "2022-06-29")
    assert row["rating"] == {"year": 2022, "grade": "good"}
    assert row["penalties"] == ["reprimand"]


def test_a_rating_rewrites_only_the_rating_and_leaves_the_row_a_full_rewrite_would_write() -> None:
    """Ratings are most of a province's log: the row is edited, not rebuilt, and must not drift from the
    row the member's whole state gives (penalty, transfer and vote in between, years rated out of order)."""
    ledger = Ledger()
    hung = member(ledger)
    hung.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
    rating = PersonFacts(rating=RatingFacts(rated_good=10, rated_excellent=0))
    hung.run(mc.RateMember(**hung.at(date(2022, 12, 20)), year=2022, grade=Grade.GOOD), rating)
    hung.run(
        mc.DisciplineMember(
            **hung.at(date(2023, 1, 5), BLOC.unit_id), penalty=Penalty.REPRIMAND, reason="Vắng họp", decision_ref="QĐ"
        ),
        PersonFacts(decider=BLOC),
    )
    hung.run(mc.RateMember(**hung.at(date(2023, 12, 20)), year=2021, grade=Grade.COMPLETED), rating)
    last = ledger.log[-1]

    rows = ledger.build(member_roll, reload_each_event=True)["cb-a"]

    assert last.envelope.event_type == "MemberRated"
    full = member_roll._row(last.person, Applied(last.envelope, last.event, last.person, "cb-a"))
    assert rows.get(f"m:{hung.stream_id}") == full
    assert full["rating"] == {"year": 2022, "grade": "good"} and full["penalties"] == ["reprimand"]


def test_a_temporary_transfer_keeps_the_member_on_the_home_roll() -> None:
    ledger = Ledger()
    hung = member(ledger)
    hung.run(
        mc.IntroduceTransfer(
            **hung.at(date(2021, 8, 2)), kind=TransferKind.TEMPORARY, to_unit_id="cb-x", cause_on=date(2021, 8, 1)
        )
    )
    hung.run(mc.PresentTransfer(**hung.at(date(2021, 8, 9), "cb-x")), also="cb-x")

    rows = ledger.build(member_roll)

    home = rows["cb-a"].get(f"m:{hung.stream_id}")
    assert home is not None and home["temporary_unit_id"] == "cb-x"
    assert rows["cb-x"].get(f"m:{hung.stream_id}") is None
    assert rows["cb-a"].get("outgoing") is None  # presented: no longer on its way


def test_an_official_transfer_moves_the_row_and_the_old_unit_keeps_who_left() -> None:
    ledger = Ledger()
    hung = member(ledger)
    hung.run(
        mc.IntroduceTransfer(
            **hung.at(date(2021, 8, 2)), kind=TransferKind.OFFICIAL, to_unit_id="cb-b", cause_on=date(2021, 8, 1)
        )
    )
    introduced = ledger.build(member_roll)["cb-a"].get(f"m:{hung.stream_id}")
    on_the_way = ledger.build(member_roll)["cb-a"].get("outgoing")
    hung.run(mc.PresentTransfer(**hung.at(date(2021, 8, 9), "cb-b")))

    rows = ledger.build(member_roll)

    assert introduced is not None and introduced["pending_transfer"] == {"kind": "official", "to_unit_id": "cb-b"}
    assert on_the_way == {hung.stream_id: "cb-b"}  # what the receiving unit's page of incoming transfers reads
    assert rows["cb-a"].get("outgoing") is None and rows["cb-b"].get("outgoing") is None
    assert rows["cb-a"].get(f"m:{hung.stream_id}") is None
    moved = rows["cb-b"].get(f"m:{hung.stream_id}")
    assert moved is not None and (moved["cell_id"], moved["pending_transfer"]) == ("cb-b", None)
    assert rows["cb-a"].get("exits:2021") == {
        "entries": [
            {
                "stream_id": hung.stream_id,
                "full_name": "Lê Văn Hùng",
                "left_on": "2021-08-09",
                "kind": "transferred_out",
                "to_unit_id": "cb-b",
            }
        ]
    }


def test_leaving_the_party_takes_the_member_off_the_roll_and_an_overturned_expulsion_puts_them_back() -> None:
    ledger = Ledger()
    hung, lan = member(ledger, 1), member(ledger, 2)
    for person in (hung, lan):
        person.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
        person.run(
            mc.DisciplineMember(
                **person.at(date(2023, 3, 1), BLOC.unit_id),
                penalty=Penalty.EXPULSION,
                reason="Vi phạm",
                decision_ref="QĐ",
            ),
            PersonFacts(decider=BLOC),
        )
    lan.run(mc.AppealExpulsion(**lan.at(date(2023, 3, 10)), appeal_ref="Đơn khiếu nại"))
    lan.run(mc.ResolveExpulsionAppeal(**lan.at(date(2023, 4, 10), BLOC.unit_id), upheld=False, decision_ref="QĐ"))

    rows = ledger.build(member_roll)["cb-a"]

    assert rows.get(f"m:{hung.stream_id}") is None
    assert rows.get(f"m:{lan.stream_id}") is not None
    assert [(e["full_name"], e["kind"]) for e in (rows.get("exits:2023") or {})["entries"]] == [
        ("Lê Văn Hùng", "expelled"),
        ("Đỗ Thị Lan", "expelled"),
    ]


def test_a_member_enrolled_from_the_roll_is_on_it_without_a_mentor() -> None:
    ledger = Ledger()
    old = Person(ledger, 9, "Trần Văn Cũ", Sex.MALE, date(1970, 1, 1), "cb-a")
    old.run(
        mc.EnrollMember(
            **old.at(date(2021, 1, 4)),
            citizen_id=old.citizen_id,
            particulars=old.particulars,
            cell_id="cb-a",
            admitted_on=date(1999, 5, 19),
            ceremony_on=date(1999, 6, 1),
            official_from=date(2000, 6, 1),
            roll_ref="Sổ đảng viên",
        )
    )

    row = ledger.build(member_roll)["cb-a"].get(f"m:{old.stream_id}")

    assert row is not None
    assert (row["status"], row["admitted_on"], row["official_from"], row["mentor_id"]) == (
        "official",
        "1999-05-19",
        "2000-06-01",
        None,
    )
