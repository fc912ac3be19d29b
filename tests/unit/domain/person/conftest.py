"""A candidate walked through the pipeline, one fixture per stage, for the person aggregate's tests.

Fixtures return domain types only, so test modules import nothing from here. Dates: nominated 1/3/2021,
cell vote 20/5/2021, decision 1/7/2021 (received 5/7), ceremony 19/7/2021, probation ends 19/7/2022.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypedDict

import pytest

from domain.calendar import WorkingCalendar
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.facts import NO_FACTS as NO
from domain.person.facts import CellFacts, DeciderFacts, MemberFacts, PersonFacts, SponsorFacts
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.state import initial_state
from domain.person.values import Relation, SponsorLetter, VerificationSubject
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from tests.support.person_ids import person_id_of

CITIZEN_ID = "001090123456"
CELL_ID = "cell-teachers"
MEMBERS = frozenset(f"member-{n}" for n in range(1, 8))


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar()


@pytest.fixture
def citizen_id() -> str:
    return CITIZEN_ID


@pytest.fixture
def particulars() -> Particulars:
    return Particulars(
        full_name="Nguyễn Văn An",
        sex=Sex.MALE,
        date_of_birth=date(1990, 5, 1),
        ethnicity=Ethnicity.KINH,
        religion=Religion.NONE,
        education=EducationLevel.UNIVERSITY,
        occupation=Occupation.PUBLIC_EMPLOYEE,
    )


@pytest.fixture
def cell() -> CellFacts:
    return CellFacts(cell_id=CELL_ID, official_member_ids=MEMBERS)


@pytest.fixture
def helper() -> PersonFacts:
    return PersonFacts(member=MemberFacts(person_id="member-1", is_official=True))


@pytest.fixture
def sponsors() -> tuple[SponsorFacts, ...]:
    return tuple(
        SponsorFacts(
            sponsor_id=f"member-{n}",
            kind=SponsorKind.MEMBER,
            is_official=True,
            months_co_working_same_unit=24,
        )
        for n in (1, 2)
    )


@pytest.fixture
def committee() -> DeciderFacts:
    return DeciderFacts(unit_id="school-committee", kind=UnitKind.GRASSROOTS_COMMITTEE, committee_size=9)


@pytest.fixture
def upper() -> DeciderFacts:
    return DeciderFacts(unit_id="bloc-committee", kind=UnitKind.UPPER_COMMITTEE)


class At(TypedDict):
    """The fields every command shares: whose stream, the paper's date, the acting unit."""

    person_id: str
    occurred_on: date
    acting_unit_id: str


def _at(state: PersonState, on: date) -> At:
    return At(person_id=state.person_id, occurred_on=on, acting_unit_id=CELL_ID)


@pytest.fixture
def nominated(calendar: WorkingCalendar, citizen_id: str, particulars: Particulars, helper: PersonFacts) -> PersonState:
    state = initial_state(person_id_of(citizen_id))
    nominate = c.NominateCandidate(
        **_at(state, date(2021, 3, 1)),
        citizen_id=citizen_id,
        particulars=particulars,
        helper_id="member-1",
        resolution_ref="NQ 03-NQ/CB",
    )
    return handle(state, nominate, calendar, helper)[0]


@pytest.fixture
def applied(calendar: WorkingCalendar, nominated: PersonState) -> PersonState:
    state = nominated
    for cmd in (
        c.RecordTrainingCertificate(
            **_at(state, date(2021, 3, 20)),
            certificate_ref="GCN 112",
            issued_on=date(2021, 3, 19),
        ),
        c.SubmitApplication(**_at(state, date(2021, 3, 25)), application_ref="Đơn 1-KNĐ"),
        c.SubmitBackgroundForm(**_at(state, date(2021, 3, 26)), form_ref="Lý lịch 2-KNĐ"),
    ):
        state = handle(state, cmd, calendar)[0]
    return state


@pytest.fixture
def verified(calendar: WorkingCalendar, applied: PersonState) -> PersonState:
    state = applied
    subjects = (
        VerificationSubject(relation=Relation.SELF, full_name="Nguyễn Văn An"),
        VerificationSubject(relation=Relation.FATHER, full_name="Nguyễn Văn Bình"),
        VerificationSubject(relation=Relation.MOTHER, full_name="Trần Thị Cúc", exempt_reason="đảng viên"),
    )
    for cmd in (
        c.OpenVerification(**_at(state, date(2021, 3, 29)), subjects=subjects),
        c.RecordVerificationResult(
            **_at(state, date(2021, 4, 20)),
            relation=Relation.SELF,
            full_name="Nguyễn Văn An",
            result_ref="KQ 1",
        ),
        c.RecordVerificationResult(
            **_at(state, date(2021, 4, 21)),
            relation=Relation.FATHER,
            full_name="Nguyễn Văn Bình",
            result_ref="KQ 2",
        ),
        c.CertifyVerification(**_at(state, date(2021, 4, 22))),
    ):
        state = handle(state, cmd, calendar)[0]
    return state


@pytest.fixture
def sponsored(calendar: WorkingCalendar, verified: PersonState, sponsors: tuple[SponsorFacts, ...]) -> PersonState:
    letters = tuple(
        SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref=f"GT {s.sponsor_id}") for s in sponsors
    )
    cmd = c.RecordSponsors(**_at(verified, date(2021, 5, 10)), sponsors=letters)
    return handle(verified, cmd, calendar, PersonFacts(sponsors=sponsors))[0]


@pytest.fixture
def cell_approved(
    calendar: WorkingCalendar, sponsored: PersonState, cell: CellFacts, sponsors: tuple[SponsorFacts, ...]
) -> PersonState:
    cmd = c.ApproveAtCell(**_at(sponsored, date(2021, 5, 20)), yes=6, no=1, resolution_ref="NQ 05-NQ/CB")
    return handle(sponsored, cmd, calendar, PersonFacts(cell=cell, sponsors=sponsors))[0]


@pytest.fixture
def committee_approved(calendar: WorkingCalendar, cell_approved: PersonState, committee: DeciderFacts) -> PersonState:
    cmd = c.ApproveAtCommittee(
        person_id=cell_approved.person_id,
        occurred_on=date(2021, 6, 1),
        acting_unit_id=committee.unit_id,
        yes=7,
        resolution_ref="NQ 20-NQ/ĐU",
    )
    return handle(cell_approved, cmd, calendar, PersonFacts(decider=committee))[0]


@pytest.fixture
def admitted(calendar: WorkingCalendar, committee_approved: PersonState, upper: DeciderFacts) -> PersonState:
    decide = c.DecideAdmission(
        person_id=committee_approved.person_id,
        occurred_on=date(2021, 7, 1),
        acting_unit_id=upper.unit_id,
        decision_ref="QĐ 101-QĐ/ĐUK",
    )
    state = handle(committee_approved, decide, calendar, PersonFacts(decider=upper))[0]
    receive = c.ReceiveAdmissionDecision(**_at(state, date(2021, 7, 5)))
    return handle(state, receive, calendar)[0]


@pytest.fixture
def probationary(calendar: WorkingCalendar, admitted: PersonState) -> PersonState:
    mentor = PersonFacts(member=MemberFacts(person_id="member-2", is_official=True))
    cmd = c.HoldCeremony(**_at(admitted, date(2021, 7, 19)), mentor_id="member-2", ceremony_ref="BB 7")
    return handle(admitted, cmd, calendar, mentor)[0]


@pytest.fixture
def official(calendar: WorkingCalendar, probationary: PersonState, cell: CellFacts, upper: DeciderFacts) -> PersonState:
    state = probationary
    course = mc.CompleteNewMemberCourse(**_at(state, date(2021, 10, 1)), certificate_ref="GCN ĐVM 9")
    state = handle(state, course, calendar)[0]
    vote = mc.HoldRecognitionVote(**_at(state, date(2022, 7, 25)), yes=6, no=0, resolution_ref="NQ 12")
    state = handle(state, vote, calendar, PersonFacts(cell=cell))[0]
    recognise = mc.RecogniseOfficial(
        person_id=state.person_id,
        occurred_on=date(2022, 8, 10),
        acting_unit_id=upper.unit_id,
        decision_ref="QĐ 7",
    )
    return handle(state, recognise, calendar, PersonFacts(decider=upper))[0]


def _pipeline(
    state: PersonState,
    start: date,
    citizen_id: str,
    particulars: Particulars,
    cell: CellFacts,
    sponsors: tuple[SponsorFacts, ...],
) -> list[tuple[c.PersonCommand, PersonFacts]]:
    """The commands (and facts) from nomination on `start` to the cell's vote 80 days later."""

    def on(days: int) -> At:
        return _at(state, start + timedelta(days=days))

    name = particulars.full_name
    letters = tuple(SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="GT") for s in sponsors)
    helper = PersonFacts(member=MemberFacts(person_id="member-1", is_official=True))
    nominate = c.NominateCandidate(
        **on(0), citizen_id=citizen_id, particulars=particulars, helper_id="member-1", resolution_ref="NQ"
    )
    return [
        (nominate, helper),
        (c.RecordTrainingCertificate(**on(19), certificate_ref="GCN", issued_on=start + timedelta(days=18)), NO),
        (c.SubmitApplication(**on(24), application_ref="Đơn"), NO),
        (c.SubmitBackgroundForm(**on(25), form_ref="Lý lịch"), NO),
        (c.OpenVerification(**on(28), subjects=(VerificationSubject(relation=Relation.SELF, full_name=name),)), NO),
        (c.RecordVerificationResult(**on(50), relation=Relation.SELF, full_name=name, result_ref="KQ"), NO),
        (c.CertifyVerification(**on(52)), NO),
        (c.RecordSponsors(**on(70), sponsors=letters), PersonFacts(sponsors=sponsors)),
        (c.ApproveAtCell(**on(80), yes=7, no=0, resolution_ref="NQ"), PersonFacts(cell=cell, sponsors=sponsors)),
    ]


@pytest.fixture
def walk_to_committee(
    calendar: WorkingCalendar,
    citizen_id: str,
    particulars: Particulars,
    cell: CellFacts,
    sponsors: tuple[SponsorFacts, ...],
    committee: DeciderFacts,
) -> Callable[[PersonState, date], PersonState]:
    """Open a (new) file on `start` and walk it to the committee's resolution 92 days later."""

    def walk(state: PersonState, start: date) -> PersonState:
        for cmd, facts in _pipeline(state, start, citizen_id, particulars, cell, sponsors):
            state = handle(state, cmd, calendar, facts)[0]
        resolve = c.ApproveAtCommittee(
            person_id=state.person_id,
            occurred_on=start + timedelta(days=92),
            acting_unit_id=committee.unit_id,
            yes=9,
            resolution_ref="NQ",
        )
        return handle(state, resolve, calendar, PersonFacts(decider=committee))[0]

    return walk
