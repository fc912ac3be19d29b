"""Probation: 12 full months from the ceremony, the new-member course, and the back-dated official date."""

from __future__ import annotations

from datetime import date

from domain.errors import RuleViolation
from domain.rules.base import RuleSet
from domain.rules.periods import add_months


def probation_ends_on(rules: RuleSet, ceremony_on: date) -> date:
    """Probation runs 12 full months from the ceremony; the member is official from this date."""
    return add_months(ceremony_on, rules.probation_months)


def check_recognise_backdate(rules: RuleSet, ceremony_on: date, acted_on: date) -> date:
    """R-RECOGNISE-BACKDATE: official exactly 12 months after the ceremony, so nothing may act before then."""
    official_from = probation_ends_on(rules, ceremony_on)
    if acted_on < official_from:
        raise RuleViolation(
            "R-RECOGNISE-BACKDATE",
            f"probation from the ceremony of {ceremony_on.isoformat()} lasts "
            f"{rules.probation_months} months, until {official_from.isoformat()}",
            f"thời hạn dự bị tính từ ngày kết nạp {ceremony_on:%d/%m/%Y} là {rules.probation_months} tháng, "
            f"đến ngày {official_from:%d/%m/%Y}",
            official_from=official_from.isoformat(),
        )
    return official_from


def check_newmember_course(completed: bool) -> None:
    """R-NEWMEMBER-COURSE: the new-member course is required before recognition."""
    if not completed:
        raise RuleViolation(
            "R-NEWMEMBER-COURSE",
            "the probationary member has not completed the new-member course",
            "đảng viên dự bị chưa học lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới",
        )
