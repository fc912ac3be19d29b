"""Random command sequences through one person; the invariants hold whatever is accepted or refused.

Invariants: never official without a ceremony; never two open files (a file exactly in the file stages);
probation never shorter than 12 months; the stage is always a `Stage`; replaying the emitted events from
scratch gives the live state; `evolve` never changes the state it is given (it stamps its own fresh copy);
every refusal names a rule (or a field) in English and NFC Vietnamese.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.errors import DomainError, RuleViolation
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.events import AdmissionCeremonyHeld, CandidateNominated, PersonEvent
from domain.person.facts import CellFacts, DeciderFacts, MemberFacts, PersonFacts, RatingFacts, SponsorFacts
from domain.person.handlers import decide
from domain.person.member_events import MemberEnrolled, OfficialRecognised
from domain.person.stages import FILE_STAGES, MEMBER_STAGES, Stage
from domain.person.state import evolve, initial_state, replay
from domain.person.values import RejectionLevel, Relation, SponsorLetter, TransferKind, VerificationSubject
from domain.rules.authority import Penalty
from domain.rules.periods import add_months
from domain.rules.ratings import Grade
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from tests.support.person_ids import person_id_of

CALENDAR = WorkingCalendar()
CITIZEN_ID = "001095123456"
NAME = "Hoàng Văn Sơn"
PARTICULARS = Particulars(
    full_name=NAME,
    sex=Sex.MALE,
    date_of_birth=date(1995, 3, 3),
    ethnicity=Ethnicity.TAY,
    religion=Religion.NONE,
    education=EducationLevel.UNIVERSITY,
    occupation=Occupation.STATE_OFFICIAL,
)
CELL = "cell-a"
MEMBERS = frozenset(f"m{n}" for n in range(1, 8))
UPPER = DeciderFacts(unit_id="upper", kind=UnitKind.UPPER_COMMITTEE)
COMMITTEE = DeciderFacts(unit_id="grassroots", kind=UnitKind.GRASSROOTS_COMMITTEE, committee_size=9)
SPONSORS = tuple(
    SponsorFacts(sponsor_id=f"m{n}", kind=SponsorKind.MEMBER, is_official=True, months_co_working_same_unit=20)
    for n in (1, 2)
)
LETTERS = tuple(SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="GT") for s in SPONSORS)
HELPER = MemberFacts(person_id="m1", is_official=True)
DICE = st.integers(0, 5)
"""Steps that end a file or a membership act one time in six, so runs also reach the later stages."""
FACTS = PersonFacts(
    cell=CellFacts(cell_id=CELL, official_member_ids=MEMBERS),
    sponsors=SPONSORS,
    member=HELPER,
    decider=UPPER,
    rating=RatingFacts(rated_good=10, rated_excellent=0),
)


class PersonMachine(RuleBasedStateMachine):
    """Drives one person with a mix of the next sensible step and arbitrary (often refused) commands."""

    def __init__(self) -> None:
        super().__init__()
        self.state = initial_state(person_id_of(CITIZEN_ID))
        self.log: list[tuple[PersonEvent, date]] = []
        self.today = date(2020, 1, 6)

    def base(self, unit: str | None = None) -> dict[str, Any]:
        return {
            "person_id": self.state.person_id,
            "occurred_on": self.today,
            "acting_unit_id": unit or self.state.cell_id or CELL,
        }

    def attempt(self, command: c.PersonCommand, facts: PersonFacts = FACTS) -> None:
        try:
            events = decide(self.state, command, CALENDAR, facts)
        except DomainError as refusal:
            self.check_refusal(refusal)
            return
        for event in events:
            name, version, data = EVENTS.encode(event)
            assert EVENTS.decode(name, version, data) == event
            previous, kept = self.state, dict(vars(self.state))
            self.state = evolve(self.state, event, command.occurred_on)
            assert vars(previous) == kept, "evolve changed the state it was given"
            self.log.append((event, command.occurred_on))

    @staticmethod
    def check_refusal(refusal: DomainError) -> None:
        """I12: a refusal names its rule (or field) and reads in both languages, Vietnamese in NFC."""
        assert refusal.message_en and refusal.message_vi
        assert unicodedata.is_normalized("NFC", refusal.message_vi)
        if isinstance(refusal, RuleViolation):
            assert refusal.rule_id.startswith("R-")

    @rule(days=st.integers(0, 45) | st.integers(300, 500))
    def time_passes(self, days: int) -> None:
        self.today += timedelta(days=days)

    @rule(gaps=st.lists(st.integers(0, 12), min_size=1, max_size=8))
    def next_sensible_steps(self, gaps: list[int]) -> None:
        for gap in gaps:
            self.today += timedelta(days=gap)
            self.attempt(self.sensible_command())

    def sensible_command(self) -> c.PersonCommand:
        s, b = self.state.stage, self.base()
        file = self.state.file
        if s in {Stage.NEW, Stage.REJECTED, Stage.WITHDRAWN, Stage.ANNULLED, Stage.STRUCK_OFF, Stage.EXITED}:
            return c.NominateCandidate(
                **b, citizen_id=CITIZEN_ID, particulars=PARTICULARS, helper_id="m1", resolution_ref="NQ"
            )
        if s is Stage.SOURCE_POOL:
            return c.RecordTrainingCertificate(**b, certificate_ref="GCN", issued_on=self.today)
        if s is Stage.TRAINED:
            return c.SubmitApplication(**b, application_ref="Đơn")
        if s is Stage.APPLIED and file is not None and file.background_form_ref is None:
            return c.SubmitBackgroundForm(**b, form_ref="LL")
        if s is Stage.APPLIED and file is not None and not file.verification_opened:
            return c.OpenVerification(**b, subjects=(VerificationSubject(relation=Relation.SELF, full_name=NAME),))
        if s is Stage.APPLIED and file is not None and file.pending_results():
            return c.RecordVerificationResult(**b, relation=Relation.SELF, full_name=NAME, result_ref="KQ")
        return self.later_command(s)

    def later_command(self, s: Stage) -> c.PersonCommand:
        b = self.base()
        membership = self.state.membership
        steps: dict[Stage, c.PersonCommand] = {
            Stage.APPLIED: c.CertifyVerification(**b),
            Stage.VERIFIED: c.RecordSponsors(**b, sponsors=LETTERS),
            Stage.SPONSORED: c.ApproveAtCell(**b, yes=6, no=1, resolution_ref="NQ"),
            Stage.CELL_APPROVED: c.ApproveAtCommittee(**self.base(COMMITTEE.unit_id), yes=7, resolution_ref="NQ"),
            Stage.COMMITTEE_APPROVED: c.DecideAdmission(**self.base(UPPER.unit_id), decision_ref="QĐ"),
            Stage.ADMITTED: c.HoldCeremony(**b, mentor_id="m1", ceremony_ref="BB"),
            Stage.OFFICIAL: mc.RateMember(**b, year=self.today.year, grade=Grade.GOOD),
            Stage.EXPELLED: mc.AppealExpulsion(**b, appeal_ref="Đơn"),
        }
        if s is Stage.PROBATIONARY and membership is not None and not membership.course_completed:
            return mc.CompleteNewMemberCourse(**b, certificate_ref="GCN")
        if s is Stage.PROBATIONARY and membership is not None and membership.cell_verdict is None:
            return mc.HoldRecognitionVote(**b, yes=6, no=0, resolution_ref="NQ")
        if s is Stage.PROBATIONARY:
            return mc.RecogniseOfficial(**self.base(UPPER.unit_id), decision_ref="QĐ")
        return steps[s]

    @rule(days_ago=st.integers(0, 9000), official=st.booleans(), dice=DICE)
    def enrol_from_the_roll(self, days_ago: int, official: bool, dice: int) -> None:
        """A member admitted before the ledger, often refused (too young then, official too soon, open file)."""
        if dice:
            return
        ceremony = self.today - timedelta(days=days_ago)
        enrol = mc.EnrollMember(
            **self.base(),
            citizen_id=CITIZEN_ID,
            particulars=PARTICULARS,
            cell_id=CELL,
            admitted_on=ceremony - timedelta(days=20),
            ceremony_on=ceremony,
            official_from=add_months(ceremony, 12) if official else None,
            roll_ref="Thẻ đảng viên",
        )
        self.attempt(enrol)

    @rule(stage_facts=st.sampled_from(["committee", "upper"]))
    def committee_step(self, stage_facts: str) -> None:
        body = COMMITTEE if stage_facts == "committee" else UPPER
        self.attempt(
            c.ApproveAtCommittee(**self.base(body.unit_id), yes=7, resolution_ref="NQ"), PersonFacts(decider=body)
        )

    @rule(yes=st.integers(0, 7), no=st.integers(0, 7))
    def recognition_round(self, yes: int, no: int) -> None:
        self.attempt(mc.HoldRecognitionVote(**self.base(), yes=yes, no=no, resolution_ref="NQ"))

    @rule(months_old=st.integers(0, 70))
    def old_certificate(self, months_old: int) -> None:
        issued = add_months(self.today, -months_old)
        self.attempt(c.RecordTrainingCertificate(**self.base(), certificate_ref="GCN", issued_on=issued))

    @rule(level=st.sampled_from(RejectionLevel), dice=DICE)
    def reject(self, level: RejectionLevel, dice: int) -> None:
        if dice:
            return
        unit = UPPER.unit_id if level is RejectionLevel.DECIDER else None
        self.attempt(c.RejectCandidate(**self.base(unit), level=level, reason="Chưa đủ tiêu chuẩn"))

    @rule(dice=DICE)
    def return_dossier(self, dice: int) -> None:
        if dice:
            return
        self.attempt(c.ReturnDossier(**self.base(), reason="Bổ sung"))

    @rule(dice=DICE)
    def withdraw(self, dice: int) -> None:
        if dice:
            return
        self.attempt(c.WithdrawCandidate(**self.base(), reason="Nguyện vọng"))

    @rule(to_cell=st.sampled_from(["cell-a", "cell-b"]))
    def move_candidate(self, to_cell: str) -> None:
        self.attempt(c.TransferCandidate(**self.base(), to_cell_id=to_cell, helper_id="m1"))

    @rule(days=st.integers(0, 40))
    def extend(self, days: int) -> None:
        self.attempt(c.ExtendDecisionDeadline(**self.base(UPPER.unit_id), extra_working_days=days, reason="Bổ sung"))

    @rule()
    def consent_to_late_ceremony(self) -> None:
        self.attempt(c.ConsentToLateCeremony(**self.base(UPPER.unit_id), consent_ref="CV"))

    @rule(dice=DICE)
    def strike_off_probationary(self, dice: int) -> None:
        if dice:
            return
        self.attempt(mc.StrikeOffProbationary(**self.base(UPPER.unit_id), decision_ref="QĐ", reason="Không đủ tư cách"))

    @rule(penalty=st.sampled_from(Penalty), kind=st.sampled_from([UnitKind.CELL, UnitKind.UPPER_COMMITTEE]))
    def discipline(self, penalty: Penalty, kind: UnitKind) -> None:
        body = DeciderFacts(unit_id=UPPER.unit_id if kind is UnitKind.UPPER_COMMITTEE else CELL, kind=kind)
        cmd = mc.DisciplineMember(**self.base(body.unit_id), penalty=penalty, reason="Vi phạm", decision_ref="QĐ")
        self.attempt(cmd, PersonFacts(decider=body))

    @rule(upheld=st.booleans())
    def resolve_appeal(self, upheld: bool) -> None:
        self.attempt(mc.ResolveExpulsionAppeal(**self.base(UPPER.unit_id), upheld=upheld, decision_ref="QĐ"))

    @rule(hardship=st.booleans(), dice=DICE)
    def leave(self, hardship: bool, dice: int) -> None:
        if dice:
            return
        self.attempt(
            mc.GrantVoluntaryExit(**self.base(), reason="Gia đình", decision_ref="QĐ", family_hardship=hardship)
        )

    @rule()
    def report_violation(self) -> None:
        self.attempt(mc.ReportViolation(**self.base(), reason="Tố cáo"))

    @rule(kind=st.sampled_from(TransferKind))
    def transfer_member(self, kind: TransferKind) -> None:
        self.attempt(mc.IntroduceTransfer(**self.base(), kind=kind, to_unit_id="cell-b", cause_on=self.today))
        self.attempt(mc.PresentTransfer(**self.base("cell-b")))

    @rule(dice=DICE)
    def annul(self, dice: int) -> None:
        if dice:
            return
        self.attempt(mc.AnnulAdmission(**self.base(UPPER.unit_id), reason="Sai lý lịch", decision_ref="QĐ"))

    @invariant()
    def stage_is_a_stage_with_matching_shapes(self) -> None:
        s = self.state
        assert isinstance(s.stage, Stage)
        assert (s.stage in FILE_STAGES) == (s.file is not None), "a file exactly when in a file stage"
        assert (s.stage in MEMBER_STAGES) == (s.membership is not None)

    @invariant()
    def never_official_without_ceremony_nor_short_probation(self) -> None:
        m = self.state.membership
        if m is not None:
            assert m.probation_ends_on == add_months(m.ceremony_on, 12)
            assert any(
                (isinstance(e, AdmissionCeremonyHeld) and on == m.ceremony_on)
                or (isinstance(e, MemberEnrolled) and e.ceremony_on == m.ceremony_on)
                for e, on in self.log
            )
        if self.state.stage is Stage.OFFICIAL:
            assert m is not None and m.official_from is not None
            assert m.official_from == add_months(m.ceremony_on, 12)
            assert any(
                isinstance(e, OfficialRecognised | MemberEnrolled) and e.official_from == m.official_from <= on
                for e, on in self.log
            )

    @invariant()
    def one_file_at_a_time(self) -> None:
        """Replaying stage by stage, a nomination or an enrolment only follows a stage without file or membership."""
        state = initial_state(self.state.person_id)
        for event, on in self.log:
            if isinstance(event, CandidateNominated | MemberEnrolled):
                assert state.file is None and state.membership is None
            state = evolve(state, event, on)

    @invariant()
    def replay_equals_live(self) -> None:
        assert replay(self.state.person_id, self.log) == self.state


PersonMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestPersonMachine = PersonMachine.TestCase
