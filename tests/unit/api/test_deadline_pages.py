"""The deadline board's cursor: the pages, concatenated, are the board, whatever the page size."""

from __future__ import annotations

import base64
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from litestar.exceptions import ValidationException

from projections.queries import DeadlineBoard
from projections.queries.deadlines import Breach, OpenDeadline, StalePaper
from services.api.read_models.deadline_pages import DeadlinePage, page_of

TODAY = date(2024, 6, 28)


def board(n_open: int, n_papers: int, n_breaches: int) -> DeadlineBoard:
    """A board sorted as the query sorts it (ties on days broken by the ids)."""
    running = sorted(
        (
            OpenDeadline(f"unit-{i % 3}", f"person-{i:032x}", None, "R-X", "clock", None, TODAY, 0, i % 4 - 1)
            for i in range(n_open)
        ),
        key=lambda d: (d.working_days_left, d.due_on, d.unit_id, d.stream_id, d.clock),
    )
    papers = sorted(
        (StalePaper("unit-1", f"person-{i:032x}", None, "R-P", None, TODAY, i % 5) for i in range(n_papers)),
        key=lambda p: (p.days_left, p.unit_id, p.stream_id, p.rule_id),
    )
    breaches = sorted(
        (
            Breach("unit-2", f"person-{i:032x}", None, "R-B", "clock", TODAY - timedelta(days=i % 3), None, 1)
            for i in range(n_breaches)
        ),
        key=lambda b: (-(b.met_on or b.due_on).toordinal(), b.unit_id, b.stream_id, b.clock),
    )
    return DeadlineBoard(7, TODAY, tuple(running), tuple(papers), tuple(breaches))


def all_pages(whole: DeadlineBoard, limit: int) -> list[DeadlinePage]:
    pages = [page_of(whole, None, limit)]
    while pages[-1].next_cursor is not None:
        pages.append(page_of(whole, pages[-1].next_cursor, limit))
    return pages


@given(st.integers(0, 12), st.integers(0, 12), st.integers(0, 12), st.integers(1, 5))
def test_the_pages_make_the_board_in_order(n_open: int, n_papers: int, n_breaches: int, limit: int) -> None:
    whole = board(n_open, n_papers, n_breaches)
    pages = all_pages(whole, limit)
    assert [d for p in pages for d in p.open] == list(whole.open)
    assert [s for p in pages for s in p.stale_papers] == list(whole.stale_papers)
    assert [b for p in pages for b in p.breaches] == list(whole.breaches)
    assert len(pages) == max(1, -(-max(n_open, n_papers, n_breaches) // limit))
    assert all(p.position == 7 for p in pages)


def test_an_item_gone_between_pages_shifts_nothing() -> None:
    first = page_of(board(6, 0, 0), None, 2)
    assert first.next_cursor is not None
    shrunk = board(6, 0, 0)
    gone = DeadlineBoard(7, TODAY, shrunk.open[1:], (), ())  # the first item met its deadline meanwhile
    assert page_of(gone, first.next_cursor, 2).open == board(6, 0, 0).open[2:4]


DEEP = base64.urlsafe_b64encode(b'{"open": ' + b"[" * 1400 + b"]" * 1400 + b"}").decode()


@pytest.mark.parametrize("cursor", ["%%%", "bm90LWpzb24", "eyJvcGVuIjogMX0=", "eyJvcGVuIjogWyJ4Il19", DEEP])
def test_a_cursor_this_api_did_not_give_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(ValidationException):
        page_of(board(3, 0, 0), cursor, 2)
