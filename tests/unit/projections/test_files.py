"""The files list: one row per file, its stage and since when, its pending deadline, no citizen id."""

from __future__ import annotations

import json
from datetime import date

from domain.particulars import Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import MemberFacts, PersonFacts
from domain.person.values import RejectionLevel, TransferKind
from domain.rules.authority import Penalty
from domain.rules.removal import StrikeOffGround
from projections import files
from tests.unit.projections.people import BLOC, CALENDAR, SCHOOL, Ledger, Person, cell_facts


def candidate(ledger: Ledger, serial: int = 1, cell: str = "cb-a") -> Person:
    return Person(ledger, serial, "Phạm Thị Hoa", Sex.FEMALE, date(1995, 9, 2), cell)


def test_an_open_file_shows_its_stage_since_when_and_the_decision_it_waits_for() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))

    row = ledger.build(files)["cb-a"].get(f"f:{hoa.stream_id}")

    assert row is not None
    assert row["stage"] == "CellApproved"
    assert row["stage_label_vi"] == "Chi bộ đã đề nghị kết nạp"
    assert (row["stage_since"], row["opened_on"], row["last_step_on"]) == ("2021-05-20", "2021-03-01", "2021-05-20")
    assert (row["full_name"], row["sex"], row["date_of_birth"], row["ethnicity"]) == (
        "Phạm Thị Hoa",
        "female",
        "1995-09-02",
        "kinh",
    )
    assert row["open"] is True and row["readmission"] is False
    assert row["pending_deadline"] == {
        "rule_id": "R-DECIDE-DEADLINE",
        "due_on": CALENDAR.add_working_days(date(2021, 5, 20), 60).isoformat(),
    }
    assert row["position"] == ledger.log[-1].envelope.position
    assert row["cell_id"] == "cb-a" and row["helper_id"] == "cb-a-dv1"


def test_a_name_typed_decomposed_is_stored_composed_and_no_citizen_id_is_stored() -> None:
    ledger = Ledger()
    decomposed = "Pha\u0323m Thi\u0323 Hoa"
    hoa = Person(ledger, 1, decomposed, Sex.FEMALE, date(1995, 9, 2), "cb-a")
    hoa.nominate(date(2021, 3, 1))

    rows = ledger.build(files)["cb-a"]

    text = json.dumps(dict(rows.items()), ensure_ascii=False)
    assert hoa.citizen_id not in text
    assert (rows.get(f"f:{hoa.stream_id}") or {})["full_name"] == "Phạm Thị Hoa"


def test_the_ceremony_closes_the_file_with_its_outcome() -> None:
    ledger = Ledger()
    hung = candidate(ledger)
    hung.to_ceremony(date(2021, 3, 1))

    row = ledger.build(files)["cb-a"].get(f"f:{hung.stream_id}")

    assert row is not None
    assert (row["stage"], row["open"], row["stage_since"]) == ("Probationary", False, "2021-06-29")
    assert row["pending_deadline"] is None and row["helper_id"] is None


def test_the_row_follows_the_member_through_recognition() -> None:
    ledger = Ledger()
    hung = candidate(ledger)
    hung.to_ceremony(date(2021, 3, 1))
    hung.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))

    row = ledger.build(files)["cb-a"].get(f"f:{hung.stream_id}")

    assert row is not None
    assert (row["stage"], row["stage_label_vi"], row["open"]) == ("Official", "Đảng viên chính thức", False)
    assert (row["stage_since"], row["last_step_on"]) == ("2022-07-20", "2022-07-20")
    assert row["position"] == ledger.log[-1].envelope.position


def test_the_row_follows_the_member_out_of_the_party() -> None:
    ledger = Ledger()
    expelled, struck, left = (candidate(ledger, n) for n in (1, 2, 3))
    for person in (expelled, struck, left):
        person.to_ceremony(date(2021, 3, 1))
        person.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
    expelled.run(
        mc.DisciplineMember(
            **expelled.at(date(2023, 3, 1), BLOC.unit_id),
            penalty=Penalty.EXPULSION,
            reason="Vi phạm",
            decision_ref="QĐ",
        ),
        PersonFacts(decider=BLOC),
    )
    struck.run(
        mc.ProposeStrikeOff(
            **struck.at(date(2023, 3, 1)),
            ground=StrikeOffGround.INACTIVE_OR_NO_DUES,
            yes=6,
            no=0,
            resolution_ref="NQ",
            evidence_months=3,
        ),
        PersonFacts(cell=cell_facts("cb-a")),
    )
    struck.run(
        mc.DecideStrikeOff(**struck.at(date(2023, 3, 10), SCHOOL.unit_id), decision_ref="QĐ"),
        PersonFacts(decider=SCHOOL),
    )
    left.run(mc.GrantVoluntaryExit(**left.at(date(2023, 4, 1)), reason="Hoàn cảnh gia đình", decision_ref="QĐ"))

    rows = ledger.build(files)["cb-a"]

    stages = {p.stream_id: (rows.get(f"f:{p.stream_id}") or {}).get("stage") for p in (expelled, struck, left)}
    assert stages == {expelled.stream_id: "Expelled", struck.stream_id: "StruckOff", left.stream_id: "Exited"}
    assert (rows.get(f"f:{struck.stream_id}") or {})["stage_since"] == "2023-03-10"


def test_a_member_who_moves_away_keeps_the_stage_they_had_here() -> None:
    ledger = Ledger()
    hung = candidate(ledger)
    hung.to_ceremony(date(2021, 3, 1))
    hung.recognise(date(2021, 9, 1), date(2022, 7, 5), date(2022, 7, 20))
    hung.run(
        mc.IntroduceTransfer(
            **hung.at(date(2022, 10, 3)), kind=TransferKind.OFFICIAL, to_unit_id="cb-b", cause_on=date(2022, 9, 30)
        )
    )
    hung.run(mc.PresentTransfer(**hung.at(date(2022, 10, 10), "cb-b")))
    hung.run(mc.GrantVoluntaryExit(**hung.at(date(2023, 4, 1)), reason="Hoàn cảnh gia đình", decision_ref="QĐ"))

    rows = ledger.build(files)

    assert (rows["cb-a"].get(f"f:{hung.stream_id}") or {})["stage"] == "Official"
    assert rows["cb-b"].get(f"f:{hung.stream_id}") is None


def test_a_rejected_file_is_closed_and_a_new_file_for_the_same_person_reopens_the_row() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.nominate(date(2021, 3, 1))
    hoa.run(c.RejectCandidate(**hoa.at(date(2021, 4, 1)), level=RejectionLevel.CELL, reason="Chưa đủ điều kiện"))
    closed = ledger.build(files)["cb-a"].get(f"f:{hoa.stream_id}")
    hoa.nominate(date(2022, 3, 1))

    reopened = ledger.build(files)["cb-a"].get(f"f:{hoa.stream_id}")

    assert closed is not None and (closed["stage"], closed["open"]) == ("Rejected", False)
    assert reopened is not None and (reopened["stage"], reopened["open"]) == ("SourcePool", True)
    assert reopened["opened_on"] == "2022-03-01"


def test_a_transferred_file_leaves_the_old_unit_and_arrives_with_its_history_in_the_new_one() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.nominate(date(2021, 3, 1))
    helper = PersonFacts(member=MemberFacts(person_id="cb-b-dv1", is_official=True))
    hoa.run(c.TransferCandidate(**hoa.at(date(2021, 4, 1)), to_cell_id="cb-b", helper_id="cb-b-dv1"), helper)

    rows = ledger.build(files)

    assert rows["cb-a"].get(f"f:{hoa.stream_id}") is None
    moved = rows["cb-b"].get(f"f:{hoa.stream_id}")
    assert moved is not None
    assert (moved["stage"], moved["cell_id"], moved["helper_id"]) == ("SourcePool", "cb-b", "cb-b-dv1")
    assert (moved["stage_since"], moved["opened_on"], moved["last_step_on"]) == (None, None, "2021-04-01")


def test_files_of_other_units_are_never_written() -> None:
    ledger = Ledger()
    candidate(ledger, 1, "cb-a").nominate(date(2021, 3, 1))
    candidate(ledger, 2, "cb-b").nominate(date(2021, 3, 1))

    rows = ledger.build(files)

    assert [key[:2] for key, _ in rows["cb-a"].items()] == ["f:"]
    assert [key[:2] for key, _ in rows["cb-b"].items()] == ["f:"]
