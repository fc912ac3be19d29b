"""Which rule set judges a step: the one in force on the step's `occurred_on` (I11)."""

from __future__ import annotations

from datetime import date

from domain.rules.base import RuleSet
from domain.rules.qd24_2021 import QD24_2021
from domain.rules.qd232_2025 import QD232_2025
from domain.rules.qd294_2025 import QD294_2025

RULE_SETS: tuple[RuleSet, ...] = (QD24_2021, QD232_2025, QD294_2025)
"""Oldest first; adding a rule set = one new module and one entry here."""


def rules_in_force(on: date) -> RuleSet:
    """The latest rule set in force on `on`; steps before the first one use the first (DOMAIN.md §0)."""
    chosen = RULE_SETS[0]
    for candidate in sorted(RULE_SETS, key=lambda rules: rules.in_force_from):
        if candidate.in_force_from <= on:
            chosen = candidate
    return chosen


def rule_set_by_id(rule_set_id: str) -> RuleSet:
    """The rule set an event names, for auditors re-checking it."""
    for candidate in RULE_SETS:
        if candidate.rule_set_id == rule_set_id:
            return candidate
    raise KeyError(rule_set_id)
