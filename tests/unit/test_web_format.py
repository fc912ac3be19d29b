"""Vietnamese presentation on the dashboard: dot thousands, comma decimals, dd/mm/yyyy, time ago in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.codec import EVENTS
from services.api.web.format import vi_ago, vi_date, vi_number, vi_percent
from services.api.web.labels import EVENT_LABELS_VI


@given(st.integers(min_value=0, max_value=10**12))
def test_a_whole_number_reads_back_after_removing_the_dots(n: int) -> None:
    written = vi_number(n)
    assert int(written.replace(".", "")) == n
    assert all(len(group) == 3 for group in written.split(".")[1:])


def test_separators_are_vietnamese() -> None:
    assert vi_number(1234567) == "1.234.567"
    assert vi_number(12.5) == "12,5"
    assert vi_number(None) == "—"
    assert vi_percent(1, 3) == "33,3%"
    assert vi_percent(1, None) == "—"


def test_dates_are_day_month_year_and_moments_are_in_vietnam_time() -> None:
    assert vi_date(date(2021, 12, 5)) == "05/12/2021"
    assert vi_date(datetime(2021, 12, 31, 20, 30, tzinfo=UTC)) == "01/01/2022 03:30"


def test_time_ago_in_words() -> None:
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    assert vi_ago(now - timedelta(seconds=20), now) == "vừa xong"
    assert vi_ago(now - timedelta(minutes=5), now) == "5 phút trước"
    assert vi_ago(now - timedelta(hours=3), now) == "3 giờ trước"
    assert vi_ago(now - timedelta(days=1200), now) == "1.200 ngày trước"
    assert vi_ago(None, now) == "chưa có dữ liệu"


def test_every_event_the_log_can_hold_has_a_vietnamese_name() -> None:
    registered = set(EVENTS._classes)  # the codec's registry: every type the log may hold
    assert registered and registered <= set(EVENT_LABELS_VI), registered - set(EVENT_LABELS_VI)
