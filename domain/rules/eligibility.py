"""Who may be voted on by a cell: age (over 60 with consent) and education."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from domain.errors import RuleViolation
from domain.particulars import age_in_full_months
from domain.rules.base import RuleSet


class EducationExemption(StrEnum):
    """Areas where the lower-secondary diploma may be waived (R-ELIG-EDU)."""

    MOUNTAIN = "mountain"
    BORDER = "border"
    ISLAND = "island"
    MINORITY_AREA = "minority_area"


def check_elig_age(rules: RuleSet, date_of_birth: date, vote_on: date, over60_consent_on: date | None) -> int:
    """R-ELIG-AGE: 18 to 60 years in full months on the vote date; over 60 goes to R-AUTH-OVER60."""
    months = age_in_full_months(date_of_birth, vote_on)
    if months < rules.min_age_months:
        raise RuleViolation(
            "R-ELIG-AGE",
            f"the candidate is {months // 12} years {months % 12} months old on the vote date; "
            f"the minimum is {rules.min_age_months // 12} years",
            f"người vào Đảng mới {months // 12} tuổi {months % 12} tháng vào ngày chi bộ xét; "
            f"phải đủ {rules.min_age_months // 12} tuổi (tính theo tháng)",
            age_months=months,
        )
    if months > rules.max_age_months:
        check_auth_over60(rules, months, vote_on, over60_consent_on)
    return months


def check_auth_over60(rules: RuleSet, age_months: int, vote_on: date, consent_on: date | None) -> None:
    """R-AUTH-OVER60: over 60 needs the provincial standing committee's written consent, given beforehand."""
    if consent_on is None or consent_on > vote_on:
        raise RuleViolation(
            "R-AUTH-OVER60",
            f"the candidate is over {rules.max_age_months // 12} ({age_months} months); "
            "the provincial standing committee's prior written consent is required",
            f"người vào Đảng trên {rules.max_age_months // 12} tuổi ({age_months} tháng) "
            "phải được Ban Thường vụ Tỉnh ủy đồng ý bằng văn bản trước khi chi bộ xét",
            age_months=age_months,
        )


def check_elig_edu(meets_lower_secondary: bool, exemption: EducationExemption | None) -> None:
    """R-ELIG-EDU: a lower-secondary diploma, unless the unit lies in an exempted area."""
    if not meets_lower_secondary and exemption is None:
        raise RuleViolation(
            "R-ELIG-EDU",
            "the candidate has no lower-secondary diploma and the unit is in no exempted area",
            "người vào Đảng chưa có bằng tốt nghiệp trung học cơ sở và không thuộc vùng được miễn",
        )
