"""Deadlines: clocks opened from the Deadline values events carry, met, breached, cancelled, and stale papers."""

from __future__ import annotations

from datetime import date

from domain.particulars import Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import MemberFacts, PersonFacts
from domain.person.values import TransferKind
from domain.rules.periods import add_months
from projections import deadlines
from projections.rows import Row, UnitRows
from tests.unit.projections.people import CALENDAR, Ledger, Person, cell_facts

VOTED = date(2021, 5, 20)
DECIDE_BY = CALENDAR.add_working_days(VOTED, 60)


def candidate(ledger: Ledger, serial: int = 1) -> Person:
    return Person(ledger, serial, "Phạm Thị Hoa", Sex.FEMALE, date(1995, 9, 2), "cb-a")


def row(rows: UnitRows, person: Person, clock: str) -> Row:
    found = rows.get(f"d:{person.stream_id}:{clock}")
    assert found is not None, f"no row for {clock}"
    return found


def test_the_cell_vote_starts_the_decision_clock_and_drops_the_papers_it_used() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))

    rows = ledger.build(deadlines)["cb-a"]

    decide = row(rows, hoa, "R-DECIDE-DEADLINE")
    assert (decide["status"], decide["started_on"], decide["due_on"]) == ("open", "2021-05-20", DECIDE_BY.isoformat())
    assert (decide["kind"], decide["full_name"], decide["extensions_left"]) == ("deadline", "Phạm Thị Hoa", 1)
    assert rows.get(f"d:{hoa.stream_id}:R-TRAIN-VALID") is None
    assert rows.get(f"d:{hoa.stream_id}:R-PAPERS-STALE") is None


def test_papers_of_a_file_not_yet_voted_on_are_watched_until_they_go_stale() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.nominate(date(2021, 3, 1))
    hoa.train(date(2021, 3, 20))
    hoa.verify(date(2021, 3, 25), date(2021, 4, 20))
    hoa.sponsor(date(2021, 5, 10))

    rows = ledger.build(deadlines)["cb-a"]

    certificate = row(rows, hoa, "R-TRAIN-VALID")
    assert (certificate["kind"], certificate["started_on"]) == ("stale_paper", "2021-03-20")
    assert certificate["due_on"] == add_months(date(2021, 3, 20), 60).isoformat()
    assert row(rows, hoa, "R-PAPERS-STALE")["due_on"] == "2022-05-10"


def test_a_decision_in_time_meets_the_clock_and_starts_the_ceremony_clock_again_on_receipt() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))
    hoa.committee(date(2021, 6, 1))
    hoa.decide(date(2021, 6, 15))
    decided = ledger.build(deadlines)["cb-a"]
    hoa.receive(date(2021, 6, 25))

    rows = ledger.build(deadlines)["cb-a"]

    decide = row(rows, hoa, "R-DECIDE-DEADLINE")
    assert (decide["status"], decide["met_on"], decide["late_by_working_days"]) == ("met", "2021-06-15", 0)
    assert row(decided, hoa, "R-CEREMONY-DEADLINE")["started_on"] == "2021-06-15"
    ceremony = row(rows, hoa, "R-CEREMONY-DEADLINE")
    assert (ceremony["status"], ceremony["started_on"]) == ("open", "2021-06-25")
    assert ceremony["due_on"] == CALENDAR.add_working_days(date(2021, 6, 25), 30).isoformat()


def test_a_late_decision_marks_the_clock_breached_by_the_working_days_the_domain_counted() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))
    hoa.committee(date(2021, 6, 1))
    hoa.decide(date(2021, 9, 30))

    decide = row(ledger.build(deadlines)["cb-a"], hoa, "R-DECIDE-DEADLINE")

    assert (decide["status"], decide["met_on"]) == ("breached", "2021-09-30")
    assert decide["late_by_working_days"] == CALENDAR.working_days_between(DECIDE_BY, date(2021, 9, 30)) > 0


def test_an_extension_moves_the_due_date_and_keeps_the_start() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))
    hoa.run(
        c.ExtendDecisionDeadline(**hoa.at(date(2021, 7, 1), "du-khoi"), extra_working_days=30, reason="Chờ thẩm tra")
    )

    decide = row(ledger.build(deadlines)["cb-a"], hoa, "R-DECIDE-DEADLINE")

    assert decide["due_on"] == CALENDAR.add_working_days(DECIDE_BY, 30).isoformat()
    assert (decide["started_on"], decide["extensions_left"], decide["status"]) == ("2021-05-20", 0, "open")


def test_a_returned_dossier_cancels_the_clock_it_was_waiting_on() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.to_cell_vote(date(2021, 3, 1))
    hoa.run(c.ReturnDossier(**hoa.at(date(2021, 6, 1), "du-truong"), reason="Thiếu bản nhận xét"))

    rows = ledger.build(deadlines)["cb-a"]

    assert rows.get(f"d:{hoa.stream_id}:R-DECIDE-DEADLINE") is None
    assert row(rows, hoa, "R-PAPERS-STALE")["status"] == "open"
    assert rows.get(f"p:{hoa.stream_id}") == {
        "keys": sorted(f"d:{hoa.stream_id}:{clock}" for clock in ("R-PAPERS-STALE", "R-TRAIN-VALID")),
        "open": ["R-TRAIN-VALID", "R-PAPERS-STALE"],
    }


def test_a_late_recognition_vote_is_breached_on_the_vote_clock_not_on_the_decision_clock_it_starts() -> None:
    ledger = Ledger()
    hung = candidate(ledger)
    hung.to_ceremony(date(2021, 3, 1))  # ceremony 2021-06-29, probation ends 2022-06-29
    hung.run(mc.CompleteNewMemberCourse(**hung.at(date(2021, 9, 1)), certificate_ref="GCN"))
    vote = mc.HoldRecognitionVote(**hung.at(date(2022, 9, 15)), yes=6, no=0, resolution_ref="NQ")
    hung.run(vote, PersonFacts(cell=cell_facts("cb-a")))

    rows = ledger.build(deadlines)["cb-a"]

    voted = row(rows, hung, "R-RECOGNISE-DEADLINE:vote")
    assert (voted["status"], voted["started_on"], voted["met_on"]) == ("breached", "2022-06-29", "2022-09-15")
    assert voted["late_by_working_days"] > 0
    deciding = row(rows, hung, "R-RECOGNISE-DEADLINE:decision")
    assert (deciding["status"], deciding["started_on"]) == ("open", "2022-09-15")


def test_a_late_transfer_introduction_is_a_breach_of_its_own_and_the_presentation_clock_runs() -> None:
    ledger = Ledger()
    hung = candidate(ledger)
    hung.to_ceremony(date(2021, 3, 1))
    late = mc.IntroduceTransfer(
        **hung.at(date(2021, 12, 1)), kind=TransferKind.OFFICIAL, to_unit_id="cb-b", cause_on=date(2021, 7, 1)
    )
    hung.run(late)

    rows = ledger.build(deadlines)["cb-a"]

    due = CALENDAR.add_working_days(date(2021, 7, 1), 60).isoformat()
    introduced = row(rows, hung, f"R-TRANSFER:{due}")
    assert (introduced["status"], introduced["started_on"], introduced["met_on"]) == ("breached", None, "2021-12-01")
    assert row(rows, hung, "R-TRANSFER:present")["status"] == "open"


def test_a_person_who_moves_away_takes_every_row_and_arrives_with_the_clocks_still_running() -> None:
    ledger = Ledger()
    hoa = candidate(ledger)
    hoa.nominate(date(2021, 3, 1))
    hoa.train(date(2021, 3, 20))
    helper = PersonFacts(member=MemberFacts(person_id="cb-b-dv1", is_official=True))
    hoa.run(c.TransferCandidate(**hoa.at(date(2021, 4, 1)), to_cell_id="cb-b", helper_id="cb-b-dv1"), helper)

    rows = ledger.build(deadlines)

    assert list(rows["cb-a"].items()) == []
    arrived = row(rows["cb-b"], hoa, "R-TRAIN-VALID")
    assert (arrived["started_on"], arrived["status"]) == ("2021-03-20", "open")
