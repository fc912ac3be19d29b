"""DOMAIN.md §5's worked example as commands that all succeed: the province's Political School, December 2021.

The school's party committee (đảng bộ cơ sở, not delegated to admit) has 5 cells and 32 members (31 official,
1 probationary) under the bloc committee (Đảng ủy Khối các cơ quan tỉnh). In 2021 one dossier is completed and
sent up to the bloc committee, three candidates go to the awareness class, one probationary member is
recognised as official, and screening removes nobody. (The term target of 5 admissions is the unit's.)
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TypedDict

from domain.calendar import WorkingCalendar
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.events import PersonEvent
from domain.person.facts import NO_FACTS, CellFacts, DeciderFacts, MemberFacts, PersonFacts, SponsorFacts
from domain.person.handlers import handle
from domain.person.stages import Stage
from domain.person.state import initial_state, replay
from domain.person.values import Relation, SponsorLetter, VerificationSubject
from domain.rules.removal import ScreeningOutcome
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from tests.support.person_ids import person_id_of

CALENDAR = WorkingCalendar()
CELL_SIZES = {"cb-dao-tao": 7, "cb-ly-luan": 7, "cb-xay-dung-dang": 6, "cb-van-phong": 6, "cb-nghien-cuu": 5}
CELLS = {
    cell: CellFacts(cell_id=cell, official_member_ids=frozenset(f"{cell}-dv{n}" for n in range(1, size + 1)))
    for cell, size in CELL_SIZES.items()
}
SCHOOL = DeciderFacts(unit_id="du-truong-chinh-tri", kind=UnitKind.GRASSROOTS_COMMITTEE, committee_size=7)
BLOC = DeciderFacts(unit_id="du-khoi-co-quan-tinh", kind=UnitKind.UPPER_COMMITTEE)


class At(TypedDict):
    """Whose stream, the paper's date, the acting unit: what every command names."""

    person_id: str
    occurred_on: date
    acting_unit_id: str


class Candidate:
    """One person of the school: their stream's state and log; every command given must succeed."""

    def __init__(self, citizen_id: str, name: str, sex: Sex, born: date, cell: str) -> None:
        self.citizen_id, self.cell = citizen_id, cell
        self.particulars = Particulars(
            full_name=name,
            sex=sex,
            date_of_birth=born,
            ethnicity=Ethnicity.KINH,
            religion=Religion.NONE,
            education=EducationLevel.MASTER,
            occupation=Occupation.PUBLIC_EMPLOYEE,
        )
        self.state = initial_state(person_id_of(citizen_id))
        self.log: list[tuple[PersonEvent, date]] = []

    def at(self, on: date, unit: str | None = None) -> At:
        return At(person_id=self.state.person_id, occurred_on=on, acting_unit_id=unit or self.cell)

    def run(self, cmd: c.PersonCommand, facts: PersonFacts = NO_FACTS) -> None:
        self.state, events = handle(self.state, cmd, CALENDAR, facts)
        self.log.extend((event, cmd.occurred_on) for event in events)

    def sponsors(self) -> tuple[SponsorFacts, ...]:
        return tuple(
            SponsorFacts(
                sponsor_id=f"{self.cell}-dv{n}",
                kind=SponsorKind.MEMBER,
                is_official=True,
                months_co_working_same_unit=36,
            )
            for n in (1, 2)
        )


def nominate_and_train(person: Candidate, listed: date, trained: date) -> None:
    helper = PersonFacts(member=MemberFacts(person_id=f"{person.cell}-dv1", is_official=True))
    nominate = c.NominateCandidate(
        **person.at(listed),
        citizen_id=person.citizen_id,
        particulars=person.particulars,
        helper_id=f"{person.cell}-dv1",
        resolution_ref="NQ chi bộ",
    )
    person.run(nominate, helper)
    person.run(c.RecordTrainingCertificate(**person.at(trained), certificate_ref="GCN", issued_on=trained))


def verify(person: Candidate, applied: date, results_in: date) -> None:
    """Application, background form, verification of the candidate (parents exempt: both are members)."""
    name = person.particulars.full_name
    subjects = (
        VerificationSubject(relation=Relation.SELF, full_name=name),
        VerificationSubject(relation=Relation.FATHER, full_name="Cha", exempt_reason="Cha là đảng viên"),
    )
    person.run(c.SubmitApplication(**person.at(applied), application_ref="Đơn xin vào Đảng"))
    person.run(c.SubmitBackgroundForm(**person.at(applied), form_ref="Lý lịch"))
    person.run(c.OpenVerification(**person.at(applied), subjects=subjects))
    result = c.RecordVerificationResult(
        **person.at(results_in), relation=Relation.SELF, full_name=name, result_ref="KQ"
    )
    person.run(result)
    person.run(c.CertifyVerification(**person.at(results_in)))


def send_up(person: Candidate, sponsored: date, voted: date, resolved: date) -> None:
    """Sponsors, the cell's resolution, then the school committee's: the dossier goes to the bloc committee."""
    sponsors = person.sponsors()
    letters = tuple(
        SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="Giấy giới thiệu") for s in sponsors
    )
    person.run(c.RecordSponsors(**person.at(sponsored), sponsors=letters), PersonFacts(sponsors=sponsors))
    cell = CELLS[person.cell]
    vote = c.ApproveAtCell(**person.at(voted), yes=len(cell.official_member_ids) - 1, no=1, resolution_ref="NQ chi bộ")
    person.run(vote, PersonFacts(cell=cell, sponsors=sponsors))
    person.run(
        c.ApproveAtCommittee(**person.at(resolved, SCHOOL.unit_id), yes=6, resolution_ref="NQ đảng ủy"),
        PersonFacts(decider=SCHOOL),
    )


def admit_and_recognise(person: Candidate) -> None:
    """Admitted by the bloc committee in November 2020, ceremony on 10/12/2020, recognised in December 2021."""
    person.run(
        c.DecideAdmission(**person.at(date(2020, 11, 16), BLOC.unit_id), decision_ref="QĐ 215-QĐ/ĐUK"),
        PersonFacts(decider=BLOC),
    )
    person.run(c.ReceiveAdmissionDecision(**person.at(date(2020, 11, 20))))
    mentor = PersonFacts(member=MemberFacts(person_id=f"{person.cell}-dv2", is_official=True))
    person.run(
        c.HoldCeremony(**person.at(date(2020, 12, 10)), mentor_id=f"{person.cell}-dv2", ceremony_ref="Biên bản"), mentor
    )
    person.run(mc.CompleteNewMemberCourse(**person.at(date(2021, 4, 20)), certificate_ref="GCN đảng viên mới"))
    vote = mc.HoldRecognitionVote(**person.at(date(2021, 12, 13)), yes=6, no=0, resolution_ref="NQ chuyển chính thức")
    person.run(vote, PersonFacts(cell=CELLS[person.cell]))
    person.run(
        mc.RecogniseOfficial(**person.at(date(2021, 12, 27), BLOC.unit_id), decision_ref="QĐ 480-QĐ/ĐUK"),
        PersonFacts(decider=BLOC),
    )
    person.run(mc.RecordScreeningOutcome(**person.at(date(2021, 12, 28)), year=2021, outcome=ScreeningOutcome.KEEP))


def the_school_in_2021() -> dict[str, Candidate]:
    hung = Candidate("038088001234", "Lê Văn Hùng", Sex.MALE, date(1988, 2, 14), "cb-dao-tao")
    nominate_and_train(hung, date(2020, 1, 6), date(2020, 3, 20))
    verify(hung, date(2020, 4, 1), date(2020, 6, 5))
    send_up(hung, date(2020, 8, 20), date(2020, 9, 14), date(2020, 10, 5))
    admit_and_recognise(hung)
    hoa = Candidate("038195004321", "Phạm Thị Hoa", Sex.FEMALE, date(1995, 9, 2), "cb-ly-luan")
    nominate_and_train(hoa, date(2021, 3, 1), date(2021, 4, 16))
    verify(hoa, date(2021, 5, 3), date(2021, 8, 16))
    send_up(hoa, date(2021, 10, 4), date(2021, 11, 15), date(2021, 12, 6))
    trainees = [
        Candidate("038098000111", "Trịnh Văn Nam", Sex.MALE, date(1998, 1, 5), "cb-xay-dung-dang"),
        Candidate("038199000222", "Đỗ Thị Lan", Sex.FEMALE, date(1999, 7, 9), "cb-van-phong"),
        Candidate("038201000333", "Vũ Đức Minh", Sex.MALE, date(2001, 11, 30), "cb-nghien-cuu"),
    ]
    for trainee in trainees:
        nominate_and_train(trainee, date(2021, 10, 11), date(2021, 12, 17))
    return {"hung": hung, "hoa": hoa} | {t.cell: t for t in trainees}


def test_the_political_school_in_december_2021() -> None:
    school = the_school_in_2021()
    assert Counter(p.state.stage for p in school.values()) == {
        Stage.OFFICIAL: 1,
        Stage.COMMITTEE_APPROVED: 1,
        Stage.TRAINED: 3,
    }
    assert sum(len(cell.official_member_ids) for cell in CELLS.values()) + 1 == 32
    hung = school["hung"].state
    assert hung.membership is not None and hung.membership.official_from == date(2021, 12, 10)
    assert hung.membership.admitted_on == date(2020, 11, 16)
    assert hung.screenings == ((2021, ScreeningOutcome.KEEP),)
    hoa = school["hoa"].state
    assert hoa.file is not None and hoa.file.decision_deadline is not None
    assert hoa.file.decision_deadline.due_on == CALENDAR.add_working_days(date(2021, 11, 15), 60)


def test_the_school_replays_to_the_same_states_all_under_qd24_2021() -> None:
    for person in the_school_in_2021().values():
        assert replay(person.state.person_id, person.log) == person.state
        assert {event.rule_set for event, _ in person.log} == {"qd24-2021"}
