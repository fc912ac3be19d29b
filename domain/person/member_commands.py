"""What an officer asks about a member (imperative): probation, transfers, removal, ratings, readmission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from domain.particulars import Particulars
from domain.person.commands import PersonCommand
from domain.person.values import TransferKind
from domain.rules.authority import Penalty
from domain.rules.ratings import Grade
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import ScreeningOutcome, StrikeOffGround


@dataclass(frozen=True, kw_only=True)
class EnrollMember(PersonCommand):
    """Enter a member admitted before the ledger started, from the roll; `official_from` None if on probation."""

    step_vi: ClassVar[str] = "nhập đảng viên đã kết nạp vào sổ"
    citizen_id: str
    particulars: Particulars
    cell_id: str
    admitted_on: date
    ceremony_on: date
    official_from: date | None
    roll_ref: str


@dataclass(frozen=True, kw_only=True)
class CompleteNewMemberCourse(PersonCommand):
    """Record the new-member course (R-NEWMEMBER-COURSE)."""

    step_vi: ClassVar[str] = "hoàn thành lớp bồi dưỡng đảng viên mới"
    certificate_ref: str


@dataclass(frozen=True, kw_only=True)
class HoldRecognitionVote(PersonCommand):
    """A round of the cell's recognition vote (R-RECOGNISE-BACKDATE, R-RECOGNISE-DEADLOCK)."""

    step_vi: ClassVar[str] = "chi bộ xét chuyển đảng chính thức"
    yes: int
    no: int
    resolution_ref: str


@dataclass(frozen=True, kw_only=True)
class RecogniseOfficial(PersonCommand):
    """The competent body recognises the member as official (R-AUTH-ADMIT, R-RECOGNISE-BACKDATE)."""

    step_vi: ClassVar[str] = "quyết định công nhận đảng viên chính thức"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class StrikeOffProbationary(PersonCommand):
    """The competent body strikes off a probationary member not recognised (§3)."""

    step_vi: ClassVar[str] = "xóa tên đảng viên dự bị"
    decision_ref: str
    reason: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class IntroduceTransfer(PersonCommand):
    """The home unit introduces an official or temporary transfer (R-TRANSFER)."""

    step_vi: ClassVar[str] = "giới thiệu chuyển sinh hoạt đảng"
    kind: TransferKind
    to_unit_id: str
    cause_on: date


@dataclass(frozen=True, kw_only=True)
class PresentTransfer(PersonCommand):
    """The receiving unit records the member presenting the transfer (R-TRANSFER)."""

    step_vi: ClassVar[str] = "nhận sinh hoạt đảng"


@dataclass(frozen=True, kw_only=True)
class EndTemporaryTransfer(PersonCommand):
    """The member returns from a temporary transfer (R-TRANSFER)."""

    step_vi: ClassVar[str] = "kết thúc sinh hoạt tạm thời"


@dataclass(frozen=True, kw_only=True)
class ReportViolation(PersonCommand):
    """Record a pending violation; it blocks a voluntary exit (R-EXIT-VOLUNTARY)."""

    step_vi: ClassVar[str] = "ghi nhận vi phạm"
    reason: str


@dataclass(frozen=True, kw_only=True)
class DismissViolation(PersonCommand):
    """Close a pending violation without a penalty."""

    step_vi: ClassVar[str] = "kết thúc xem xét vi phạm"
    reason: str


@dataclass(frozen=True, kw_only=True)
class DisciplineMember(PersonCommand):
    """A disciplinary penalty by a competent body (R-AUTH-DISCIPLINE)."""

    step_vi: ClassVar[str] = "thi hành kỷ luật"
    penalty: Penalty
    reason: str
    decision_ref: str
    readmit_bar: ReadmitBar | None = None


@dataclass(frozen=True, kw_only=True)
class AppealExpulsion(PersonCommand):
    """The expelled member appeals within 30 days (R-EXPEL-APPEAL)."""

    step_vi: ClassVar[str] = "khiếu nại quyết định khai trừ"
    appeal_ref: str


@dataclass(frozen=True, kw_only=True)
class ResolveExpulsionAppeal(PersonCommand):
    """Decide an appeal: uphold the expulsion or restore the membership."""

    step_vi: ClassVar[str] = "giải quyết khiếu nại kỷ luật"
    upheld: bool
    decision_ref: str


@dataclass(frozen=True, kw_only=True)
class ProposeStrikeOff(PersonCommand):
    """The cell proposes a strike-off on a listed ground (R-STRIKEOFF-GROUNDS, R-VOTE-TWOTHIRDS)."""

    step_vi: ClassVar[str] = "chi bộ đề nghị xóa tên"
    ground: StrikeOffGround
    yes: int
    no: int
    resolution_ref: str
    evidence_months: int | None = None


@dataclass(frozen=True, kw_only=True)
class DecideStrikeOff(PersonCommand):
    """The competent body strikes the member off (R-AUTH-ADMIT or R-AUTH-STRIKEOFF)."""

    step_vi: ClassVar[str] = "quyết định xóa tên"
    decision_ref: str
    votes_in_favour: int | None = None


@dataclass(frozen=True, kw_only=True)
class GrantVoluntaryExit(PersonCommand):
    """Let a member leave of their own will (R-EXIT-VOLUNTARY); hardship keeps readmission open."""

    step_vi: ClassVar[str] = "cho ra khỏi Đảng"
    reason: str
    decision_ref: str
    family_hardship: bool = False


@dataclass(frozen=True, kw_only=True)
class RateMember(PersonCommand):
    """The yearly quality rating (R-RATING): a grade, or a score from qd294-2025."""

    step_vi: ClassVar[str] = "xếp loại chất lượng đảng viên"
    year: int
    grade: Grade | None = None
    score: int | None = None


@dataclass(frozen=True, kw_only=True)
class RecordScreeningOutcome(PersonCommand):
    """A screening's outcome for the member (R-SCREENING)."""

    step_vi: ClassVar[str] = "ghi nhận kết quả rà soát, sàng lọc"
    year: int
    outcome: ScreeningOutcome


@dataclass(frozen=True, kw_only=True)
class AnnulAdmission(PersonCommand):
    """The competent body annuls an admission found wrong (§3, R-AUTH-ADMIT)."""

    step_vi: ClassVar[str] = "hủy quyết định kết nạp"
    reason: str
    decision_ref: str
    votes_in_favour: int | None = None
