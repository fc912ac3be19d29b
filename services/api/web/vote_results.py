"""What a recorded vote decided, in the officers' words, for the timeline (R-VOTE-TWOTHIRDS,
R-RECOGNISE-DEADLOCK).

A recognition round is recorded whichever way it goes: two-thirds for, two-thirds against, or neither (an
inconclusive round; the third one sends the case to the upper committee). An admission or strike-off vote is
recorded only when it passed, so its line always says it passed, with the count.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from domain.rules.registry import rule_set_by_id
from domain.rules.votes import VoteOutcome

RECOGNITION_VI: Final[dict[str, str]] = {
    VoteOutcome.FOR.value: "đạt hai phần ba tán thành: đề nghị công nhận đảng viên chính thức",
    VoteOutcome.AGAINST.value: "đạt hai phần ba không tán thành: đề nghị không công nhận",
    VoteOutcome.INCONCLUSIVE.value: "chưa đạt hai phần ba bên nào: chưa có kết quả, chi bộ biểu quyết lại",
}
PASSED: Final = ("CellApproved", "CommitteeApproved", "StrikeOffProposed")


def vote_result_vi(event_type: str, data: Mapping[str, Any]) -> str | None:
    """The line a vote's event shows under its step name; None for events that are no vote."""
    if event_type == "RecognitionVoteHeld":
        outcome = str(data.get("outcome", ""))
        text = f"Lần {data.get('round')}: {_count(data)} — {RECOGNITION_VI.get(outcome, outcome)}"
        if outcome == VoteOutcome.INCONCLUSIVE.value:
            text += f" (sau {_deadlock_rounds(data)} lần không đạt, cấp ủy cấp trên xem xét, quyết định)"
        return text
    if event_type == "RecognitionEscalated":
        return f"Sau {data.get('rounds')} lần biểu quyết không đạt hai phần ba, chuyển cấp ủy cấp trên quyết định"
    if event_type in PASSED and isinstance(data.get("yes"), int):
        return f"{_count(data)} — đạt hai phần ba, nghị quyết được thông qua"
    return None


def _count(data: Mapping[str, Any]) -> str:
    """ "6 tán thành, 1 không tán thành trên 9 đảng viên" (a committee: "5 tán thành trên 7 ủy viên")."""
    yes, no = data.get("yes"), data.get("no")
    text = f"{yes} tán thành, {no} không tán thành" if no is not None else f"{yes} tán thành"
    if data.get("committee_size"):
        return f"{text} trên {data['committee_size']} ủy viên"
    return f"{text} trên {data['denominator']} đảng viên" if data.get("denominator") else text


def _deadlock_rounds(data: Mapping[str, Any]) -> int:
    try:
        return rule_set_by_id(str(data.get("rule_set"))).deadlock_rounds
    except KeyError:
        return 3  # qd24-2021's number, for an event naming no known set
