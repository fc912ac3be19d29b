"""What happened to a person's file before admission (DOMAIN.md §2–§3); past tense, registered with the codec.

The envelope carries `occurred_on` (the paper's date); data holds only dates that are facts of their own.
Every event names the rule set it was validated under (I11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar

from domain.codec import EVENTS
from domain.particulars import Particulars
from domain.person.stages import Stage
from domain.person.values import RejectionLevel, SponsorLetter, VerificationSubject
from domain.privacy import NotPersonal, Personal, Sensitive, Subject
from domain.rules.deadlines import Deadline


@dataclass(frozen=True, kw_only=True)
class PersonEvent:
    """Base of every event of a person's stream."""

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1

    rule_set: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateNominated(PersonEvent):
    """The cell listed the person in the source pool with a helper; opens a (readmission) file."""

    event_type: ClassVar[str] = "CandidateNominated"
    citizen_id: Annotated[str, Personal.CITIZEN_ID]
    particulars: Particulars
    cell_id: Annotated[str, NotPersonal.UNIT]
    helper_id: Annotated[str, Personal.PERSON_ID.of(Subject.HELPER)]
    resolution_ref: Annotated[str, Personal.PAPER]
    readmission: Annotated[bool, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AwarenessTrainingCertified(PersonEvent):
    """An awareness-class certificate joined the file; `issued_on` starts its 60 months (R-TRAIN-VALID)."""

    event_type: ClassVar[str] = "AwarenessTrainingCertified"
    certificate_ref: Annotated[str, Personal.PAPER]
    issued_on: Annotated[date, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ApplicationSubmitted(PersonEvent):
    """The handwritten application (form 1-KNĐ) was received."""

    event_type: ClassVar[str] = "ApplicationSubmitted"
    application_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class BackgroundFormSubmitted(PersonEvent):
    """The background form (2-KNĐ) was received, after the application."""

    event_type: ClassVar[str] = "BackgroundFormSubmitted"
    form_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class VerificationOpened(PersonEvent):
    """The background check started for the candidate and the close relatives listed."""

    event_type: ClassVar[str] = "VerificationOpened"
    subjects: tuple[VerificationSubject, ...]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class VerificationResultRecorded(PersonEvent):
    """One subject's verification result came in."""

    event_type: ClassVar[str] = "VerificationResultRecorded"
    subject_key: Annotated[str, Personal.NAME.of(Subject.RELATIVE)]
    result_ref: Annotated[str, Personal.PAPER.of(Subject.RELATIVE)]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class VerificationCertified(PersonEvent):
    """Every result was in and the background was certified (R-VERIFY-COMPLETE)."""

    event_type: ClassVar[str] = "VerificationCertified"
    certified_by: Annotated[str, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class SponsorsRecorded(PersonEvent):
    """The sponsors' letters (or a union resolution) were recorded; they go stale after 12 months [S]."""

    event_type: ClassVar[str] = "SponsorsRecorded"
    sponsors: tuple[SponsorLetter, ...]
    cowork_waived: Annotated[bool, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CellApproved(PersonEvent):
    """The cell resolved to propose admission; starts the decision clock (R-DECIDE-DEADLINE)."""

    event_type: ClassVar[str] = "CellApproved"
    yes: Annotated[int, NotPersonal.PROCEDURE]
    no: Annotated[int, NotPersonal.PROCEDURE]
    denominator: Annotated[int, NotPersonal.PROCEDURE]
    resolution_ref: Annotated[str, Personal.PAPER]
    grassroots_cell: Annotated[bool, NotPersonal.PROCEDURE]
    sub_committee_id: Annotated[str | None, NotPersonal.UNIT]
    decision_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class SubCommitteeAppraised(PersonEvent):
    """The sub-committee above the cell appraised the file."""

    event_type: ClassVar[str] = "SubCommitteeAppraised"
    appraisal_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CommitteeApproved(PersonEvent):
    """The grassroots committee resolved, with two-thirds of its members, to propose admission."""

    event_type: ClassVar[str] = "CommitteeApproved"
    yes: Annotated[int, NotPersonal.PROCEDURE]
    committee_size: Annotated[int, NotPersonal.PROCEDURE]
    resolution_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DecisionDeadlineExtended(PersonEvent):
    """The pending decision's clock was extended, once (R-DECIDE-DEADLINE, R-RECOGNISE-DEADLINE)."""

    event_type: ClassVar[str] = "DecisionDeadlineExtended"
    deadline: Deadline
    reason: Annotated[str, Personal.NOTE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionDecided(PersonEvent):
    """The competent body decided to admit; party seniority counts from this date."""

    event_type: ClassVar[str] = "AdmissionDecided"
    decision_ref: Annotated[str, Personal.PAPER]
    decider_unit_id: Annotated[str, NotPersonal.UNIT]
    ceremony_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionDecisionReceived(PersonEvent):
    """The cell received the decision; the ceremony clock restarts from here (R-CEREMONY-DEADLINE)."""

    event_type: ClassVar[str] = "AdmissionDecisionReceived"
    ceremony_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateRejected(PersonEvent):
    """The cell, the committee or the decider turned the candidate down; the cell is notified."""

    event_type: ClassVar[str] = "CandidateRejected"
    level: Annotated[RejectionLevel, NotPersonal.PROCEDURE]
    reason: Annotated[str, Sensitive.PARTY_STANDING]
    cell_id: Annotated[str, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DossierReturned(PersonEvent):
    """The dossier went back one stage for correction, without penalty (R-DOSSIER-RETURN, [U])."""

    event_type: ClassVar[str] = "DossierReturned"
    from_stage: Annotated[Stage, NotPersonal.PROCEDURE]
    to_stage: Annotated[Stage, NotPersonal.PROCEDURE]
    reason: Annotated[str, Personal.NOTE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateWithdrawn(PersonEvent):
    """The candidate left the source pool; the file is closed."""

    event_type: ClassVar[str] = "CandidateWithdrawn"
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateTransferred(PersonEvent):
    """The file moved to another cell with a new helper; R-SPONSOR-COWORK is waived from now on."""

    event_type: ClassVar[str] = "CandidateTransferred"
    from_cell_id: Annotated[str, NotPersonal.UNIT]
    to_cell_id: Annotated[str, NotPersonal.UNIT]
    helper_id: Annotated[str, Personal.PERSON_ID.of(Subject.HELPER)]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileHandedOver(PersonEvent):
    """R-FILE-REQUEST: a closed file went to the cell that asked for it (request `request_id`), granted by the
    unit that held it or a committee above it."""

    event_type: ClassVar[str] = "FileHandedOver"
    from_cell_id: Annotated[str, NotPersonal.UNIT]
    to_cell_id: Annotated[str, NotPersonal.UNIT]
    request_id: Annotated[str, NotPersonal.PROCEDURE]
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileRequested:
    """R-FILE-REQUEST: a cell asks for the file of a citizen ID it found filed elsewhere. On its own stream
    (`file-request-…`), filed under the asking cell only: it names no person and no holder, so it reads the same
    whether the number is filed anywhere or not; the holder answers on the person's stream (below)."""

    event_type: ClassVar[str] = "FileRequested"
    schema_version: ClassVar[int] = 1

    citizen_id: Annotated[str, Personal.CITIZEN_ID]
    cell_id: Annotated[str, NotPersonal.UNIT]
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileRequestRefused(PersonEvent):
    """R-FILE-REQUEST: the holder refused a cell's request for the file; nothing else changes."""

    event_type: ClassVar[str] = "FileRequestRefused"
    request_id: Annotated[str, NotPersonal.PROCEDURE]
    to_cell_id: Annotated[str, NotPersonal.UNIT]
    reason: Annotated[str, Sensitive.PARTY_STANDING]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MovedByReorganisation(PersonEvent):
    """R-UNIT-REORG: the person's cell ceased and the file or membership went to its successor; as-of answers
    before the effective date keep the old cell."""

    event_type: ClassVar[str] = "MovedByReorganisation"
    from_cell_id: Annotated[str, NotPersonal.UNIT]
    to_cell_id: Annotated[str, NotPersonal.UNIT]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class LateCeremonyConsented(PersonEvent):
    """The upper level consented in writing to a ceremony after the deadline (R-CEREMONY-DEADLINE)."""

    event_type: ClassVar[str] = "LateCeremonyConsented"
    consent_ref: Annotated[str, Personal.PAPER]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionCeremonyHeld(PersonEvent):
    """The ceremony was held with a mentor; probation runs from today to `probation_ends_on`."""

    event_type: ClassVar[str] = "AdmissionCeremonyHeld"
    mentor_id: Annotated[str, Personal.PERSON_ID.of(Subject.HELPER)]
    ceremony_ref: Annotated[str, Personal.PAPER]
    probation_ends_on: Annotated[date, NotPersonal.PROCEDURE]
    recognition_vote_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DeadlineBreached(PersonEvent):
    """A step was taken late: it stands, and the breach is on record for dashboards (DOMAIN.md §2.8)."""

    event_type: ClassVar[str] = "DeadlineBreached"
    rule_id: Annotated[str, NotPersonal.PROCEDURE]
    due_on: Annotated[date, NotPersonal.PROCEDURE]
    late_by_working_days: Annotated[int, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ParticularsUpdated(PersonEvent):
    """The person's particulars were corrected or brought up to date (e.g. a new diploma)."""

    event_type: ClassVar[str] = "ParticularsUpdated"
    particulars: Particulars


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class EntryRetracted(PersonEvent):
    """An entry recorded by mistake was retracted (R-RETRACT): the file is as if it had never been recorded.

    `entry_version` is the stream version of the entry's first event and `entry_events` how many events the
    entry appended (a step and the deadline breach recorded with it); `entry_event_type` names the step for
    readers. The retracted events stay in the log: the ledger clock still shows they were there.
    """

    event_type: ClassVar[str] = "EntryRetracted"
    entry_version: Annotated[int, NotPersonal.PROCEDURE]
    entry_events: Annotated[int, NotPersonal.PROCEDURE]
    entry_event_type: Annotated[str, NotPersonal.PROCEDURE]
    reason: Annotated[str, Personal.NOTE]
