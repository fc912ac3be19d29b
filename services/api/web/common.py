"""What every page shares: the signed-in principal, the walls, breadcrumbs, freshness and one-snapshot reads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import MappingProxyType
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from litestar.di import NamedDependency
from litestar.response import Template

from domain.units.state import Unit
from domain.units.tree import UnitTree
from services.api.platform.freshness import answered
from services.commands.actors import Actor
from services.commands.walls import require_within, today
from services.ledger import Ledger
from services.reads import Lag, lag_of, read_snapshot, units_in_view

from .pages import Freshness

T = TypeVar("T")
Viewer = NamedDependency[Actor]
WAIT_SECONDS = 5.0


@dataclass(frozen=True)
class Crumb:
    unit_id: str
    name: str


def page(template: str, principal: Actor | None, status_code: int = 200, **context: Any) -> Template:
    return Template(template_name=template, context={"me": principal, **context}, status_code=status_code)


def visible_unit(tree: UnitTree, principal: Actor, unit_id: str, on: date | None = None) -> Unit:
    """The unit if it is in the caller's subtree; otherwise the same 'not found' as a unit that never was.

    A page reads the tree once (`ledger.tree()`) and hands it to everything it shows: each read is a round
    trip, and a reorganisation committed between two of them gave a page that disagreed with itself."""
    require_within(tree, principal, unit_id, on)
    unit = tree.state_on(unit_id, on or today())
    assert unit is not None
    return unit


def subtree(tree: UnitTree, principal: Actor, unit_id: str) -> list[str]:
    """The units a page about `unit_id` covers today, as the JSON API's read models do (`units_in_view`)."""
    visible_unit(tree, principal, unit_id)
    return units_in_view(tree, principal, unit_id)


_NAMES: WeakKeyDictionary[UnitTree, Mapping[str, str]] = WeakKeyDictionary()


def unit_names(tree: UnitTree) -> Mapping[str, str]:
    """Every unit's current name by id, for pages that name units other than the one shown: made once per tree
    (immutable), not twice per file page (a province's 30,000 units)."""
    known = _NAMES.get(tree)
    if known is None:
        known = _NAMES[tree] = MappingProxyType({u.unit_id: u.name for u in tree.all_latest()})
    return known


def places_below(tree: UnitTree, unit_id: str, unit_ids: Iterable[str]) -> dict[str, str]:
    """Each unit's name, and after it the name of the child of `unit_id` it lies under ("Chi bộ 4 · Đảng bộ
    phường Liên Nghĩa"): a city's deadline list names cells from 170 communes, many of them called "Chi bộ 4".
    A unit that is `unit_id` itself, one of its children, or no longer below it is named alone."""
    view = tree.as_of(today())
    names = unit_names(tree)
    places: dict[str, str] = {}
    for unit in set(unit_ids):
        name = names.get(unit, unit)
        path = view.path(unit) if unit in view else ()
        below = path[path.index(unit_id) + 1 :] if unit_id in path else ()
        places[unit] = f"{name} · {names.get(below[0], below[0])}" if len(below) > 1 else name
    return places


def breadcrumbs(tree: UnitTree, principal: Actor, unit_id: str) -> list[Crumb]:
    """From the caller's own unit down to this one; nothing above the caller's unit is named."""
    view = tree.as_of(today())
    path = list(view.path(unit_id)) if unit_id in view else [unit_id]
    start = path.index(principal.unit_id) if principal.unit_id in path else len(path) - 1
    crumbs = []
    for uid in path[start:]:
        unit = view.get(uid)
        crumbs.append(Crumb(uid, unit.name if unit else uid))
    return crumbs


def snapshot(
    ledger: Ledger,
    query: Callable[..., T],
    *args: Any,
    reader: Actor,
    units: Sequence[str],
    min_position: int = 0,
    **kwargs: Any,
) -> T:
    """The API's read path: one snapshot per answer about `units`, waiting (bounded) for `min_position`, as
    `reader`'s role may see it (no named person's ethnicity or religion for a role that may not read them)."""
    read = read_snapshot(ledger.engine, query, *args, reader=reader, **kwargs)
    content: T = answered(ledger, read, units, min_position, WAIT_SECONDS, reader=reader)[0]
    return content


def fresh_snapshot(
    ledger: Ledger,
    query: Callable[..., T],
    *args: Any,
    reader: Actor,
    units: Sequence[str],
    min_position: int = 0,
    **kwargs: Any,
) -> tuple[T, Freshness]:
    """`snapshot` and the page's `freshness` from the lag measured for it, not measured again: over the city's
    30,000 units each measure is ~25 ms of the dashboard."""
    read = read_snapshot(ledger.engine, query, *args, reader=reader, **kwargs)
    content, position, lag = answered(ledger, read, units, min_position, WAIT_SECONDS, reader=reader)
    return content, _freshness(ledger, position, lag)


def freshness(ledger: Ledger, position: int, units: Sequence[str]) -> Freshness:
    """Whether a page about `units` holds every event of theirs (`lag_of`), with the times officers read ("5
    phút trước"): when the newest event was recorded, or since when the page is missing events."""
    return _freshness(ledger, position, lag_of(ledger.engine, ledger.store, units, heads_of=ledger.heads))


def _freshness(ledger: Ledger, position: int, lag: Lag) -> Freshness:
    latest = ledger.store.read_all(after_position=max(lag.head - 1, 0), limit=1).events
    behind = None if lag.caught_up else (lag.behind_since or datetime.now(UTC))
    return Freshness(position, lag.head, latest[0].recorded_at if latest else None, behind, lag.caught_up)
