"""Where a person stands: the stages of DOMAIN.md §2 in order, then the off-ramps of §3–§4."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import StrEnum
from typing import Final

from domain.errors import RuleViolation


class Stage(StrEnum):
    """Exactly one per person; the file stages run from SOURCE_POOL to ADMITTED."""

    NEW = "New"
    SOURCE_POOL = "SourcePool"
    TRAINED = "Trained"
    APPLIED = "Applied"
    VERIFIED = "Verified"
    SPONSORED = "Sponsored"
    CELL_APPROVED = "CellApproved"
    COMMITTEE_APPROVED = "CommitteeApproved"
    ADMITTED = "Admitted"
    PROBATIONARY = "Probationary"
    OFFICIAL = "Official"
    REJECTED = "Rejected"
    WITHDRAWN = "Withdrawn"
    STRUCK_OFF = "StruckOff"
    EXPELLED = "Expelled"
    EXITED = "Exited"
    ANNULLED = "Annulled"

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]


_LABELS_VI: Final[dict[Stage, str]] = {
    Stage.NEW: "Chưa có hồ sơ",
    Stage.SOURCE_POOL: "Quần chúng ưu tú (nguồn)",
    Stage.TRAINED: "Đã học lớp nhận thức về Đảng",
    Stage.APPLIED: "Đã có đơn xin vào Đảng",
    Stage.VERIFIED: "Đã thẩm tra lý lịch",
    Stage.SPONSORED: "Đã có người giới thiệu",
    Stage.CELL_APPROVED: "Chi bộ đã đề nghị kết nạp",
    Stage.COMMITTEE_APPROVED: "Đảng ủy cơ sở đã đề nghị kết nạp",
    Stage.ADMITTED: "Đã có quyết định kết nạp",
    Stage.PROBATIONARY: "Đảng viên dự bị",
    Stage.OFFICIAL: "Đảng viên chính thức",
    Stage.REJECTED: "Không được kết nạp",
    Stage.WITHDRAWN: "Đã rút khỏi nguồn",
    Stage.STRUCK_OFF: "Đã bị xóa tên",
    Stage.EXPELLED: "Đã bị khai trừ",
    Stage.EXITED: "Đã ra khỏi Đảng",
    Stage.ANNULLED: "Quyết định kết nạp đã bị hủy",
}

PIPELINE: Final[tuple[Stage, ...]] = (
    Stage.SOURCE_POOL,
    Stage.TRAINED,
    Stage.APPLIED,
    Stage.VERIFIED,
    Stage.SPONSORED,
    Stage.CELL_APPROVED,
    Stage.COMMITTEE_APPROVED,
    Stage.ADMITTED,
)
"""The open-file stages in order: a person has an open file exactly when in one of these."""

FILE_STAGES: Final = frozenset(PIPELINE)
BEFORE_VOTE: Final = frozenset(PIPELINE[: PIPELINE.index(Stage.CELL_APPROVED)])
MEMBER_STAGES: Final = frozenset({Stage.PROBATIONARY, Stage.OFFICIAL})
DEPARTED: Final = frozenset({Stage.STRUCK_OFF, Stage.EXPELLED, Stage.EXITED})
MAY_OPEN_FILE: Final = frozenset({Stage.NEW, Stage.REJECTED, Stage.WITHDRAWN, Stage.ANNULLED}) | DEPARTED
"""No open file and no membership: a (new) file may be opened — never two at once."""


def previous_stage(stage: Stage) -> Stage:
    """The stage a returned dossier goes back to (R-DOSSIER-RETURN)."""
    return PIPELINE[PIPELINE.index(stage) - 1]


def refuse_stage_order(en: str, vi: str, **details: str) -> RuleViolation:
    """R-STAGE-ORDER: a step follows the stage it needs, and is not dated before the step it follows."""
    return RuleViolation("R-STAGE-ORDER", en, vi, **details)


def check_stage_order(
    current: Stage, allowed: Collection[Stage], step: tuple[str, str], last_step_on: date | None, occurred_on: date
) -> None:
    """R-STAGE-ORDER for one step (named in English and Vietnamese): the stage allows it, its date is not early."""
    step_en, step_vi = step
    if current not in allowed:
        raise refuse_stage_order(
            f"{step_en} is not possible at stage {current}",
            f"không thực hiện được bước “{step_vi}” khi hồ sơ đang ở giai đoạn “{current.label_vi}”",
            stage=str(current),
            step=step_en,
        )
    if last_step_on is not None and occurred_on < last_step_on:
        raise refuse_stage_order(
            f"{step_en} is dated {occurred_on.isoformat()}, before the previous step of {last_step_on.isoformat()}",
            f"bước “{step_vi}” ghi ngày {occurred_on:%d/%m/%Y}, trước bước liền trước ngày {last_step_on:%d/%m/%Y}",
            step=step_en,
        )
