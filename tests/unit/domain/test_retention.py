"""R-PRIVACY-RETAIN: one rule per outcome with its id and a period the province may change [U]."""

from __future__ import annotations

import pytest

from domain.retention import DEFAULT_MONTHS, Outcome, retention_rules


def test_every_outcome_has_one_rule_with_its_own_id() -> None:
    rules = retention_rules()

    assert set(rules) == set(Outcome) == set(DEFAULT_MONTHS)
    assert len({rule.rule_id for rule in rules.values()}) == len(Outcome)
    assert rules[Outcome.REJECTED].rule_id == "R-PRIVACY-RETAIN:rejected"


def test_leaving_the_party_is_kept_longer_than_a_candidacy_that_went_no_further() -> None:
    """R-READMIT reads how and when a member left; a candidate is only nominated again."""
    rules = retention_rules()

    assert rules[Outcome.EXPELLED].months > rules[Outcome.REJECTED].months
    assert rules[Outcome.VOLUNTARY_EXIT].months > rules[Outcome.WITHDRAWN].months


def test_the_province_overrides_one_period_and_keeps_the_others() -> None:
    rules = retention_rules({"withdrawn": 6})

    assert rules[Outcome.WITHDRAWN].months == 6
    assert rules[Outcome.REJECTED].months == DEFAULT_MONTHS[Outcome.REJECTED]


def test_an_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="resigned"):
        retention_rules({"resigned": 6})
