"""Charts as inline SVG drawn on the server: no script, no network, and they print as they look."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from .format import vi_number

BAR = "#b71c1c"
PLAN = "#9e9e9e"


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    value: int


def funnel_svg(bars: Sequence[Bar], title: str) -> Markup:
    """Horizontal bars, one per stage, each with its label above it and its count after it (`data-count` for
    tests and scripts). Labels sit above the bars, not beside them, so the drawing is narrow: on a phone it is
    scaled down little and the labels stay readable (beside the bars they were ~5 px tall at 390 px wide)."""
    width, row, label_h, bar_h = 400, 44, 18, 16
    top = max((b.value for b in bars), default=0) or 1
    height = row * len(bars) + 4
    parts = [
        f'<svg class="chart funnel" role="img" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, bar in enumerate(bars):
        y = 4 + i * row
        length = round((width - 60) * bar.value / top)
        parts.append(
            f'<g class="bar" data-key="{escape(bar.key)}" data-count="{bar.value}">'
            f'<text x="0" y="{y + label_h - 4}">{escape(bar.label)}</text>'
            f'<rect x="0" y="{y + label_h}" width="{max(length, 1)}" height="{bar_h}" fill="{BAR}" rx="2"/>'
            f'<text x="{length + 6}" y="{y + label_h + bar_h - 3}" font-weight="600">{vi_number(bar.value)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class YearBar:
    year: int
    actual: int
    plan: int | None


def plan_svg(years: Sequence[YearBar], title: str) -> Markup:
    """Per year: the plan (grey) and what was done (red) side by side."""
    width, height, base, left = 360, 200, 165, 10
    top = max([y.actual for y in years] + [y.plan or 0 for y in years] + [1])
    slot = (width - left) / max(len(years), 1)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" stroke="#666"/>'
    ]
    for i, item in enumerate(years):
        x = left + i * slot + slot * 0.15
        w = slot * 0.3
        for offset, value, colour, kind in ((0.0, item.plan, PLAN, "plan"), (w, item.actual, BAR, "actual")):
            if value is None:
                continue
            h = round((base - 20) * value / top)
            parts.append(
                f'<rect class="{kind}" data-year="{item.year}" data-value="{value}" x="{x + offset:.0f}" '
                f'y="{base - h}" width="{w:.0f}" height="{max(h, 1)}" fill="{colour}"/>'
                f'<text x="{x + offset + w / 2:.0f}" y="{base - h - 4}" text-anchor="middle">{vi_number(value)}</text>'
            )
        parts.append(f'<text x="{x + w:.0f}" y="{base + 18}" text-anchor="middle">{item.year}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
