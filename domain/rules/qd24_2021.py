"""Statute (2011) + QĐ 24-QĐ/TW (30/7/2021) + HD 01-HD/TW (28/9/2021): the base values."""

from __future__ import annotations

from datetime import date

from domain.rules.base import RuleSet

QD24_2021 = RuleSet(
    rule_set_id="qd24-2021",
    in_force_from=date(2021, 7, 30),
    texts="Điều lệ Đảng (2011); QĐ 24-QĐ/TW (30/7/2021); HD 01-HD/TW (28/9/2021)",
)
