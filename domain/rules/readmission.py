"""Readmission (kết nạp lại): once only, after a waiting period, never for the barred grounds (R-READMIT)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.errors import RuleViolation
from domain.rules.base import RuleSet
from domain.rules.periods import add_months


class ReadmitBar(StrEnum):
    """Why someone left that bars readmission for good."""

    ABANDONED_ACTIVITY = "abandoned_activity"
    VOLUNTARY_EXIT = "voluntary_exit"
    SERIOUS_DISUNITY = "serious_disunity"
    CORRUPTION_CONVICTION = "corruption_conviction"
    SERIOUS_CRIME_CONVICTION = "serious_crime_conviction"

    @property
    def label_vi(self) -> str:
        return _BAR_VI[self]


_BAR_VI = {
    ReadmitBar.ABANDONED_ACTIVITY: "tự bỏ sinh hoạt đảng",
    ReadmitBar.VOLUNTARY_EXIT: "làm đơn xin ra khỏi Đảng",
    ReadmitBar.SERIOUS_DISUNITY: "gây mất đoàn kết nội bộ nghiêm trọng",
    ReadmitBar.CORRUPTION_CONVICTION: "bị kết án về tội tham nhũng",
    ReadmitBar.SERIOUS_CRIME_CONVICTION: "bị kết án về tội phạm nghiêm trọng trở lên",
}


def _refuse(en: str, vi: str) -> RuleViolation:
    return RuleViolation("R-READMIT", en, vi)


def _ready_on(rules: RuleSet, left_on: date, conviction_cleared_on: date | None) -> date:
    """36 months after leaving; 60 months after a minor conviction is cleared, if that is later."""
    ready_on = add_months(left_on, rules.readmit_wait_months)
    if conviction_cleared_on is None:
        return ready_on
    return max(ready_on, add_months(conviction_cleared_on, rules.readmit_wait_after_conviction_months))


def check_readmit(
    rules: RuleSet,
    *,
    readmitted_before: int,
    left_on: date,
    bar: ReadmitBar | None,
    conviction_cleared_on: date | None = None,
    provincial_consent_ref: str | None = None,
    deciding_on: date | None = None,
) -> None:
    """R-READMIT: once only; 36 months after leaving (60 after a cleared conviction); no barred ground.

    The waiting period and the provincial standing committee's written consent are checked when the
    competent body decides (`deciding_on`); a file may be opened before.
    """
    if readmitted_before >= rules.readmit_max_times:
        raise _refuse("a person is readmitted only once", "chỉ được kết nạp lại một lần")
    if bar is not None:
        raise _refuse(f"left the party on a barred ground ({bar})", f"đã ra khỏi Đảng vì {bar.label_vi}")
    if deciding_on is None:
        return
    ready_on = _ready_on(rules, left_on, conviction_cleared_on)
    if deciding_on < ready_on:
        raise _refuse(
            f"readmission may be considered from {ready_on.isoformat()}",
            f"chỉ được xem xét kết nạp lại từ ngày {ready_on:%d/%m/%Y}",
        )
    if rules.readmit_needs_provincial_consent and not provincial_consent_ref:
        raise _refuse(
            "readmission needs the provincial standing committee's written consent",
            "kết nạp lại phải được Ban Thường vụ Tỉnh ủy đồng ý bằng văn bản",
        )
