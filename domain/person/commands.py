"""What an officer asks of a person's file before admission (imperative), with its date and acting unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.particulars import Particulars
from domain.person.values import RejectionLevel, Relation, SponsorLetter, VerificationSubject


@dataclass(frozen=True, kw_only=True)
class PersonCommand:
    """Base: the person's stream, the date on the paper, and the unit acting (I8)."""

    step_vi: ClassVar[str]

    person_id: str
    occurred_on: date
    acting_unit_id: str


@dataclass(frozen=True, kw_only=True)
class NominateCandidate(PersonCommand):
    """The cell lists a person in the source pool with an official helper (§2.1); R-READMIT for former members."""

    step_vi: ClassVar[str] = "đưa vào nguồn phát triển đảng viên"
    citizen_id: str
    particulars: Particulars
    helper_id: str
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class RecordTrainingCertificate(PersonCommand):
    """Record an awareness-class certificate; `issued_on` starts its 60 months (R-TRAIN-VALID)."""

    step_vi: ClassVar[str] = "ghi nhận giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"
    certificate_ref: str
    issued_on: date


@dataclass(frozen=True, kw_only=True)
class SubmitApplication(PersonCommand):
    """Record the handwritten application, form 1-KNĐ (§2.3)."""

    step_vi: ClassVar[str] = "nộp đơn xin vào Đảng"
    application_ref: str


@dataclass(frozen=True, kw_only=True)
class SubmitBackgroundForm(PersonCommand):
    """Record the background form 2-KNĐ, after the application (§2.3)."""

    step_vi: ClassVar[str] = "nộp lý lịch của người xin vào Đảng"
    form_ref: str


@dataclass(frozen=True, kw_only=True)
class OpenVerification(PersonCommand):
    """Start the background check of the candidate and close relatives; exempt ones give a reason."""

    step_vi: ClassVar[str] = "bắt đầu thẩm tra lý lịch"
    subjects: tuple[VerificationSubject, ...]


@dataclass(frozen=True, kw_only=True)
class RecordVerificationResult(PersonCommand):
    """Record one subject's result, matched by relation and (NFC) name."""

    step_vi: ClassVar[str] = "ghi nhận kết quả thẩm tra"
    relation: Relation
    full_name: str
    result_ref: str


@dataclass(frozen=True, kw_only=True)
class CertifyVerification(PersonCommand):
    """Certify the background once every result is in (R-VERIFY-COMPLETE)."""

    step_vi: ClassVar[str] = "kết luận thẩm tra lý lịch"


@dataclass(frozen=True, kw_only=True)
class RecordSponsors(PersonCommand):
    """Record or renew the sponsors' letters (R-SPONSORS, R-SPONSOR-COWORK)."""

    step_vi: ClassVar[str] = "ghi nhận người giới thiệu"
    sponsors: tuple[SponsorLetter, ...]


@dataclass(frozen=True, kw_only=True)
class ApproveAtCell(PersonCommand):
    """The cell's vote on the candidate (R-VOTE-TWOTHIRDS and the rules the vote requires)."""

    step_vi: ClassVar[str] = "chi bộ xét, đề nghị kết nạp"
    yes: int
    no: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class AppraiseAtSubCommittee(PersonCommand):
    """The sub-committee above the cell appraises the file (§2.7)."""

    step_vi: ClassVar[str] = "đảng ủy bộ phận thẩm định"
    appraisal_ref: str


@dataclass(frozen=True, kw_only=True)
class ApproveAtCommittee(PersonCommand):
    """The grassroots committee's resolution, ≥2/3 of its members (§2.7)."""

    step_vi: ClassVar[str] = "đảng ủy cơ sở xét, đề nghị kết nạp"
    yes: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class ExtendDecisionDeadline(PersonCommand):
    """Extend the pending decision's clock once (R-DECIDE-DEADLINE, R-RECOGNISE-DEADLINE)."""

    step_vi: ClassVar[str] = "gia hạn thời gian xem xét, quyết định"
    extra_working_days: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class DecideAdmission(PersonCommand):
    """The competent body admits (R-AUTH-ADMIT); `votes_in_favour` for a delegated committee."""

    step_vi: ClassVar[str] = "quyết định kết nạp"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveAdmissionDecision(PersonCommand):
    """The cell records receiving the decision; the ceremony clock runs from here."""

    step_vi: ClassVar[str] = "chi bộ nhận quyết định kết nạp"


@dataclass(frozen=True, kw_only=True)
class RejectCandidate(PersonCommand):
    """The cell, committee or decider turns the candidate down, with a reason (§3)."""

    step_vi: ClassVar[str] = "không kết nạp"
    level: RejectionLevel
    reason: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReturnDossier(PersonCommand):
    """Send the dossier back one stage for correction — [U] rule R-DOSSIER-RETURN, configurable, default on."""

    step_vi: ClassVar[str] = "trả hồ sơ để bổ sung, hoàn thiện"
    reason: str


@dataclass(frozen=True, kw_only=True)
class WithdrawCandidate(PersonCommand):
    """The candidate leaves the source pool before a decision (§3)."""

    step_vi: ClassVar[str] = "đưa ra khỏi nguồn"
    reason: str


@dataclass(frozen=True, kw_only=True)
class TransferCandidate(PersonCommand):
    """Move the file to another cell with a new helper; waives R-SPONSOR-COWORK (§3)."""

    step_vi: ClassVar[str] = "chuyển hồ sơ người vào Đảng"
    to_cell_id: str
    helper_id: str


@dataclass(frozen=True, kw_only=True)
class ConsentToLateCeremony(PersonCommand):
    """The upper level's written consent to a ceremony after 30 working days (R-CEREMONY-DEADLINE)."""

    step_vi: ClassVar[str] = "đồng ý tổ chức lễ kết nạp quá hạn"
    consent_ref: str


@dataclass(frozen=True, kw_only=True)
class HoldCeremony(PersonCommand):
    """Hold the admission ceremony with a mentor; probation starts (§2.9)."""

    step_vi: ClassVar[str] = "tổ chức lễ kết nạp"
    mentor_id: str
    ceremony_ref: str


@dataclass(frozen=True, kw_only=True)
class UpdateParticulars(PersonCommand):
    """Correct or update the person's particulars, consistent with the identity number."""

    step_vi: ClassVar[str] = "cập nhật thông tin cá nhân"
    particulars: Particulars


@dataclass(frozen=True, kw_only=True)
class HandOverFile(PersonCommand):
    """R-FILE-REQUEST: the unit holding a closed file (or a committee above it) grants another cell's request
    for it; the file moves there, and that cell may then open a new file (nominate, enrol)."""

    step_vi: ClassVar[str] = "chuyển hồ sơ theo đề nghị của đơn vị khác"
    to_cell_id: str
    request_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class RefuseFileRequest(PersonCommand):
    """R-FILE-REQUEST: the holding unit (or a committee above it) refuses another cell's request, with a reason;
    the file stays where it is."""

    step_vi: ClassVar[str] = "từ chối đề nghị chuyển hồ sơ"
    request_id: str
    to_cell_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class FollowReorganisation(PersonCommand):
    """R-UNIT-REORG: the person's cell ceased (merged, split, dissolved); an open file or a membership goes to
    the unit named to take its files, on the reorganisation's effective date (`occurred_on`)."""

    step_vi: ClassVar[str] = "chuyển hồ sơ theo quyết định sắp xếp tổ chức đảng"
    from_cell_id: str
    to_cell_id: str
    reference: str


@dataclass(frozen=True, kw_only=True)
class RetractEntry(PersonCommand):
    """Retract an entry recorded by mistake, named by its stream version, with a reason (R-RETRACT)."""

    step_vi: ClassVar[str] = "thu hồi một mục ghi nhầm"
    entry_version: int
    reason: str
