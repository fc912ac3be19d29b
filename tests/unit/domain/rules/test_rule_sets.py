"""Rule sets by date (DOMAIN.md §0, I11): the right set on each boundary, one module per set."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

import pytest

from domain.rules.periods import add_months
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.qd232_2025 import QD232_2025
from domain.rules.qd294_2025 import QD294_2025
from domain.rules.registry import RULE_SETS, rule_set_by_id, rules_in_force


def test_steps_before_2021_07_30_use_qd24_2021() -> None:
    assert rules_in_force(date(2019, 3, 1)) is QD24_2021
    assert rules_in_force(date(2021, 7, 29)) is QD24_2021


def test_qd24_2021_is_in_force_from_2021_07_30() -> None:
    assert rules_in_force(date(2021, 7, 30)) is QD24_2021


def test_qd232_2025_takes_over_on_2025_01_20_not_the_day_before() -> None:
    assert rules_in_force(date(2025, 1, 19)) is QD24_2021
    assert rules_in_force(date(2025, 1, 20)) is QD232_2025


def test_qd294_2025_takes_over_on_2025_07_01_not_the_day_before() -> None:
    assert rules_in_force(date(2025, 6, 30)) is QD232_2025
    assert rules_in_force(date(2025, 7, 1)) is QD294_2025
    assert rules_in_force(date(2030, 1, 1)) is QD294_2025


def test_rule_sets_have_unique_ids_and_increasing_dates() -> None:
    ids = [rules.rule_set_id for rules in RULE_SETS]
    assert ids == ["qd24-2021", "qd232-2025", "qd294-2025"]
    dates = [rules.in_force_from for rules in RULE_SETS]
    assert dates == sorted(dates)
    assert all(rule_set_by_id(rules.rule_set_id) is rules for rules in RULE_SETS)


def test_unknown_rule_set_id_is_refused() -> None:
    with pytest.raises(KeyError):
        rule_set_by_id("qd29-2016")


def test_qd294_2025_overrides_only_the_rating_scale() -> None:
    differing = {f.name for f in fields(QD294_2025) if getattr(QD294_2025, f.name) != getattr(QD232_2025, f.name)}
    assert differing == {"rule_set_id", "in_force_from", "texts", "rating_scored"}


def test_numbers_of_domain_md_in_every_rule_set() -> None:
    for rules in RULE_SETS:
        assert (rules.train_validity_months, rules.min_age_months, rules.max_age_months) == (60, 216, 720)
        assert (rules.decide_working_days, rules.decide_extension_max_working_days) == (60, 30)
        assert (rules.ceremony_working_days, rules.probation_months, rules.deadlock_rounds) == (30, 12, 3)
        assert (rules.recognise_vote_working_days, rules.recognise_decision_working_days) == (30, 30)
        assert (rules.transfer_introduce_working_days, rules.transfer_present_working_days) == (60, 30)
        assert (rules.readmit_wait_months, rules.readmit_wait_after_conviction_months) == (36, 60)
        assert (rules.stale_papers_months, rules.cell_quorum, rules.sponsor_cowork_months) == (12, 3, 12)
        assert rules.dossier_return_enabled and rules.rating_below_completed_is_not_completed


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2021, 3, 15), 12, date(2022, 3, 15)),
        (date(2021, 1, 31), 1, date(2021, 2, 28)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2019, 8, 31), 60, date(2024, 8, 31)),
        (date(2021, 12, 10), 1, date(2022, 1, 10)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected
