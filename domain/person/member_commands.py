"""What an officer asks about a member (imperative): probation, transfers, removal, ratings, readmission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.person.commands import PersonCommand
from domain.person.values import TransferKind
from domain.rules.authority import Penalty
from domain.rules.ratings import Grade
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import ScreeningOutcome, StrikeOffGround


@dataclass(frozen=True, kw_only=True)
class CompleteNewMemberCourse(PersonCommand):
    step_vi: ClassVar[str] = "hoàn thành lớp bồi dưỡng đảng viên mới"
    certificate_ref: str


@dataclass(frozen=True, kw_only=True)
class HoldRecognitionVote(PersonCommand):
    step_vi: ClassVar[str] = "chi bộ xét chuyển đảng chính thức"
    yes: int
    no: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class RecogniseOfficial(PersonCommand):
    step_vi: ClassVar[str] = "quyết định công nhận đảng viên chính thức"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class StrikeOffProbationary(PersonCommand):
    step_vi: ClassVar[str] = "xóa tên đảng viên dự bị"
    decision_ref: str
    reason: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class IntroduceTransfer(PersonCommand):
    step_vi: ClassVar[str] = "giới thiệu chuyển sinh hoạt đảng"
    kind: TransferKind
    to_unit_id: str
    cause_on: date


@dataclass(frozen=True, kw_only=True)
class PresentTransfer(PersonCommand):
    step_vi: ClassVar[str] = "nhận sinh hoạt đảng"


@dataclass(frozen=True, kw_only=True)
class EndTemporaryTransfer(PersonCommand):
    step_vi: ClassVar[str] = "kết thúc sinh hoạt tạm thời"


@dataclass(frozen=True, kw_only=True)
class ReportViolation(PersonCommand):
    step_vi: ClassVar[str] = "ghi nhận vi phạm"
    reason: str


@dataclass(frozen=True, kw_only=True)
class DismissViolation(PersonCommand):
    step_vi: ClassVar[str] = "kết thúc xem xét vi phạm"
    reason: str


@dataclass(frozen=True, kw_only=True)
class DisciplineMember(PersonCommand):
    step_vi: ClassVar[str] = "thi hành kỷ luật"
    penalty: Penalty
    reason: str
    decision_ref: str
    readmit_bar: ReadmitBar | None = None


@dataclass(frozen=True, kw_only=True)
class AppealExpulsion(PersonCommand):
    step_vi: ClassVar[str] = "khiếu nại quyết định khai trừ"
    appeal_ref: str


@dataclass(frozen=True, kw_only=True)
class ResolveExpulsionAppeal(PersonCommand):
    step_vi: ClassVar[str] = "giải quyết khiếu nại kỷ luật"
    upheld: bool
    decision_ref: str


@dataclass(frozen=True, kw_only=True)
class ProposeStrikeOff(PersonCommand):
    step_vi: ClassVar[str] = "chi bộ đề nghị xóa tên"
    ground: StrikeOffGround
    yes: int
    no: int
    resolution_ref: str
    evidence_months: int | None = None


@dataclass(frozen=True, kw_only=True)
class DecideStrikeOff(PersonCommand):
    step_vi: ClassVar[str] = "quyết định xóa tên"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class GrantVoluntaryExit(PersonCommand):
    step_vi: ClassVar[str] = "cho ra khỏi Đảng"
    reason: str
    decision_ref: str
    family_hardship: bool = False


@dataclass(frozen=True, kw_only=True)
class RateMember(PersonCommand):
    step_vi: ClassVar[str] = "xếp loại chất lượng đảng viên"
    year: int
    grade: Grade | None = None
    score: int | None = None


@dataclass(frozen=True, kw_only=True)
class RecordScreeningOutcome(PersonCommand):
    step_vi: ClassVar[str] = "ghi nhận kết quả rà soát, sàng lọc"
    year: int
    outcome: ScreeningOutcome


@dataclass(frozen=True, kw_only=True)
class AnnulAdmission(PersonCommand):
    step_vi: ClassVar[str] = "hủy quyết định kết nạp"
    reason: str
    decision_ref: str
    votes_in_favour: int | None = None
