"""The yearly quality rating (R-RATING): grades, the 100-point bands from qd294-2025, the Excellent quota."""

from __future__ import annotations

from enum import StrEnum

from domain.errors import RuleViolation
from domain.rules.base import RuleSet


class Grade(StrEnum):
    """Xếp loại chất lượng: hoàn thành xuất sắc / tốt / hoàn thành / không hoàn thành nhiệm vụ."""

    EXCELLENT = "excellent"
    GOOD = "good"
    COMPLETED = "completed"
    NOT_COMPLETED = "not_completed"

    @property
    def label_vi(self) -> str:
        return _GRADE_VI[self]


_GRADE_VI = {
    Grade.EXCELLENT: "Hoàn thành xuất sắc nhiệm vụ",
    Grade.GOOD: "Hoàn thành tốt nhiệm vụ",
    Grade.COMPLETED: "Hoàn thành nhiệm vụ",
    Grade.NOT_COMPLETED: "Không hoàn thành nhiệm vụ",
}


def _refuse(en: str, vi: str) -> RuleViolation:
    return RuleViolation("R-RATING", en, vi)


def _grade_for_score(rules: RuleSet, score: int, stated: Grade | None) -> Grade:
    if not 0 <= score <= rules.rating_max_score:
        raise _refuse(f"score {score} is outside 0–{rules.rating_max_score}", f"điểm {score} không hợp lệ")
    if score >= rules.rating_excellent_min:
        return Grade.EXCELLENT
    if score >= rules.rating_good_min:
        return Grade.GOOD
    if score >= rules.rating_completed_min:
        return Grade.COMPLETED
    if rules.rating_below_completed_is_not_completed:
        return Grade.NOT_COMPLETED
    if stated not in {Grade.COMPLETED, Grade.NOT_COMPLETED}:
        raise _refuse(
            f"under {rules.rating_completed_min} points the body states Completed or NotCompleted",
            f"dưới {rules.rating_completed_min} điểm, cấp ủy phải ghi rõ hoàn thành hay không hoàn thành nhiệm vụ",
        )
    return stated


def _grade_of(rules: RuleSet, stated: Grade | None, score: int | None) -> Grade:
    """The grade a rating gives: from the score in 100-point rule sets, as stated before them."""
    if not rules.rating_scored:
        if score is not None or stated is None:
            raise _refuse(
                f"{rules.rule_set_id} rates by grade, without a score",
                f"{rules.rule_set_id} xếp loại theo mức, không chấm điểm",
            )
        return stated
    if score is None:
        raise _refuse(
            f"{rules.rule_set_id} rates on a 100-point score", f"{rules.rule_set_id} chấm theo thang 100 điểm"
        )
    grade = _grade_for_score(rules, score, stated)
    if stated is not None and stated is not grade:
        raise _refuse(
            f"score {score} gives {grade}, not {stated}",
            f"{score} điểm ứng với mức “{grade.label_vi}”, không phải “{stated.label_vi}”",
        )
    return grade


def check_rating(
    rules: RuleSet,
    stated: Grade | None,
    score: int | None,
    rated_good: int,
    rated_excellent_before: int,
    already_rated: bool = False,
) -> Grade:
    """R-RATING: the grade (from the score, in 100-point rule sets), with Excellent ≤ 20% of those rated Good.

    The NotCompleted band under 50 points is [U]: `rating_below_completed_is_not_completed`, default on.
    """
    if already_rated:
        raise _refuse("the member is already rated for this year", "đảng viên đã được xếp loại năm này")
    grade = _grade_of(rules, stated, score)
    if grade is Grade.EXCELLENT and rated_excellent_before + 1 > rules.excellent_share_of_good * rated_good:
        raise _refuse(
            f"Excellent is capped at {rules.excellent_share_of_good} of the {rated_good} rated Good; "
            f"{rated_excellent_before} already rated Excellent",
            f"số hoàn thành xuất sắc không quá {rules.excellent_share_of_good} "
            f"số hoàn thành tốt ({rated_good}); đã có {rated_excellent_before}",
        )
    return grade
