"""R-PRIVACY-ERASE: a person's personal data erased, so that it cannot be recovered (DOMAIN.md §4b; I13).

What this module decides is only whether a file may be erased and what the log records of it. The erasure
itself — destroying the data subjects' keys, so the sealed fields of every event can no longer be opened — is
done by `services/commands/erasure.py` right after the event below is appended.

Grounds (Law 91/2025/QH15, Decree 356/2025/NĐ-CP):
- `purpose_complete`: the file is closed (rejected, withdrawn, struck off, expelled, exited, annulled); a
  serving member's or an open file's data still serves its purpose, so it is refused;
- `subject_request`: the person's lawful request; refused likewise while the file is open or the member
  serves — processing for the party's work under law needs no consent (§4b), and the refusal is notified;
- `state_decision`: a competent state body's decision: erased whatever the stage, and the file is closed.
After an erasure no step can be recorded on the file (R-PRIVACY-ERASED).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Final

from domain.codec import EVENTS
from domain.errors import RuleViolation
from domain.person.events import PersonEvent
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.privacy import NotPersonal

CLOSED: Final = frozenset(
    {Stage.REJECTED, Stage.WITHDRAWN, Stage.STRUCK_OFF, Stage.EXPELLED, Stage.EXITED, Stage.ANNULLED}
)


class ErasureGround(StrEnum):
    PURPOSE_COMPLETE = "purpose_complete"
    SUBJECT_REQUEST = "subject_request"
    STATE_DECISION = "state_decision"

    @property
    def label_vi(self) -> str:
        return _GROUND_LABELS_VI[self]


_GROUND_LABELS_VI: Final = {
    ErasureGround.PURPOSE_COMPLETE: "Đã hoàn thành mục đích xử lý (hết thời hạn lưu trữ)",
    ErasureGround.SUBJECT_REQUEST: "Theo yêu cầu hợp pháp của chủ thể dữ liệu",
    ErasureGround.STATE_DECISION: "Theo quyết định của cơ quan nhà nước có thẩm quyền",
}


@EVENTS.register
@dataclass(frozen=True, kw_only=True)
class PersonalDataErased(PersonEvent):
    """The file's personal data was erased: carries none, only the ground, the decision's number and the
    non-identifying residue the counts keep (stream version → categorical values, e.g. sex, ethnicity,
    grade; a birth date only as the earliest day giving the same age bands on the file's own dates)."""

    event_type: ClassVar[str] = "PersonalDataErased"

    ground: Annotated[ErasureGround, NotPersonal.PROCEDURE]
    decision_ref: Annotated[str, NotPersonal.PROCEDURE]
    """The number of the erasure decision (the unit's own paper, naming no one in the ledger)."""
    subjects: Annotated[int, NotPersonal.AGGREGATE]
    """How many data subjects' keys were destroyed: the person and each relative verified in the file."""
    residue: Annotated[dict[str, dict[str, Any]], NotPersonal.AGGREGATE]


def check_erasure(state: PersonState, ground: ErasureGround) -> None:
    """R-PRIVACY-ERASE: only a closed file, unless a state decision orders it; never twice (R-PRIVACY-ERASED)."""
    if state.erased:
        raise RuleViolation(
            "R-PRIVACY-ERASED",
            "this file's personal data is already erased",
            "dữ liệu cá nhân của hồ sơ này đã được xóa",
        )
    if state.version == 0:
        raise RuleViolation("R-PRIVACY-ERASE", "there is no file to erase", "không có hồ sơ để xóa")
    if ground is not ErasureGround.STATE_DECISION and state.stage not in CLOSED:
        raise RuleViolation(
            "R-PRIVACY-ERASE",
            f"the file is still in use ({state.stage.value}): personal data is erased when its purpose is "
            "complete, or on a state decision",
            f"hồ sơ đang được sử dụng ({state.stage.label_vi}): chỉ xóa dữ liệu cá nhân khi đã hoàn thành mục "
            "đích xử lý (hồ sơ đã khép lại) hoặc theo quyết định của cơ quan nhà nước có thẩm quyền",
        )


def refuse_after_erasure(state: PersonState) -> None:
    """R-PRIVACY-ERASED: nothing is recorded on an erased file."""
    if state.erased:
        raise RuleViolation(
            "R-PRIVACY-ERASED",
            "this file's personal data was erased: no step can be recorded on it",
            "dữ liệu cá nhân của hồ sơ này đã bị xóa: không thể ghi thêm bước nào",
        )
