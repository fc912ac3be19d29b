"""Vietnamese presentation: dates dd/mm/yyyy, numbers with dot thousands, and "how long ago" in words."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any

from services.commands.walls import VIETNAM


def vi_number(value: Any) -> str:
    """1234567 → "1.234.567"; 12.5 → "12,5" (the Vietnamese separators)."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return f"{whole.replace(',', '.')},{fraction}"
    return f"{int(value):,}".replace(",", ".")


def vi_date(value: date | datetime | None) -> str:
    """A day as Vietnamese papers write it; a moment in Vietnam's time with hours and minutes."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        local = value.astimezone(VIETNAM) if value.tzinfo else value.replace(tzinfo=UTC).astimezone(VIETNAM)
        return f"{local:%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


def parse_day(text: str) -> date | None:
    """dd/mm/yyyy as officers write it, or ISO; empty is None; anything else a ValueError."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if "/" in cleaned:
        return datetime.strptime(cleaned, "%d/%m/%Y").date()
    return date.fromisoformat(cleaned)


def vi_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in words an officer reads at a glance."""
    if moment is None:
        return "chưa có dữ liệu"
    current = now or datetime.now(UTC)
    seconds = max(0, int((current - moment).total_seconds()))
    for size, unit in ((86_400, "ngày"), (3_600, "giờ"), (60, "phút")):
        if seconds >= size:
            return f"{vi_number(seconds // size)} {unit} trước"
    return "vừa xong"


def vi_percent(part: int, whole: int | None) -> str:
    if not whole:
        return "—"
    return f"{vi_number(round(100 * part / whole, 1))}%"


def nfc(text: str) -> str:
    """Every string shown is NFC, whatever the source typed."""
    return unicodedata.normalize("NFC", text)


FILTERS = {
    "vi_number": vi_number,
    "vi_date": vi_date,
    "vi_ago": vi_ago,
    "vi_percent": vi_percent,
    "nfc": nfc,
}
"""Jinja filters registered on the template engine."""
