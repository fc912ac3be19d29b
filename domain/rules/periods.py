"""Calendar months as the party counts them: the same day-of-month, or the month's last day if it is short."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months (31/1 + 1 month = 28/2 or 29/2), used for validity and probation."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last_day))
