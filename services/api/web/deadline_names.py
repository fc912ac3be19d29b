"""Deadlines in the officers' words instead of bare rule ids ("R-CEREMONY-DEADLINE: 11/02/2027" was jargon).

Keyed by the read models' clock names (`projections.person_view`: a rule id, or a rule id and which of its
clocks); an unknown one shows as it is, so a new clock is never hidden.
"""

from __future__ import annotations

from typing import Final

DEADLINES_VI: Final[dict[str, str]] = {
    "R-DECIDE-DEADLINE": "Hạn cấp có thẩm quyền ra quyết định kết nạp",
    "R-CEREMONY-DEADLINE": "Hạn tổ chức lễ kết nạp",
    "R-RECOGNISE-DEADLINE": "Hạn xét công nhận đảng viên chính thức",
    "R-RECOGNISE-DEADLINE:vote": "Hạn chi bộ xét công nhận đảng viên chính thức",
    "R-RECOGNISE-DEADLINE:decision": "Hạn ra quyết định công nhận đảng viên chính thức",
    "R-TRANSFER": "Hạn nộp giấy giới thiệu sinh hoạt đảng",
    "R-TRANSFER:present": "Hạn nộp giấy giới thiệu sinh hoạt đảng",
    "R-TRAIN-VALID": "Giấy chứng nhận lớp nhận thức về Đảng còn giá trị đến",
    "R-PAPERS-STALE": "Hồ sơ cần làm lại sau 12 tháng",
}


def deadline_vi(clock: str | None) -> str:
    """The deadline's Vietnamese name ("—" for none)."""
    if not clock:
        return "—"
    return DEADLINES_VI.get(clock, DEADLINES_VI.get(clock.split(":")[0], clock))
