"""The generated history's ledger clock (`services.seed.recording.PaperLag`): each paper is entered some
working days after its date, in office hours, the clock never runs backwards and never passes `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import WorkingCalendar
from services.seed.recording import VIETNAM, PaperLag

NOW = datetime(2026, 12, 7, 4, 30, tzinfo=UTC)


@settings(deadline=None)  # the first call builds the working calendar
@given(st.lists(st.integers(min_value=0, max_value=2000), min_size=1, max_size=60), st.integers(0, 2**32))
def test_papers_in_date_order_are_entered_after_their_date_in_order_and_never_after_now(
    offsets: list[int], seed: int
) -> None:
    clock = PaperLag(Random(seed), WorkingCalendar(), NOW)
    moments = []
    for offset in sorted(offsets):
        paper = date(2021, 1, 4) + timedelta(days=offset)
        clock.paper(paper)
        moment = clock()
        moments.append(moment)
        if moment < NOW:
            assert moment.astimezone(VIETNAM).date() > paper  # entered at least a working day later
    assert moments == sorted(moments) and len(set(moments)) == len(moments)
    assert all(m <= NOW + timedelta(seconds=1) for m in moments)


def test_a_paper_dated_today_is_entered_now() -> None:
    clock = PaperLag(Random(1), WorkingCalendar(), NOW)
    clock.paper(NOW.astimezone(VIETNAM).date())
    assert clock() == NOW
