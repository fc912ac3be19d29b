"""What happened to a person as a member (DOMAIN.md §2.10–§4): probation, transfers, removal, ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar

from domain.codec import EVENTS
from domain.particulars import Particulars
from domain.person.events import PersonEvent
from domain.person.values import TransferKind
from domain.privacy import NotPersonal, Personal, Sensitive
from domain.rules.authority import Penalty
from domain.rules.deadlines import Deadline
from domain.rules.ratings import Grade
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import ScreeningOutcome, StrikeOffGround
from domain.rules.votes import VoteOutcome


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberEnrolled(PersonEvent):
    """A member admitted before the ledger started was entered from the roll; seniority from `admitted_on`.

    No mentor is recorded (the roll does not name one); `recognition_vote_deadline` only while on probation.
    """

    event_type: ClassVar[str] = "MemberEnrolled"
    citizen_id: Annotated[str, Personal.CITIZEN_ID]
    particulars: Particulars
    cell_id: Annotated[str, NotPersonal.UNIT]
    admitted_on: Annotated[date, NotPersonal.PROCEDURE]
    ceremony_on: Annotated[date, NotPersonal.PROCEDURE]
    probation_ends_on: Annotated[date, NotPersonal.PROCEDURE]
    official_from: Annotated[date | None, NotPersonal.PROCEDURE]
    recognition_vote_deadline: Deadline | None
    roll_ref: Annotated[str, Personal.PAPER]
    readmission: Annotated[bool, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class NewMemberCourseCompleted(PersonEvent):
    """The probationary member completed the new-member course (R-NEWMEMBER-COURSE)."""

    event_type: ClassVar[str] = "NewMemberCourseCompleted"
    certificate_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class RecognitionVoteHeld(PersonEvent):
    """A round of the cell's recognition vote; a decided round starts the body's clock."""

    event_type: ClassVar[str] = "RecognitionVoteHeld"
    round: Annotated[int, NotPersonal.PROCEDURE]
    yes: Annotated[int, NotPersonal.PROCEDURE]
    no: Annotated[int, NotPersonal.PROCEDURE]
    denominator: Annotated[int, NotPersonal.PROCEDURE]
    outcome: Annotated[VoteOutcome, NotPersonal.PROCEDURE]
    resolution_ref: Annotated[str, Personal.PAPER]
    decision_deadline: Deadline | None


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class RecognitionEscalated(PersonEvent):
    """Rounds deadlocked; the upper committee decides (R-RECOGNISE-DEADLOCK)."""

    event_type: ClassVar[str] = "RecognitionEscalated"
    rounds: Annotated[int, NotPersonal.PROCEDURE]
    decision_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class OfficialRecognised(PersonEvent):
    """Official from `official_from`, exactly 12 months after the ceremony (R-RECOGNISE-BACKDATE)."""

    event_type: ClassVar[str] = "OfficialRecognised"
    decision_ref: Annotated[str, Personal.PAPER]
    decider_unit_id: Annotated[str, NotPersonal.UNIT]
    official_from: Annotated[date, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ProbationaryMemberStruckOff(PersonEvent):
    """The probationary member was not recognised and was struck off (xóa tên)."""

    event_type: ClassVar[str] = "ProbationaryMemberStruckOff"
    decision_ref: Annotated[str, Personal.PAPER]
    decider_unit_id: Annotated[str, NotPersonal.UNIT]
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberTransferIntroduced(PersonEvent):
    """The home unit introduced the member's transfer; the new unit must receive it in time (R-TRANSFER)."""

    event_type: ClassVar[str] = "MemberTransferIntroduced"
    kind: Annotated[TransferKind, NotPersonal.PROCEDURE]
    to_unit_id: Annotated[str, NotPersonal.UNIT]
    cause_on: Annotated[date, NotPersonal.PROCEDURE]
    present_deadline: Deadline | None


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberTransferPresented(PersonEvent):
    """The member presented the transfer to the new unit; an official one moves the member's cell."""

    event_type: ClassVar[str] = "MemberTransferPresented"
    kind: Annotated[TransferKind, NotPersonal.PROCEDURE]
    to_unit_id: Annotated[str, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class TemporaryTransferEnded(PersonEvent):
    """The member came back from a temporary transfer and counts in the home cell's votes again."""

    event_type: ClassVar[str] = "TemporaryTransferEnded"
    from_unit_id: Annotated[str, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ViolationReported(PersonEvent):
    """A violation is pending against the member; a voluntary exit waits for it (R-EXIT-VOLUNTARY)."""

    event_type: ClassVar[str] = "ViolationReported"
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ViolationDismissed(PersonEvent):
    """The pending violation was closed without a penalty."""

    event_type: ClassVar[str] = "ViolationDismissed"
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberDisciplined(PersonEvent):
    """A penalty by a competent body (R-AUTH-DISCIPLINE); an expulsion is appealable until `appeal_by`."""

    event_type: ClassVar[str] = "MemberDisciplined"
    penalty: Annotated[Penalty, Sensitive.PARTY_STANDING]
    reason: Annotated[str, Sensitive.PARTY_STANDING]
    decision_ref: Annotated[str, Personal.PAPER]
    body_unit_id: Annotated[str, NotPersonal.UNIT]
    readmit_bar: Annotated[ReadmitBar | None, Sensitive.PARTY_STANDING]
    appeal_by: Annotated[date | None, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ExpulsionAppealed(PersonEvent):
    """The expelled member appealed in time (R-EXPEL-APPEAL)."""

    event_type: ClassVar[str] = "ExpulsionAppealed"
    appeal_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ExpulsionAppealResolved(PersonEvent):
    """The appeal was decided: upheld keeps the expulsion, otherwise the membership is restored."""

    event_type: ClassVar[str] = "ExpulsionAppealResolved"
    upheld: Annotated[bool, Sensitive.PARTY_STANDING]
    decision_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class StrikeOffProposed(PersonEvent):
    """The cell resolved with two-thirds to propose striking the member off on a listed ground."""

    event_type: ClassVar[str] = "StrikeOffProposed"
    ground: Annotated[StrikeOffGround, Sensitive.PARTY_STANDING]
    yes: Annotated[int, NotPersonal.PROCEDURE]
    no: Annotated[int, NotPersonal.PROCEDURE]
    denominator: Annotated[int, NotPersonal.PROCEDURE]
    resolution_ref: Annotated[str, Personal.PAPER]
    evidence_months: Annotated[int | None, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberStruckOff(PersonEvent):
    """The competent body struck the member off the roll (xóa tên)."""

    event_type: ClassVar[str] = "MemberStruckOff"
    ground: Annotated[StrikeOffGround, Sensitive.PARTY_STANDING]
    decision_ref: Annotated[str, Personal.PAPER]
    decider_unit_id: Annotated[str, NotPersonal.UNIT]
    readmit_bar: Annotated[ReadmitBar | None, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class VoluntaryExitGranted(PersonEvent):
    """The member left of their own will (cho ra khỏi Đảng); bars readmission unless for family hardship."""

    event_type: ClassVar[str] = "VoluntaryExitGranted"
    reason: Annotated[str, Sensitive.PARTY_STANDING]
    decision_ref: Annotated[str, Personal.PAPER]
    readmit_bar: Annotated[ReadmitBar | None, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MemberRated(PersonEvent):
    """The member's quality rating for a year (R-RATING); `score` from qd294-2025 on."""

    event_type: ClassVar[str] = "MemberRated"
    year: Annotated[int, NotPersonal.PROCEDURE]
    grade: Annotated[Grade, Sensitive.PARTY_STANDING]
    score: Annotated[int | None, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ScreeningOutcomeRecorded(PersonEvent):
    """A periodic review's outcome for the member (R-SCREENING)."""

    event_type: ClassVar[str] = "ScreeningOutcomeRecorded"
    year: Annotated[int, NotPersonal.PROCEDURE]
    outcome: Annotated[ScreeningOutcome, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionAnnulled(PersonEvent):
    """The competent body found the admission wrong and annulled it; the person is as never admitted."""

    event_type: ClassVar[str] = "AdmissionAnnulled"
    reason: Annotated[str, Sensitive.PARTY_STANDING]
    decision_ref: Annotated[str, Personal.PAPER]
    decider_unit_id: Annotated[str, NotPersonal.UNIT]
