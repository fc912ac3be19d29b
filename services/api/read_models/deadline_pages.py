"""Cursor pagination of the deadline board: each of its three lists, page by page, in the board's own order.

The board is sorted by urgency counted today (projections.queries.deadlines); a page holds up to `limit`
items of each list after the cursor's last key of that list. Keys are the sort keys, so an item that
appears or goes between two requests never shifts the rest (a keyset cursor, not an offset).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, TypeVar

from litestar.exceptions import ValidationException

from projections.queries import DeadlineBoard
from projections.queries.deadlines import Breach, OpenDeadline, StalePaper
from services.api.platform.params import unusable

T = TypeVar("T")
Key = list[Any]
LISTS: Final = ("open", "stale_papers", "breaches")


def _open_key(d: OpenDeadline) -> Key:
    return [d.working_days_left, d.due_on.isoformat(), d.unit_id, d.stream_id, d.clock]


def _paper_key(p: StalePaper) -> Key:
    return [p.days_left, p.unit_id, p.stream_id, p.rule_id]


def _breach_key(b: Breach) -> Key:
    return [-(b.met_on or b.due_on).toordinal(), b.unit_id, b.stream_id, b.clock]


@dataclass(frozen=True)
class DeadlinePage:
    """One page of the board; `next_cursor` is null on the last page."""

    position: int
    today: date
    open: tuple[OpenDeadline, ...]
    stale_papers: tuple[StalePaper, ...]
    breaches: tuple[Breach, ...]
    next_cursor: str | None


def _decode(cursor: str | None) -> dict[str, Key | None]:
    """Each list's last key so far; a list absent from the cursor is done. No cursor: the first page."""
    if cursor is None:
        return dict.fromkeys(LISTS)
    try:
        found = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if isinstance(found, dict) and set(found) <= set(LISTS) and all(isinstance(k, list) for k in found.values()):
            return dict(found)
    except (ValueError, binascii.Error, RecursionError):  # UnicodeDecodeError is a ValueError
        pass
    raise _bad_cursor()


def _bad_cursor() -> ValidationException:
    return unusable("cursor", "is not one this API gave")


def _after(items: Sequence[T], key: Callable[[T], Key], last: Key | None, limit: int) -> tuple[list[T], Key | None]:
    """Up to `limit` items after `last`; the new last key, or None when the list is done."""
    chosen = [item for item in items if last is None or key(item) > last][: limit + 1]
    page = chosen[:limit]
    return page, (key(page[-1]) if len(chosen) > limit else None)


def page_of(board: DeadlineBoard, cursor: str | None, limit: int) -> DeadlinePage:
    """The page of the board after `cursor`, at most `limit` items per list."""
    state = _decode(cursor)
    following: dict[str, Key | None] = {}
    pages: dict[str, list[Any]] = {}
    sources: dict[str, tuple[Sequence[Any], Callable[[Any], Key]]] = {
        "open": (board.open, _open_key),
        "stale_papers": (board.stale_papers, _paper_key),
        "breaches": (board.breaches, _breach_key),
    }
    for name, (items, key) in sources.items():
        if name not in state:
            pages[name] = []
            continue
        try:
            pages[name], last = _after(items, key, state[name], limit)
        except TypeError:  # a key of the wrong shape: not a cursor this API gave
            raise _bad_cursor() from None
        if last is not None:
            following[name] = last
    token = base64.urlsafe_b64encode(json.dumps(following).encode()).decode() if following else None
    return DeadlinePage(
        board.position,
        board.today,
        tuple(pages["open"]),
        tuple(pages["stale_papers"]),
        tuple(pages["breaches"]),
        token,
    )
