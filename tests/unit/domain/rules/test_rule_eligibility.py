"""Eligibility and papers: R-ELIG-AGE, R-AUTH-OVER60, R-ELIG-EDU, R-TRAIN-VALID, R-VERIFY-COMPLETE, …

Also R-PAPERS-STALE [S] and R-DOSSIER-RETURN [U].
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from domain.errors import RuleViolation
from domain.particulars import EducationLevel
from domain.rules.dossier import (
    check_dossier_return,
    check_papers_stale,
    check_train_valid,
    check_verify_complete,
)
from domain.rules.eligibility import EducationExemption, check_elig_age, check_elig_edu
from domain.rules.qd24_2021 import QD24_2021

RULES = QD24_2021


def test_r_elig_age_accepts_18_years_0_months() -> None:
    assert check_elig_age(RULES, date(2003, 6, 15), date(2021, 6, 15), None) == 216


def test_r_elig_age_refuses_17_years_11_months() -> None:
    with pytest.raises(RuleViolation, match=r"^R-ELIG-AGE:") as refused:
        check_elig_age(RULES, date(2003, 6, 15), date(2021, 6, 14), None)
    assert refused.value.details["age_months"] == 215


def test_r_elig_age_accepts_60_years_0_months_without_consent() -> None:
    assert check_elig_age(RULES, date(1961, 6, 15), date(2021, 7, 14), None) == 720


def test_r_auth_over60_refuses_60_years_1_month_without_consent() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-OVER60:"):
        check_elig_age(RULES, date(1961, 6, 15), date(2021, 7, 15), None)


def test_r_auth_over60_accepts_60_years_1_month_with_prior_consent() -> None:
    assert check_elig_age(RULES, date(1961, 6, 15), date(2021, 7, 15), date(2021, 7, 15)) == 721


def test_r_auth_over60_refuses_consent_given_after_the_vote() -> None:
    with pytest.raises(RuleViolation, match=r"^R-AUTH-OVER60:"):
        check_elig_age(RULES, date(1961, 6, 15), date(2021, 7, 15), date(2021, 7, 16))


def test_r_elig_edu_accepts_lower_secondary() -> None:
    check_elig_edu(EducationLevel.LOWER_SECONDARY.meets_lower_secondary(), None)


def test_r_elig_edu_refuses_primary_outside_exempted_areas() -> None:
    with pytest.raises(RuleViolation, match=r"^R-ELIG-EDU:"):
        check_elig_edu(EducationLevel.PRIMARY.meets_lower_secondary(), None)


@pytest.mark.parametrize("area", list(EducationExemption))
def test_r_elig_edu_accepts_primary_in_an_exempted_area(area: EducationExemption) -> None:
    check_elig_edu(EducationLevel.PRIMARY.meets_lower_secondary(), area)


def test_r_train_valid_accepts_certificate_exactly_60_months_old() -> None:
    check_train_valid(RULES, date(2016, 12, 20), date(2021, 12, 20))


def test_r_train_valid_refuses_certificate_60_months_and_one_day_old() -> None:
    with pytest.raises(RuleViolation, match=r"^R-TRAIN-VALID:"):
        check_train_valid(RULES, date(2016, 12, 20), date(2021, 12, 21))


def test_r_train_valid_refuses_a_vote_without_certificate_or_before_it() -> None:
    with pytest.raises(RuleViolation, match=r"^R-TRAIN-VALID:"):
        check_train_valid(RULES, None, date(2021, 12, 21))
    with pytest.raises(RuleViolation, match=r"^R-TRAIN-VALID:"):
        check_train_valid(RULES, date(2021, 12, 22), date(2021, 12, 21))


def test_r_verify_complete_accepts_when_every_result_is_in() -> None:
    check_verify_complete(True, ())


def test_r_verify_complete_refuses_a_missing_result() -> None:
    with pytest.raises(RuleViolation, match=r"^R-VERIFY-COMPLETE:") as refused:
        check_verify_complete(True, ("father:Nguyễn Văn Ba",))
    assert refused.value.details["pending"] == ["father:Nguyễn Văn Ba"]


def test_r_verify_complete_refuses_before_verification_starts() -> None:
    with pytest.raises(RuleViolation, match=r"^R-VERIFY-COMPLETE:"):
        check_verify_complete(False, ())


def test_r_papers_stale_accepts_letters_exactly_12_months_old() -> None:
    check_papers_stale(RULES, date(2020, 12, 1), date(2021, 12, 1))


def test_r_papers_stale_refuses_letters_12_months_and_one_day_old() -> None:
    with pytest.raises(RuleViolation, match=r"^R-PAPERS-STALE:"):
        check_papers_stale(RULES, date(2020, 12, 1), date(2021, 12, 2))


def test_r_papers_stale_can_be_switched_off() -> None:
    check_papers_stale(replace(RULES, stale_papers_enforced=False), date(2019, 12, 1), date(2021, 12, 2))


def test_r_dossier_return_accepts_by_default() -> None:
    check_dossier_return(RULES)


def test_r_dossier_return_refuses_when_the_rule_set_disables_it() -> None:
    with pytest.raises(RuleViolation, match=r"^R-DOSSIER-RETURN:"):
        check_dossier_return(replace(RULES, dossier_return_enabled=False))
