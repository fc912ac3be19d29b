"""QĐ 232-QĐ/TW (20/1/2025): no number of DOMAIN.md differs from `qd24-2021`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.rules.qd24_2021 import QD24_2021

QD232_2025 = replace(
    QD24_2021,
    rule_set_id="qd232-2025",
    in_force_from=date(2025, 1, 20),
    texts="Điều lệ Đảng (2011); QĐ 232-QĐ/TW (20/1/2025)",
)
