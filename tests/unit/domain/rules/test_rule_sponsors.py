"""R-SPONSORS, R-SPONSOR-COWORK and R-HELPER-OFFICIAL."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.errors import RuleViolation
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.sponsors import SponsorKind, check_helper_official, check_sponsor_cowork, check_sponsors

RULES = QD24_2021


@dataclass(frozen=True)
class Sponsor:
    sponsor_id: str
    kind: SponsorKind = SponsorKind.MEMBER
    is_official: bool = True
    months_co_working_same_unit: int = 24


A, B = Sponsor("a"), Sponsor("b")
YOUTH = Sponsor("youth-union", SponsorKind.YOUTH_UNION, is_official=False, months_co_working_same_unit=0)
TRADE = Sponsor("trade-union", SponsorKind.TRADE_UNION, is_official=False, months_co_working_same_unit=0)


def test_r_sponsors_accepts_two_official_members() -> None:
    check_sponsors(RULES, [A, B], 40)


def test_r_sponsors_refuses_one_member_alone() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [A], 40)


def test_r_sponsors_refuses_three_members() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [A, B, Sponsor("c")], 40)


def test_r_sponsors_refuses_a_probationary_sponsor() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [A, Sponsor("b", is_official=False)], 40)


def test_r_sponsors_refuses_the_same_sponsor_twice() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [A, A], 40)


def test_r_sponsors_accepts_one_member_and_the_youth_union_at_30() -> None:
    check_sponsors(RULES, [A, YOUTH], 30)


def test_r_sponsors_refuses_the_youth_union_at_31() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [A, YOUTH], 31)


def test_r_sponsors_accepts_one_member_and_the_trade_union_at_any_age() -> None:
    check_sponsors(RULES, [A, TRADE], 55)


def test_r_sponsors_refuses_two_union_resolutions() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSORS:"):
        check_sponsors(RULES, [YOUTH, TRADE], 25)


def test_r_sponsor_cowork_accepts_exactly_12_months() -> None:
    check_sponsor_cowork(RULES, [Sponsor("a", months_co_working_same_unit=12), B], waived_by_transfer=False)


def test_r_sponsor_cowork_refuses_11_months() -> None:
    with pytest.raises(RuleViolation, match=r"^R-SPONSOR-COWORK:") as refused:
        check_sponsor_cowork(RULES, [Sponsor("a", months_co_working_same_unit=11), B], waived_by_transfer=False)
    assert refused.value.details["sponsors"] == ["a"]


def test_r_sponsor_cowork_is_waived_after_a_transfer() -> None:
    check_sponsor_cowork(RULES, [Sponsor("a", months_co_working_same_unit=2), B], waived_by_transfer=True)


def test_r_sponsor_cowork_does_not_apply_to_a_union_resolution() -> None:
    check_sponsor_cowork(RULES, [A, YOUTH], waived_by_transfer=False)


def test_r_helper_official_accepts_an_official_member() -> None:
    check_helper_official("m1", True, "person-1")


def test_r_helper_official_refuses_a_probationary_member() -> None:
    with pytest.raises(RuleViolation, match=r"^R-HELPER-OFFICIAL:"):
        check_helper_official("m1", False, "person-1")


def test_r_helper_official_refuses_the_candidate_as_own_helper() -> None:
    with pytest.raises(RuleViolation, match=r"^R-HELPER-OFFICIAL:"):
        check_helper_official("person-1", True, "person-1")
