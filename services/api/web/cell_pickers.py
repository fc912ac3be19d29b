"""The cells a file's page offers (issue 21): those of the file's own commune-level committee in the list, any
other found by its name or code ("Tìm", and when a posted form is read).

A province holds 25,000 cells; listing every one in every picker made the provincial administrator's file page
take seconds and megabytes, and a phone's list unreadable. Most moves stay within a commune, so its ~150 cells
are listed; the rest are a search away. A candidate's new cell is within the caller's walls (a cell outside
them is found exactly as one that does not exist: not at all); a member's transfer may go to any active cell
of the province (R-TRANSFER: the receiving unit records it), as the destination list always offered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from typing import Final
from weakref import WeakKeyDictionary

from domain.text import search_key
from domain.units.kinds import UnitKind
from domain.units.snapshot import TreeAsOf
from domain.units.state import Unit
from domain.units.tree import UnitTree
from services.commands.actors import Actor

from .forms import Finder, FormField, Option

FIND: Final = "find"
"""The form input the "Tìm" button posts: the name of the picker whose typed text is searched."""
SHOWN: Final = 30
"""Matches a search puts at the top of a picker's list: enough to choose among, few enough for a phone."""
KEPT_LISTS: Final = 256

_SORTED: WeakKeyDictionary[UnitTree, dict[tuple[object, ...], tuple[Option, ...]]] = WeakKeyDictionary()
"""Sorted lists per tree (immutable) and what else they depend on: a province's 25,000 cells were listed,
their names folded and sorted again for every person page (1.6 s of a member's file in the largest one)."""


def sorted_once(tree: UnitTree, key: tuple[object, ...], make: Callable[[], list[Option]]) -> tuple[Option, ...]:
    known = _SORTED.get(tree, {}).get(key)
    if known is None:
        known = tuple(sorted(make(), key=lambda o: o.key))
        kept = _SORTED.setdefault(tree, {})
        if len(kept) > KEPT_LISTS:  # a few communes' lists a day
            kept.clear()
        kept[key] = known
    return known


def commune_of(view: TreeAsOf, cell_id: str) -> str | None:
    """The commune-level committee above the cell (đảng bộ cấp trên trực tiếp của cơ sở; else its parent)."""
    if cell_id not in view:
        return None
    path = view.path(cell_id)
    upper = [uid for uid in path if view.require(uid).kind is UnitKind.UPPER_COMMITTEE]
    return upper[-1] if upper else path[-2] if len(path) > 1 else cell_id


def near_root(view: TreeAsOf, viewer: Actor, cell_id: str) -> str:
    """Where the caller's list of cells comes from: the file's commune-level committee, or the caller's own
    unit when it sits below that committee (the caller sees no further)."""
    commune = commune_of(view, cell_id)
    path = view.path(cell_id) if cell_id in view else ()
    if commune is None or viewer.unit_id not in path:
        return viewer.unit_id
    return max(commune, viewer.unit_id, key=path.index)


def _option(view: TreeAsOf, unit: Unit) -> Option:
    """A cell by name, code (as the pages show it) and the committee above it: two cells of two schools, or of
    two communes, may share a name."""
    parent = view.get(unit.parent_id) if unit.parent_id else None
    where = f" — {parent.name}" if parent else ""
    return Option(unit.unit_id, f"{unit.name} ({unit.code}){where}", unit.name)


def _cells_of(view: TreeAsOf, unit_ids: frozenset[str]) -> list[Option]:
    units = (view.get(uid) for uid in unit_ids)
    return [_option(view, u) for u in units if u is not None and u.kind.holds_members and u.is_active]


def near_cells(tree: UnitTree, root: str, on: date, leave_out: str = "") -> tuple[Option, ...]:
    """The active cells under `root` today, by name. The caller holds the walls: `root` is within them (a
    candidate's new cell), or is the commune a member's transfer may go to (any cell of the province may)."""
    view = tree.as_of(on)
    listed = sorted_once(tree, ("near", root, on), lambda: _cells_of(view, view.subtree(root)) if root in view else [])
    return tuple(o for o in listed if o.value != leave_out)


def every_cell(tree: UnitTree, on: date) -> tuple[Option, ...]:
    """Every active cell of the province, by name: made once per tree, on the first search."""
    view = tree.as_of(on)
    return sorted_once(tree, ("every", on), lambda: _cells_of(view, frozenset(view.units)))


def cell_finder(tree: UnitTree, on: date, within: str | None, leave_out: str = "") -> Finder:
    """The cells a typed name, code or label may mean: under `within` (the caller's unit: walls), or anywhere
    in the province (None: a member's destination). A cell outside `within` is never found, as one that does
    not exist."""
    view = tree.as_of(on)

    def find(text: str) -> tuple[Option, ...]:
        wanted = search_key(text)
        if not wanted:
            return ()
        found = (o for o in every_cell(tree, on) if o.value != leave_out and (wanted in o.key or o.value == text))
        return tuple(o for o in found if within is None or view.is_within(o.value, within))

    return find


def found_note(text: str, found: tuple[Option, ...]) -> str:
    """What a search found, in the officer's words (the list holds the first `SHOWN`)."""
    if not text:
        return "Hãy gõ vài chữ của tên hoặc mã chi bộ rồi bấm “Tìm”."
    if not found:
        return f"Không tìm thấy chi bộ nào khớp với “{text}”."
    if len(found) == 1:
        return f"Đã tìm thấy: {found[0].label}."
    if len(found) <= SHOWN:
        return f"Có {len(found)} chi bộ khớp với “{text}”: hãy chọn một trong danh sách của ô này."
    many = f"{len(found):,}".replace(",", ".")  # 1.250, as Vietnamese write it
    return (
        f"Có {many} chi bộ khớp với “{text}”; danh sách có {SHOWN} chi bộ đầu tiên: "
        "hãy gõ thêm chữ của tên hoặc mã chi bộ rồi bấm “Tìm”."
    )


def with_found(
    fields: list[FormField], typed: Mapping[str, str], searched: str
) -> tuple[list[FormField], dict[str, str]]:
    """A form shown again (after "Tìm", or refused): each searchable picker whose typed text is not one of its
    options lists that text's matches first; the one searched says what it found, and is filled in when a
    single cell matches. Returns the fields and the values to show."""
    values = dict(typed)
    shown = []
    for f in fields:
        text = typed.get(f.name, "").strip()
        if f.find is None or (f.name != searched and (not text or any(text == o.label for o in f.options))):
            shown.append(f)
            continue
        found = f.find(text) if text else ()
        first = found[:SHOWN]
        listed = {o.value for o in first}
        options = first + tuple(o for o in f.options if o.value not in listed)
        if f.name == searched:
            shown.append(dataclasses.replace(f, options=options, note=found_note(text, found)))
            if len(found) == 1:
                values[f.name] = found[0].label
        else:
            shown.append(dataclasses.replace(f, options=options))
    return shown, values
