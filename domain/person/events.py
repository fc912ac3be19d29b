"""What happened to a person's file before admission (DOMAIN.md §2–§3); past tense, registered with the codec.

The envelope carries `occurred_on` (the paper's date); data holds only dates that are facts of their own.
Every event names the rule set it was validated under (I11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.codec import EVENTS
from domain.particulars import Particulars
from domain.person.stages import Stage
from domain.person.values import RejectionLevel, SponsorLetter, VerificationSubject
from domain.rules.deadlines import Deadline


@dataclass(frozen=True, kw_only=True)
class PersonEvent:
    """Base of every event of a person's stream."""

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1

    rule_set: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateNominated(PersonEvent):
    """The cell listed the person in the source pool with a helper; opens a (readmission) file."""

    event_type: ClassVar[str] = "CandidateNominated"
    citizen_id: str
    particulars: Particulars
    cell_id: str
    helper_id: str
    resolution_ref: str
    readmission: bool


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AwarenessTrainingCertified(PersonEvent):
    """An awareness-class certificate joined the file; `issued_on` starts its 60 months (R-TRAIN-VALID)."""

    event_type: ClassVar[str] = "AwarenessTrainingCertified"
    certificate_ref: str
    issued_on: date


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ApplicationSubmitted(PersonEvent):
    """The handwritten application (form 1-KNĐ) was received."""

    event_type: ClassVar[str] = "ApplicationSubmitted"
    application_ref: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class BackgroundFormSubmitted(PersonEvent):
    """The background form (2-KNĐ) was received, after the application."""

    event_type: ClassVar[str] = "BackgroundFormSubmitted"
    form_ref: str


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
    subject_key: str
    result_ref: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class VerificationCertified(PersonEvent):
    """Every result was in and the background was certified (R-VERIFY-COMPLETE)."""

    event_type: ClassVar[str] = "VerificationCertified"
    certified_by: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class SponsorsRecorded(PersonEvent):
    """The sponsors' letters (or a union resolution) were recorded; they go stale after 12 months [S]."""

    event_type: ClassVar[str] = "SponsorsRecorded"
    sponsors: tuple[SponsorLetter, ...]
    cowork_waived: bool


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CellApproved(PersonEvent):
    """The cell resolved to propose admission; starts the decision clock (R-DECIDE-DEADLINE)."""

    event_type: ClassVar[str] = "CellApproved"
    yes: int
    no: int
    denominator: int
    resolution_ref: str
    grassroots_cell: bool
    sub_committee_id: str | None
    decision_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class SubCommitteeAppraised(PersonEvent):
    """The sub-committee above the cell appraised the file."""

    event_type: ClassVar[str] = "SubCommitteeAppraised"
    appraisal_ref: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CommitteeApproved(PersonEvent):
    """The grassroots committee resolved, with two-thirds of its members, to propose admission."""

    event_type: ClassVar[str] = "CommitteeApproved"
    yes: int
    committee_size: int
    resolution_ref: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DecisionDeadlineExtended(PersonEvent):
    """The pending decision's clock was extended, once (R-DECIDE-DEADLINE, R-RECOGNISE-DEADLINE)."""

    event_type: ClassVar[str] = "DecisionDeadlineExtended"
    deadline: Deadline
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionDecided(PersonEvent):
    """The competent body decided to admit; party seniority counts from this date."""

    event_type: ClassVar[str] = "AdmissionDecided"
    decision_ref: str
    decider_unit_id: str
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
    level: RejectionLevel
    reason: str
    cell_id: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DossierReturned(PersonEvent):
    """The dossier went back one stage for correction, without penalty (R-DOSSIER-RETURN, [U])."""

    event_type: ClassVar[str] = "DossierReturned"
    from_stage: Stage
    to_stage: Stage
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateWithdrawn(PersonEvent):
    """The candidate left the source pool; the file is closed."""

    event_type: ClassVar[str] = "CandidateWithdrawn"
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class CandidateTransferred(PersonEvent):
    """The file moved to another cell with a new helper; R-SPONSOR-COWORK is waived from now on."""

    event_type: ClassVar[str] = "CandidateTransferred"
    from_cell_id: str
    to_cell_id: str
    helper_id: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileHandedOver(PersonEvent):
    """R-FILE-REQUEST: a closed file went to the cell that asked for it (request `request_id`), granted by the
    unit that held it or a committee above it."""

    event_type: ClassVar[str] = "FileHandedOver"
    from_cell_id: str
    to_cell_id: str
    request_id: str
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileRequested:
    """R-FILE-REQUEST: a cell asks for the file of a citizen ID it found filed elsewhere. On its own stream
    (`file-request-…`), filed under the asking cell only: it names no person and no holder, so it reads the same
    whether the number is filed anywhere or not; the holder answers on the person's stream (below)."""

    event_type: ClassVar[str] = "FileRequested"
    schema_version: ClassVar[int] = 1

    citizen_id: str
    cell_id: str
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class FileRequestRefused(PersonEvent):
    """R-FILE-REQUEST: the holder refused a cell's request for the file; nothing else changes."""

    event_type: ClassVar[str] = "FileRequestRefused"
    request_id: str
    to_cell_id: str
    reason: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class MovedByReorganisation(PersonEvent):
    """R-UNIT-REORG: the person's cell ceased and the file or membership went to its successor; as-of answers
    before the effective date keep the old cell."""

    event_type: ClassVar[str] = "MovedByReorganisation"
    from_cell_id: str
    to_cell_id: str
    reference: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class LateCeremonyConsented(PersonEvent):
    """The upper level consented in writing to a ceremony after the deadline (R-CEREMONY-DEADLINE)."""

    event_type: ClassVar[str] = "LateCeremonyConsented"
    consent_ref: str


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class AdmissionCeremonyHeld(PersonEvent):
    """The ceremony was held with a mentor; probation runs from today to `probation_ends_on`."""

    event_type: ClassVar[str] = "AdmissionCeremonyHeld"
    mentor_id: str
    ceremony_ref: str
    probation_ends_on: date
    recognition_vote_deadline: Deadline


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class DeadlineBreached(PersonEvent):
    """A step was taken late: it stands, and the breach is on record for dashboards (DOMAIN.md §2.8)."""

    event_type: ClassVar[str] = "DeadlineBreached"
    rule_id: str
    due_on: date
    late_by_working_days: int


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class ParticularsUpdated(PersonEvent):
    """The person's particulars were corrected or brought up to date (e.g. a new diploma)."""

    event_type: ClassVar[str] = "ParticularsUpdated"
    particulars: Particulars
