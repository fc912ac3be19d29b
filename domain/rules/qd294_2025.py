"""QĐ 294-QĐ/TW (26/5/2025) + HD 06-HD/TW (9/6/2025): yearly rating on a 100-point score (QĐ 366)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from domain.rules.qd232_2025 import QD232_2025

QD294_2025 = replace(
    QD232_2025,
    rule_set_id="qd294-2025",
    in_force_from=date(2025, 7, 1),
    texts="Điều lệ Đảng (2011); QĐ 294-QĐ/TW (26/5/2025); HD 06-HD/TW (9/6/2025); QĐ 366-QĐ/TW",
    rating_scored=True,
)
