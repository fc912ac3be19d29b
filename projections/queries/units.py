"""Which units' rows a roll-up reads: the subtree on a date, plus the units reorganised into it (R-UNIT-REORG)."""

from __future__ import annotations

from datetime import date

from domain.errors import InvalidCommand
from domain.units.tree import UnitTree


def subtree_units(tree: UnitTree, unit_id: str, on: date) -> list[str]:
    """The unit first, then every unit below it on `on`, then every unit that had ceased by `on` and whose
    files went (directly or through further reorganisations) to one of them: their rows keep the history of
    the people and years they held, so the successor's roll-up must read them too."""
    live = tree.subtree(unit_id, on)
    merged = set()
    for unit in tree.all_latest():
        if unit.unit_id in live:
            continue
        then = tree.state_on(unit.unit_id, on)
        if then is None or then.is_active:
            continue
        try:
            successor = tree.successor_of(unit.unit_id, on)
        except (InvalidCommand, ValueError):
            continue  # a successor not (yet) on record: nothing of this unit flows into the roll-up
        if successor in live:
            merged.add(unit.unit_id)
    return [unit_id, *sorted(live - {unit_id}), *sorted(merged)]
