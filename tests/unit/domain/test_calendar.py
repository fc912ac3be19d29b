"""Working days across Tết, 30/4–1/5 and 2/9, the administrator's declarations, and deadline arithmetic."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.calendar import (
    DayDeclarationWithdrawn,
    DayOffDeclared,
    WorkingCalendar,
    WorkingDayDeclared,
    calendar_from_declarations,
    declare_day_off,
)
from domain.codec import EVENTS
from domain.errors import InvalidCommand

CALENDAR = WorkingCalendar()


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize(
    ("first", "last", "before", "after"),
    [
        (date(2022, 1, 29), date(2022, 2, 6), date(2022, 1, 28), date(2022, 2, 7)),
        (date(2025, 1, 25), date(2025, 2, 2), date(2025, 1, 24), date(2025, 2, 3)),
        (date(2026, 2, 14), date(2026, 2, 22), date(2026, 2, 13), date(2026, 2, 23)),
    ],
    ids=["tet-2022", "tet-2025", "tet-2026"],
)
def test_tet_is_nine_days_off_between_two_working_days(first: date, last: date, before: date, after: date) -> None:
    assert not any(CALENDAR.is_working_day(d) for d in _span(first, last))
    assert CALENDAR.is_working_day(before)
    assert CALENDAR.is_working_day(after)
    assert CALENDAR.add_working_days(before, 1) == after
    assert CALENDAR.working_days_between(before, after) == 1


def test_reunification_and_labour_day_2025_with_the_swapped_saturday() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in _span(date(2025, 4, 30), date(2025, 5, 4)))
    assert CALENDAR.is_working_day(date(2025, 4, 26))
    assert CALENDAR.add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert CALENDAR.add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_reunification_and_labour_day_2024_with_the_swapped_saturday() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in _span(date(2024, 4, 27), date(2024, 5, 1)))
    assert CALENDAR.is_working_day(date(2024, 5, 4))


def test_national_day_2025_is_monday_and_tuesday() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in _span(date(2025, 8, 30), date(2025, 9, 2)))
    assert CALENDAR.add_working_days(date(2025, 8, 29), 1) == date(2025, 9, 3)


def test_national_day_2026_includes_the_swapped_monday() -> None:
    assert not any(CALENDAR.is_working_day(d) for d in _span(date(2026, 8, 29), date(2026, 9, 2)))
    assert CALENDAR.is_working_day(date(2026, 8, 22))


def test_observed_days_in_lieu_are_days_off() -> None:
    assert not CALENDAR.is_working_day(date(2022, 1, 3))
    assert not CALENDAR.is_working_day(date(2022, 4, 11))
    assert not CALENDAR.is_working_day(date(2025, 4, 7))


def test_deadlines_cross_new_year() -> None:
    assert CALENDAR.add_working_days(date(2024, 12, 31), 1) == date(2025, 1, 2)
    assert CALENDAR.working_days_between(date(2024, 12, 30), date(2025, 1, 2)) == 2


def test_zero_working_days_is_the_start_itself_even_on_a_holiday() -> None:
    assert CALENDAR.add_working_days(date(2025, 1, 29), 0) == date(2025, 1, 29)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        CALENDAR.add_working_days(date(2025, 1, 2), -1)


def test_counting_backwards_gives_the_negative_count() -> None:
    assert CALENDAR.working_days_between(date(2025, 2, 3), date(2025, 1, 24)) == -1
    assert CALENDAR.working_days_between(date(2025, 2, 3), date(2025, 2, 3)) == 0


def test_r_decide_deadline_sixty_working_days_from_a_resolution_before_tet() -> None:
    due = CALENDAR.deadline(date(2021, 12, 15), 60)
    assert due == date(2022, 3, 17)
    assert CALENDAR.working_days_late(date(2021, 12, 15), 60, due) == 0
    assert CALENDAR.working_days_late(date(2021, 12, 15), 60, date(2022, 3, 21)) == 2


def test_next_working_day_skips_tet() -> None:
    assert CALENDAR.next_working_day(date(2025, 1, 27)) == date(2025, 2, 3)
    assert CALENDAR.next_working_day(date(2025, 2, 3)) == date(2025, 2, 3)
    assert CALENDAR.next_working_day(date(2022, 12, 31)) == date(2023, 1, 3)


def test_declared_days_override_the_library() -> None:
    calendar = WorkingCalendar(extra_days_off=[date(2025, 3, 5)], extra_working_days=[date(2025, 1, 29)])
    assert not calendar.is_working_day(date(2025, 3, 5))
    assert calendar.is_working_day(date(2025, 1, 29))
    assert calendar.add_working_days(date(2025, 3, 4), 1) == date(2025, 3, 6)
    assert CALENDAR.is_working_day(date(2025, 3, 5))


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="both off and working"):
        WorkingCalendar(extra_days_off=[date(2025, 3, 5)], extra_working_days=[date(2025, 3, 5)])


def test_the_latest_declaration_about_a_day_wins_and_a_withdrawal_restores_the_library() -> None:
    calendar = calendar_from_declarations(
        [
            DayOffDeclared(date(2025, 3, 5), "Bão"),
            WorkingDayDeclared(date(2025, 3, 5), "Hết bão"),
            DayOffDeclared(date(2025, 3, 6), "Lễ hội tỉnh"),
            DayOffDeclared(date(2025, 3, 7), "Nhầm"),
            DayDeclarationWithdrawn(date(2025, 3, 7), "Nhập nhầm"),
        ]
    )
    assert calendar.extra_working_days == frozenset({date(2025, 3, 5)})
    assert calendar.extra_days_off == frozenset({date(2025, 3, 6)})
    assert calendar.is_working_day(date(2025, 3, 7))


def test_only_day_declarations_build_a_calendar() -> None:
    with pytest.raises(TypeError):
        calendar_from_declarations([object()])  # type: ignore[list-item]


def test_a_declaration_needs_a_reason() -> None:
    with pytest.raises(InvalidCommand) as refused:
        declare_day_off(date(2025, 3, 5), "  ")
    assert refused.value.field == "reason"
    assert declare_day_off(date(2025, 3, 5), " Nghỉ  bù ").reason == "Nghỉ bù"


@pytest.mark.parametrize(
    "event",
    [
        DayOffDeclared(date(2025, 3, 5), "Bão số 3"),
        WorkingDayDeclared(date(2025, 3, 8), "Làm bù"),
        DayDeclarationWithdrawn(date(2025, 3, 5), "Nhầm"),
    ],
)
def test_day_declarations_round_trip_through_the_codec(event: object) -> None:
    event_type, version, data = EVENTS.encode(event)
    assert event_type == type(event).__name__
    assert EVENTS.decode(event_type, version, data) == event


days = st.dates(date(2019, 1, 1), date(2027, 12, 31))


@given(days, st.integers(0, 400))
def test_adding_then_counting_working_days_round_trips(start: date, n: int) -> None:
    end = CALENDAR.add_working_days(start, n)
    assert CALENDAR.working_days_between(start, end) == n
    if n > 0:
        assert CALENDAR.is_working_day(end)
        assert CALENDAR.add_working_days(start, n - 1) < end


@given(days, days, days)
def test_counts_are_additive_and_antisymmetric(a: date, b: date, c: date) -> None:
    assert CALENDAR.working_days_between(a, b) == -CALENDAR.working_days_between(b, a)
    total = CALENDAR.working_days_between(a, b) + CALENDAR.working_days_between(b, c)
    assert CALENDAR.working_days_between(a, c) == total


def test_deadlines_are_fast_enough_for_projections() -> None:
    calendar = WorkingCalendar(extra_days_off=[date(2024, 6, 3)])
    started = time.perf_counter()
    for n in range(100_000):
        calendar.deadline(date(2024, 1, 1) + timedelta(days=n % 700), 60)
    assert time.perf_counter() - started < 2.0
