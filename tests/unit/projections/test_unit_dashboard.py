"""The unit dashboard: every person in one bucket, steps counted by year, drop-outs, transfers out and in."""

from __future__ import annotations

from datetime import date

from domain.particulars import Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import MemberFacts, PersonFacts
from domain.person.values import RejectionLevel, TransferKind
from domain.rules.authority import Penalty
from domain.rules.removal import ScreeningOutcome, StrikeOffGround
from projections import unit_dashboard
from tests.unit.projections.people import BLOC, SCHOOL, Ledger, Person, cell_facts


def person(ledger: Ledger, serial: int, cell: str = "cb-a", sex: Sex = Sex.FEMALE) -> Person:
    return Person(ledger, serial, f"Nguyễn Thị Hoa {chr(64 + serial)}", sex, date(1995, 9, 2), cell)


def official(ledger: Ledger, serial: int) -> Person:
    """Admitted 2021-08-19 (decision), ceremony 2021-08-29, official from 2022-08-29."""
    member = person(ledger, serial)
    member.to_ceremony(date(2021, 5, 1))
    member.recognise(date(2021, 12, 1), date(2022, 9, 5), date(2022, 9, 20))
    return member


def test_a_candidate_is_in_one_funnel_bucket_at_a_time() -> None:
    ledger = Ledger()
    hoa = person(ledger, 1)
    hoa.to_cell_vote(date(2021, 3, 1))

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert rows.get("funnel") == {"CellApproved": 1}
    assert rows.get(f"p:{hoa.stream_id}") == {"stage": "CellApproved", "since": "2021-05-20"}
    assert rows.get("year:2021") == {"nominated": 1, "trained": 1, "stages": {"CellApproved": 1}}
    days = rows.get("stage_days") or {}
    assert days["SourcePool"] == {"count": 1, "days": 19}
    assert set(days) == {"SourcePool", "Trained", "Applied", "Verified", "Sponsored"}


def test_a_dossier_is_sent_up_by_the_committee_or_by_a_grassroots_cell() -> None:
    ledger = Ledger()
    by_committee = person(ledger, 1)
    by_committee.to_cell_vote(date(2021, 3, 1))
    by_committee.committee(date(2021, 6, 1))
    waiting = person(ledger, 2)
    waiting.to_cell_vote(date(2021, 3, 1))
    grassroots = Person(ledger, 3, "Trần Văn Nam", Sex.MALE, date(1996, 1, 5), "cbcs-b", grassroots=True)
    grassroots.to_cell_vote(date(2021, 3, 1))

    rows = ledger.build(unit_dashboard)

    assert (rows["cb-a"].get("year:2021") or {})["sent_up"] == 1
    assert (rows["cbcs-b"].get("year:2021") or {})["sent_up"] == 1


def test_an_admission_counts_in_the_year_of_the_decision_and_makes_a_probationary_member() -> None:
    ledger = Ledger()
    hung = person(ledger, 1, sex=Sex.MALE)
    hung.to_ceremony(date(2021, 9, 20))

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert rows.get("funnel") == {}
    assert rows.get("members") == {"probationary": 1}
    assert rows.get("year:2021") == {"nominated": 1, "trained": 1, "sent_up": 1, "stages": {"CommitteeApproved": 1}}
    assert rows.get("year:2022") == {
        "admitted": 1,
        "ceremonies": 1,
        "stages": {"CommitteeApproved": -1, "Probationary": 1},  # the year's net moves between buckets
    }


def test_recognition_moves_a_member_from_probationary_to_official() -> None:
    ledger = Ledger()
    official(ledger, 1)

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert rows.get("members") == {"official": 1}
    assert (rows.get("year:2022") or {})["recognised"] == 1
    assert (rows.get("stage_days") or {})["Probationary"] == {"count": 1, "days": 387}  # 29/8/2021 → 20/9/2022


def test_drop_outs_are_counted_by_kind_and_by_the_stage_left_from() -> None:
    ledger = Ledger()
    rejected = person(ledger, 1)
    rejected.to_cell_vote(date(2021, 3, 1))
    rejected.run(
        c.RejectCandidate(
            **rejected.at(date(2021, 6, 1), SCHOOL.unit_id), level=RejectionLevel.COMMITTEE, reason="Chưa đủ"
        ),
        PersonFacts(decider=SCHOOL),
    )
    withdrawn = person(ledger, 2)
    withdrawn.nominate(date(2021, 3, 1))
    withdrawn.run(c.WithdrawCandidate(**withdrawn.at(date(2021, 4, 1)), reason="Chuyển công tác"))

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert rows.get("dropouts") == {"rejected": {"CellApproved": 1}, "withdrawn": {"SourcePool": 1}}
    assert rows.get("closed") == {"Rejected": 1, "Withdrawn": 1}
    assert rows.get("funnel") == {}
    assert (rows.get("year:2021") or {})["dropouts"] == {"rejected": 1, "withdrawn": 1}


def test_a_transferred_candidate_leaves_one_unit_and_arrives_in_the_other() -> None:
    ledger = Ledger()
    hoa = person(ledger, 1)
    hoa.nominate(date(2021, 3, 1))
    hoa.train(date(2021, 3, 20))
    helper = PersonFacts(member=MemberFacts(person_id="cb-b-dv1", is_official=True))
    hoa.run(c.TransferCandidate(**hoa.at(date(2021, 4, 1)), to_cell_id="cb-b", helper_id="cb-b-dv1"), helper)

    rows = ledger.build(unit_dashboard)

    assert rows["cb-a"].get("funnel") == {}
    assert rows["cb-a"].get(f"p:{hoa.stream_id}") is None
    assert rows["cb-a"].get("year:2021") == {"nominated": 1, "trained": 1, "transferred_out": 1}
    assert rows["cb-b"].get("funnel") == {"Trained": 1}
    assert rows["cb-b"].get(f"p:{hoa.stream_id}") == {"stage": "Trained", "since": None}
    assert rows["cb-b"].get("year:2021") == {"transferred_in": 1, "stages": {"Trained": 1}}


def test_an_official_transfer_moves_the_member_and_a_temporary_one_does_not() -> None:
    ledger = Ledger()
    moving, visiting = official(ledger, 1), official(ledger, 2)
    moving.run(
        mc.IntroduceTransfer(
            **moving.at(date(2022, 10, 3)), kind=TransferKind.OFFICIAL, to_unit_id="cb-b", cause_on=date(2022, 9, 30)
        )
    )
    moving.run(mc.PresentTransfer(**moving.at(date(2022, 10, 10), "cb-b")))
    visiting.run(
        mc.IntroduceTransfer(
            **visiting.at(date(2022, 10, 3)), kind=TransferKind.TEMPORARY, to_unit_id="cb-c", cause_on=date(2022, 9, 30)
        )
    )
    visiting.run(mc.PresentTransfer(**visiting.at(date(2022, 10, 10), "cb-c")), also="cb-c")

    rows = ledger.build(unit_dashboard)

    assert rows["cb-a"].get("members") == {"official": 1}
    assert rows["cb-b"].get("members") == {"official": 1}
    assert rows["cb-c"].get("members") is None


def test_exits_are_counted_by_type_and_leave_the_members() -> None:
    ledger = Ledger()
    expelled, struck, left, annulled = (official(ledger, n) for n in (1, 2, 3, 4))
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
    left.run(
        mc.GrantVoluntaryExit(
            **left.at(date(2023, 4, 1)), reason="Hoàn cảnh gia đình", decision_ref="QĐ", family_hardship=True
        )
    )
    annulled.run(
        mc.AnnulAdmission(**annulled.at(date(2023, 5, 1), BLOC.unit_id), reason="Khai man", decision_ref="QĐ"),
        PersonFacts(decider=BLOC),
    )

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert rows.get("members") == {}
    assert rows.get("closed") == {"Expelled": 1, "StruckOff": 1, "Exited": 1, "Annulled": 1}
    year = rows.get("year:2023") or {}
    assert year["exits"] == {"expelled": 1, "struck_off": 1, "voluntary_exit": 1, "annulled": 1}
    assert rows.get("dropouts") == {"annulled": {"Official": 1}}
    assert "Official" not in (rows.get("stage_days") or {})  # years of membership are no stage of the path


def test_screening_is_filed_under_the_year_reviewed_and_breaches_under_the_year_of_the_late_step() -> None:
    ledger = Ledger()
    member = official(ledger, 1)
    member.run(mc.RecordScreeningOutcome(**member.at(date(2023, 1, 10)), year=2022, outcome=ScreeningOutcome.KEEP))
    late = person(ledger, 2)
    late.to_cell_vote(date(2021, 3, 1))
    late.committee(date(2021, 6, 1))
    late.decide(date(2021, 9, 30))

    rows = ledger.build(unit_dashboard)["cb-a"]

    assert (rows.get("year:2022") or {})["screening"] == {"keep": 1}
    assert (rows.get("year:2021") or {})["breaches"] == {"R-DECIDE-DEADLINE": 1}
