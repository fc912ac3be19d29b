"""Leaving the party: strike-off grounds, the expulsion appeal, voluntary exit, and screening outcomes."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from domain.errors import RuleViolation
from domain.rules.base import RuleSet


class StrikeOffGround(StrEnum):
    """The only grounds for striking a member off the roll (xóa tên), R-STRIKEOFF-GROUNDS."""

    INACTIVE_OR_NO_DUES = "inactive_or_no_dues"
    CARD_RETURNED_OR_DESTROYED = "card_returned_or_destroyed"
    NO_IMPROVEMENT_AFTER_EDUCATION = "no_improvement_after_education"
    BREACHES_TWO_YEARS = "breaches_two_years"
    FAILS_POLITICAL_CRITERIA = "fails_political_criteria"

    @property
    def label_vi(self) -> str:
        return _GROUND_VI[self]


_GROUND_VI = {
    StrikeOffGround.INACTIVE_OR_NO_DUES: "bỏ sinh hoạt đảng hoặc không đóng đảng phí ba tháng trong năm",
    StrikeOffGround.CARD_RETURNED_OR_DESTROYED: "tự ý trả thẻ hoặc tự hủy thẻ đảng viên",
    StrikeOffGround.NO_IMPROVEMENT_AFTER_EDUCATION: "được giáo dục 12 tháng nhưng không tiến bộ",
    StrikeOffGround.BREACHES_TWO_YEARS: "hai năm liền vi phạm tư cách đảng viên",
    StrikeOffGround.FAILS_POLITICAL_CRITERIA: "không bảo đảm tiêu chuẩn chính trị",
}


class ScreeningOutcome(StrEnum):
    """A periodic review's outcome for one member (rà soát, sàng lọc)."""

    KEEP = "keep"
    EDUCATE = "educate"
    PROPOSE_REMOVAL = "propose_removal"


def check_strikeoff_grounds(
    rules: RuleSet, ground: StrikeOffGround, evidence_months: int | None, not_completed_streak: int
) -> None:
    """R-STRIKEOFF-GROUNDS: only the listed grounds, each with its measure (3 months, 12 months, 2 years)."""
    if ground is StrikeOffGround.INACTIVE_OR_NO_DUES:
        needed, have, what = (
            rules.strikeoff_inactive_months,
            evidence_months or 0,
            "months without activity or dues",
        )
    elif ground is StrikeOffGround.NO_IMPROVEMENT_AFTER_EDUCATION:
        needed, have, what = rules.strikeoff_education_months, evidence_months or 0, "months of education"
    elif ground is StrikeOffGround.BREACHES_TWO_YEARS:
        needed, have, what = (
            rules.strikeoff_breach_years,
            not_completed_streak,
            "consecutive years not completed",
        )
    else:
        return
    if have < needed:
        raise RuleViolation(
            "R-STRIKEOFF-GROUNDS",
            f"ground {ground}: {have} {what}, at least {needed} needed",
            f"chưa đủ căn cứ xóa tên vì {ground.label_vi}: mới có {have}, cần ít nhất {needed}",
            ground=str(ground),
        )


def appeal_deadline(rules: RuleSet, expelled_on: date) -> date:
    """The last day to appeal an expulsion (30 calendar days)."""
    return expelled_on + timedelta(days=rules.expulsion_appeal_days)


def check_expel_appeal(rules: RuleSet, expelled_on: date, appealed_on: date) -> None:
    """R-EXPEL-APPEAL: an expelled member may appeal within 30 days of the decision."""
    last_day = appeal_deadline(rules, expelled_on)
    if not expelled_on <= appealed_on <= last_day:
        raise RuleViolation(
            "R-EXPEL-APPEAL",
            f"an appeal against the expulsion of {expelled_on.isoformat()} is accepted until {last_day.isoformat()}",
            f"khiếu nại quyết định khai trừ ngày {expelled_on:%d/%m/%Y} chỉ được nhận đến ngày {last_day:%d/%m/%Y}",
        )


def check_exit_voluntary(pending_violation: bool) -> None:
    """R-EXIT-VOLUNTARY: a member may leave of their own will only with no violation pending."""
    if pending_violation:
        raise RuleViolation(
            "R-EXIT-VOLUNTARY",
            "a violation is pending; it must be dealt with before a voluntary exit",
            "đảng viên đang có vi phạm chưa xử lý, chưa được xin ra khỏi Đảng",
        )


def check_screening(rules: RuleSet, outcome: ScreeningOutcome, not_completed_streak: int) -> None:
    """R-SCREENING: two years running rated NotCompleted lead to education, then removal — never 'keep'."""
    if outcome is ScreeningOutcome.KEEP and not_completed_streak >= rules.not_completed_years_for_action:
        raise RuleViolation(
            "R-SCREENING",
            f"rated NotCompleted {not_completed_streak} years running: educate or propose removal",
            f"{not_completed_streak} năm liền không hoàn thành nhiệm vụ: phải giáo dục hoặc đề nghị đưa ra khỏi Đảng",
        )
