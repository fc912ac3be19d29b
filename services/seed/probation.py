"""From the admission decision to official membership (DOMAIN.md §2.9–§2.11), as cells and bodies take the steps."""

from __future__ import annotations

from datetime import date

from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import PersonFacts
from domain.rules.votes import VoteOutcome
from domain.units.kinds import UnitKind
from services.seed.admission import QUORUM, at, cell_of, committee_yes, votes
from services.seed.desk import Desk, Person
from services.seed.facts import cell_facts, competent, member_facts
from services.seed.fates import Outcome
from services.seed.papers import body_abbreviation, numbered, vi_date


def ceremony(desk: Desk, person: Person, on: date) -> None:
    """§2.9: the cell receives the decision, then holds the ceremony with a mentor; late only with consent."""
    file = person.state.file
    assert file is not None
    if file.decision_received_on is None:
        desk.command(person, c.ReceiveAdmissionDecision(**at(person, on)))
        return
    assert file.ceremony_deadline is not None
    if file.ceremony_deadline.late_by(desk.calendar, on) and file.late_ceremony_consent_ref is None:
        upper = desk.parent_of(desk.grassroots_of(cell_of(person), on).unit_id, on)
        ref = numbered(desk.rng, "CV", body_abbreviation(upper), on, "đồng ý tổ chức lễ kết nạp quá thời hạn")
        desk.command(person, c.ConsentToLateCeremony(**at(person, on, upper.unit_id), consent_ref=ref))
        return
    mentors = desk.officials(cell_of(person), exclude=person.person_id)
    if not mentors:
        return
    mentor = desk.rng.choice(mentors)
    held = c.HoldCeremony(
        **at(person, on), mentor_id=mentor.person_id, ceremony_ref=f"Biên bản lễ kết nạp đảng viên ngày {vi_date(on)}"
    )
    desk.command(person, held, PersonFacts(member=member_facts(mentor)))


def probation(desk: Desk, person: Person, on: date) -> None:
    """§2.10–§2.11: the new-member course, the cell's vote after 12 months, the competent body's decision."""
    m = person.state.membership
    assert m is not None
    if not m.course_completed:
        ref = f"Giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng viên mới số {desk.rng.randint(10, 990)}"
        desk.command(person, mc.CompleteNewMemberCourse(**at(person, on), certificate_ref=ref))
    elif m.cell_verdict is None and not m.escalated:
        _recognition_vote(desk, person, on)
    else:
        _recognition_decision(desk, person, on, m.cell_verdict is VoteOutcome.FOR)


def _recognition_vote(desk: Desk, person: Person, on: date) -> None:
    cell = cell_facts(desk, cell_of(person), on)
    if len(cell.official_member_ids) < QUORUM or cell.denominator < QUORUM:
        return
    against = person.fate.outcome is Outcome.NOT_RECOGNISED
    yes, no = votes(desk, cell.denominator, against=against)
    what = "không đề nghị công nhận đảng viên chính thức" if against else "đề nghị công nhận đảng viên chính thức"
    ref = numbered(desk.rng, "NQ", "CB", on, what)
    vote = mc.HoldRecognitionVote(**at(person, on), yes=yes, no=no, resolution_ref=ref)
    desk.command(person, vote, PersonFacts(cell=cell))


def _recognition_decision(desk: Desk, person: Person, on: date, recognised: bool) -> None:
    """R-AUTH-ADMIT: the body competent on the decision date (after 1/7/2025, a commune committee)."""
    body = competent(desk, cell_of(person), on)
    unit = desk.tree.as_of(on).require(body.unit_id)
    delegated = body.kind is UnitKind.GRASSROOTS_COMMITTEE and body.admission_delegated
    in_favour = committee_yes(desk, body.committee_size) if delegated else None
    suffix = body_abbreviation(unit)
    command: c.PersonCommand
    if recognised:
        ref = numbered(desk.rng, "QĐ", suffix, on, "công nhận đảng viên chính thức")
        command = mc.RecogniseOfficial(**at(person, on, body.unit_id), decision_ref=ref, votes_in_favour=in_favour)
    else:
        ref = numbered(desk.rng, "QĐ", suffix, on, "xóa tên đảng viên dự bị")
        command = mc.StrikeOffProbationary(
            **at(person, on, body.unit_id),
            decision_ref=ref,
            reason="Không đủ tư cách đảng viên chính thức sau thời gian dự bị",
            votes_in_favour=in_favour,
        )
    desk.command(person, command, PersonFacts(decider=body))
