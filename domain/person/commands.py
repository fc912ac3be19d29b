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
    step_vi: ClassVar[str] = "đưa vào nguồn phát triển đảng viên"
    citizen_id: str
    particulars: Particulars
    helper_id: str
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class RecordTrainingCertificate(PersonCommand):
    step_vi: ClassVar[str] = "ghi nhận giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"
    certificate_ref: str
    issued_on: date


@dataclass(frozen=True, kw_only=True)
class SubmitApplication(PersonCommand):
    step_vi: ClassVar[str] = "nộp đơn xin vào Đảng"
    application_ref: str


@dataclass(frozen=True, kw_only=True)
class SubmitBackgroundForm(PersonCommand):
    step_vi: ClassVar[str] = "nộp lý lịch của người xin vào Đảng"
    form_ref: str


@dataclass(frozen=True, kw_only=True)
class OpenVerification(PersonCommand):
    step_vi: ClassVar[str] = "bắt đầu thẩm tra lý lịch"
    subjects: tuple[VerificationSubject, ...]


@dataclass(frozen=True, kw_only=True)
class RecordVerificationResult(PersonCommand):
    step_vi: ClassVar[str] = "ghi nhận kết quả thẩm tra"
    relation: Relation
    full_name: str
    result_ref: str


@dataclass(frozen=True, kw_only=True)
class CertifyVerification(PersonCommand):
    step_vi: ClassVar[str] = "kết luận thẩm tra lý lịch"


@dataclass(frozen=True, kw_only=True)
class RecordSponsors(PersonCommand):
    step_vi: ClassVar[str] = "ghi nhận người giới thiệu"
    sponsors: tuple[SponsorLetter, ...]


@dataclass(frozen=True, kw_only=True)
class ApproveAtCell(PersonCommand):
    step_vi: ClassVar[str] = "chi bộ xét, đề nghị kết nạp"
    yes: int
    no: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class AppraiseAtSubCommittee(PersonCommand):
    step_vi: ClassVar[str] = "đảng ủy bộ phận thẩm định"
    appraisal_ref: str


@dataclass(frozen=True, kw_only=True)
class ApproveAtCommittee(PersonCommand):
    step_vi: ClassVar[str] = "đảng ủy cơ sở xét, đề nghị kết nạp"
    yes: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class ExtendDecisionDeadline(PersonCommand):
    step_vi: ClassVar[str] = "gia hạn thời gian xem xét, quyết định"
    extra_working_days: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class DecideAdmission(PersonCommand):
    step_vi: ClassVar[str] = "quyết định kết nạp"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReceiveAdmissionDecision(PersonCommand):
    step_vi: ClassVar[str] = "chi bộ nhận quyết định kết nạp"


@dataclass(frozen=True, kw_only=True)
class RejectCandidate(PersonCommand):
    step_vi: ClassVar[str] = "không kết nạp"
    level: RejectionLevel
    reason: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class ReturnDossier(PersonCommand):
    step_vi: ClassVar[str] = "trả hồ sơ để bổ sung, hoàn thiện"
    reason: str


@dataclass(frozen=True, kw_only=True)
class WithdrawCandidate(PersonCommand):
    step_vi: ClassVar[str] = "đưa ra khỏi nguồn"
    reason: str


@dataclass(frozen=True, kw_only=True)
class TransferCandidate(PersonCommand):
    step_vi: ClassVar[str] = "chuyển hồ sơ người vào Đảng"
    to_cell_id: str
    helper_id: str


@dataclass(frozen=True, kw_only=True)
class ConsentToLateCeremony(PersonCommand):
    step_vi: ClassVar[str] = "đồng ý tổ chức lễ kết nạp quá hạn"
    consent_ref: str


@dataclass(frozen=True, kw_only=True)
class HoldCeremony(PersonCommand):
    step_vi: ClassVar[str] = "tổ chức lễ kết nạp"
    mentor_id: str
    ceremony_ref: str


@dataclass(frozen=True, kw_only=True)
class UpdateParticulars(PersonCommand):
    step_vi: ClassVar[str] = "cập nhật thông tin cá nhân"
    particulars: Particulars
