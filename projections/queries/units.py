"""Which units' rows a roll-up reads: the subtree on a date, plus the units reorganised into it (R-UNIT-REORG)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from threading import Lock
from weakref import WeakKeyDictionary

from domain.errors import InvalidCommand
from domain.units.tree import UnitTree

_CEASED: WeakKeyDictionary[UnitTree, dict[date, tuple[tuple[str, str], ...]]] = WeakKeyDictionary()
_CEASED_LOCK = Lock()
_SUBTREES: WeakKeyDictionary[UnitTree, dict[tuple[date, str], tuple[str, ...]]] = WeakKeyDictionary()
_SUBTREES_LOCK = Lock()


def subtree_units(tree: UnitTree, unit_id: str, on: date) -> list[str]:
    """The unit first, then every unit below it on `on`, then every unit that had ceased by `on` and whose
    files went (directly or through further reorganisations) to one of them: their rows keep the history of
    the people and years they held, so the successor's roll-up must read them too.

    Remembered per tree (a tree never changes: a new event makes a new one), date and unit: the city's
    dashboard asks for its 30,000 units two or three times a page, and sorting them was a tenth of it."""
    with _SUBTREES_LOCK:
        known = _SUBTREES.get(tree, {}).get((on, unit_id))
    if known is None:
        known = tuple(_with_merged(tree, unit_id, on, _ceased(tree, on)))
        with _SUBTREES_LOCK:
            kept = _SUBTREES.setdefault(tree, {})
            if len(kept) >= 256:  # a few units and dates per tree are asked for again and again
                kept.clear()
            kept[on, unit_id] = known
    return list(known)


def subtrees_units(tree: UnitTree, unit_ids: Sequence[str], on: date) -> dict[str, list[str]]:
    """`subtree_units` of each unit (a dashboard's children), the ceased units looked up once for all."""
    ceased = _ceased(tree, on)
    return {unit_id: _with_merged(tree, unit_id, on, ceased) for unit_id in unit_ids}


def _with_merged(tree: UnitTree, unit_id: str, on: date, ceased: tuple[tuple[str, str], ...]) -> list[str]:
    live = tree.subtree(unit_id, on)
    merged = {ceased_id for ceased_id, successor in ceased if successor in live and ceased_id not in live}
    return [unit_id, *sorted(live - {unit_id}), *sorted(merged)]


def remember_ceased(tree: UnitTree, on: date) -> int:
    """Look up the units ceased by `on` now (a server process as it starts, for today): the first roll-up
    otherwise walked every unit of the city's tree while its officer waited. Answers how many."""
    return len(_ceased(tree, on))


def _ceased(tree: UnitTree, on: date) -> tuple[tuple[str, str], ...]:
    """(unit, its successor on `on`) for every unit that had ceased by `on`: once per tree and date, not once
    per roll-up (the city's 30,000 units were each looked up again for each of a dashboard's 170 children)."""
    with _CEASED_LOCK:
        known = _CEASED.get(tree, {}).get(on)
    if known is not None:
        return known
    found = []
    for unit in tree.all_latest():
        then = tree.state_on(unit.unit_id, on)
        if then is None or then.is_active:
            continue
        try:
            found.append((unit.unit_id, tree.successor_of(unit.unit_id, on)))
        except (InvalidCommand, ValueError):
            continue  # a successor not (yet) on record: nothing of this unit flows into the roll-up
    answer = tuple(found)
    with _CEASED_LOCK:
        dates = _CEASED.setdefault(tree, {})
        if len(dates) > 8:  # a few dates per tree (today, the 31/12 of past years asked for)
            dates.clear()
        dates[on] = answer
    return answer
