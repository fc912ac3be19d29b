"""Who may vouch for a candidate (R-SPONSORS, R-SPONSOR-COWORK) and who may guide one (R-HELPER-OFFICIAL)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Protocol

from domain.errors import RuleViolation
from domain.rules.base import RuleSet


class SponsorKind(StrEnum):
    """A member's letter, or the resolution of the Youth Union or of the trade-union committee."""

    MEMBER = "member"
    YOUTH_UNION = "youth_union"
    TRADE_UNION = "trade_union"


class Sponsor(Protocol):
    """What the sponsor rules read about one sponsor (see `domain.person.facts.SponsorFacts`)."""

    @property
    def sponsor_id(self) -> str: ...
    @property
    def kind(self) -> SponsorKind: ...
    @property
    def is_official(self) -> bool: ...
    @property
    def months_co_working_same_unit(self) -> int: ...


def _refuse_sponsors(en: str, vi: str) -> RuleViolation:
    return RuleViolation("R-SPONSORS", en, vi)


def check_sponsors(rules: RuleSet, sponsors: Sequence[Sponsor], candidate_age_years: int) -> None:
    """R-SPONSORS: two official members; or one plus the Youth Union (youth age) or the trade union."""
    members = [s for s in sponsors if s.kind is SponsorKind.MEMBER]
    unions = [s for s in sponsors if s.kind is not SponsorKind.MEMBER]
    if len({s.sponsor_id for s in sponsors}) != len(sponsors):
        raise _refuse_sponsors("the same sponsor is named twice", "một người giới thiệu bị kê hai lần")
    if any(not s.is_official for s in members):
        raise _refuse_sponsors(
            "every member sponsor must be an official member",
            "đảng viên giới thiệu phải là đảng viên chính thức",
        )
    if len(unions) > 1:
        raise _refuse_sponsors(
            "at most one union resolution may replace a member sponsor",
            "chỉ một nghị quyết giới thiệu của đoàn thể được thay một đảng viên giới thiệu",
        )
    needed = rules.member_sponsors_required - len(unions)
    if len(members) != needed:
        raise _refuse_sponsors(
            f"{len(members)} member sponsors with {len(unions)} union resolutions; {needed} members are needed",
            f"có {len(members)} đảng viên giới thiệu và {len(unions)} nghị quyết đoàn thể; cần {needed} đảng viên",
        )
    if unions and unions[0].kind is SponsorKind.YOUTH_UNION and candidate_age_years > rules.youth_max_age_years:
        raise _refuse_sponsors(
            f"the candidate is {candidate_age_years}, past youth age ({rules.youth_max_age_years}); "
            "the Youth Union cannot sponsor",
            f"người vào Đảng đã {candidate_age_years} tuổi, quá tuổi đoàn ({rules.youth_max_age_years}); "
            "Đoàn Thanh niên không được giới thiệu",
        )


def check_sponsor_cowork(rules: RuleSet, sponsors: Sequence[Sponsor], waived_by_transfer: bool) -> None:
    """R-SPONSOR-COWORK: each member sponsor worked ≥12 months with the candidate in the same unit."""
    if waived_by_transfer:
        return
    short = [
        s.sponsor_id
        for s in sponsors
        if s.kind is SponsorKind.MEMBER and s.months_co_working_same_unit < rules.sponsor_cowork_months
    ]
    if short:
        raise RuleViolation(
            "R-SPONSOR-COWORK",
            f"sponsors {', '.join(short)} have worked with the candidate less than "
            f"{rules.sponsor_cowork_months} months in the same unit",
            f"đảng viên giới thiệu {', '.join(short)} chưa cùng công tác, học tập hoặc sinh hoạt "
            f"với người vào Đảng đủ {rules.sponsor_cowork_months} tháng trong cùng một đơn vị",
            sponsors=short,
        )


def check_helper_official(helper_id: str, is_official: bool, candidate_id: str) -> None:
    """R-HELPER-OFFICIAL: a helper (before admission) or mentor (during probation) is an official member."""
    if not is_official or helper_id == candidate_id:
        raise RuleViolation(
            "R-HELPER-OFFICIAL",
            f"{helper_id} is not an official member and cannot be assigned to help the candidate",
            f"{helper_id} không phải đảng viên chính thức, không được phân công giúp đỡ",
            helper_id=helper_id,
        )
