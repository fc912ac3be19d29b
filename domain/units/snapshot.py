"""The unit tree as it stood on one date: lookups, breadcrumbs, subtrees and the checks of R-UNIT-TREE."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from domain.errors import InvalidCommand
from domain.units.kinds import UnitKind
from domain.units.layered import Layered
from domain.units.state import Unit

MAX_DEPTH = 16
"""Far deeper than any real tree (province → upper → grassroots → sub-committee → cell); a walk longer than
this has met a cycle."""


@dataclass(frozen=True)
class TreeProblem:
    """Why a tree breaks R-UNIT-TREE on a date, in both languages."""

    unit_id: str
    on: date
    message_en: str
    message_vi: str


def unit_problem(unit: Unit, lookup: Callable[[str], Unit | None], on: date) -> TreeProblem | None:
    """R-UNIT-TREE for one unit on a date: a live parent of an allowed kind, and no cycle through it."""
    if unit.kind is UnitKind.PROVINCIAL_COMMITTEE or unit.parent_id is None:
        return None
    parent = lookup(unit.parent_id)
    if parent is None:
        return TreeProblem(
            unit.unit_id,
            on,
            f"unit {unit.unit_id} would sit under {unit.parent_id}, which does not exist on {on}",
            f"tổ chức {unit.unit_id} sẽ trực thuộc {unit.parent_id}, nhưng tổ chức này không tồn tại "
            f"vào ngày {on:%d/%m/%Y}",
        )
    if parent.kind not in unit.kind.allowed_parent_kinds:
        return TreeProblem(
            unit.unit_id,
            on,
            f"a {unit.kind.value} cannot sit under a {parent.kind.value} ({parent.unit_id}) on {on}",
            f"{unit.kind.label_vi} không thể trực thuộc {parent.kind.label_vi.lower()} ({parent.unit_id}) "
            f"vào ngày {on:%d/%m/%Y}",
        )
    if _walk_reaches(unit.unit_id, parent, lookup):
        return TreeProblem(
            unit.unit_id,
            on,
            f"unit {unit.unit_id} would be its own ancestor on {on}",
            f"tổ chức {unit.unit_id} sẽ trực thuộc chính nó vào ngày {on:%d/%m/%Y}",
        )
    return None


def _walk_reaches(target: str, start: Unit, lookup: Callable[[str], Unit | None]) -> bool:
    current: Unit | None = start
    for _ in range(MAX_DEPTH):
        if current is None:
            return False
        if current.unit_id == target:
            return True
        current = lookup(current.parent_id) if current.parent_id is not None else None
    return True


class TreeAsOf:
    """The live units on one date with their children and root-first ancestor paths, computed once."""

    def __init__(self, on: date, units: Mapping[str, Unit]) -> None:
        self.on = on
        self._units: Layered[str, Unit] = Layered(units)
        children: dict[str, list[str]] = {}
        for unit in units.values():
            if unit.parent_id is not None and unit.parent_id in units:
                children.setdefault(unit.parent_id, []).append(unit.unit_id)
        self._children: Layered[str, tuple[str, ...]] = Layered(
            (parent, tuple(sorted(ids))) for parent, ids in children.items()
        )
        self._paths: dict[str, tuple[str, ...]] = {}
        self._subtrees: dict[str, frozenset[str]] = {}

    def with_new_unit(self, unit: Unit, on: date) -> TreeAsOf:
        """This tree on `on` with one unit more, one that no unit names as its parent (it was just registered):
        the other units' paths stay, and so their cache is shared (`path` answers only for its own units); the
        subtrees that grow are forgotten; units and children are `Layered`, shared too (no copy of the tree)."""
        grown = copy.copy(self)
        grown.on = on
        grown._units = self._units.set(unit.unit_id, unit)
        parent = unit.parent_id
        if parent is not None and parent in self._units:
            grown._children = self._children.set(parent, tuple(sorted((*self._children.get(parent, ()), unit.unit_id))))
        grown._subtrees = {k: v for k, v in self._subtrees.items() if parent not in v}
        return grown

    def seen_on(self, on: date) -> TreeAsOf:
        """The same tree answering for another date of the same interval (caches are shared)."""
        if on == self.on:
            return self
        view = copy.copy(self)
        view.on = on
        return view

    @property
    def units(self) -> Mapping[str, Unit]:
        return MappingProxyType(self._units)

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def require(self, unit_id: str) -> Unit:
        unit = self._units.get(unit_id)
        if unit is None:
            raise InvalidCommand(
                "unit_id",
                f"no unit {unit_id} on {self.on}",
                f"không có tổ chức đảng {unit_id} vào ngày {self.on:%d/%m/%Y}",
            )
        return unit

    def children(self, unit_id: str) -> tuple[str, ...]:
        return self._children.get(unit_id, ())

    def province(self) -> Unit | None:
        return next((u for u in self._units.values() if u.kind is UnitKind.PROVINCIAL_COMMITTEE), None)

    def path(self, unit_id: str) -> tuple[str, ...]:
        """Ids from the root down to and including the unit (cached; R-UNIT-TREE keeps it finite)."""
        cached = self._paths.get(unit_id)
        if cached is not None and unit_id in self._units:
            return cached
        parent = self.require(unit_id).parent_id
        prefix = self._parent_path(parent) if parent is not None and parent in self._units else ()
        path = (*prefix, unit_id)
        self._paths[unit_id] = path
        return path

    def _parent_path(self, parent_id: str) -> tuple[str, ...]:
        chain: list[str] = []
        current: str | None = parent_id
        while current is not None and current in self._units and current not in self._paths:
            chain.append(current)
            if len(chain) > MAX_DEPTH:
                raise ValueError(f"cycle in the unit tree through {parent_id} on {self.on}")
            current = self._units[current].parent_id
        prefix = self._paths.get(current, ()) if current is not None else ()
        for unit_id in reversed(chain):
            prefix = (*prefix, unit_id)
            self._paths[unit_id] = prefix
        return prefix

    def ancestors(self, unit_id: str) -> tuple[Unit, ...]:
        """Breadcrumbs: the units above this one, the root first, the unit itself excluded."""
        return tuple(self._units[ancestor] for ancestor in self.path(unit_id)[:-1])

    def is_within(self, unit_id: str, ancestor_id: str) -> bool:
        """I8 unit walls: is the unit the ancestor itself or below it? Unknown units are never within."""
        if unit_id not in self._units or ancestor_id not in self._units:
            return False
        return ancestor_id in self.path(unit_id)

    def subtree(self, unit_id: str) -> frozenset[str]:
        """The unit and every unit below it."""
        cached = self._subtrees.get(unit_id)
        if cached is not None:
            return cached
        self.require(unit_id)
        found = {unit_id}
        pending = [unit_id]
        while pending:
            for child in self.children(pending.pop()):
                if child not in found:
                    found.add(child)
                    pending.append(child)
        result = frozenset(found)
        self._subtrees[unit_id] = result
        return result

    def problems(self) -> tuple[TreeProblem, ...]:
        """Every break of R-UNIT-TREE in this tree (empty for any tree the decisions let through)."""
        found = [p for unit in self._units.values() if (p := unit_problem(unit, self.get, self.on)) is not None]
        provinces = [u.unit_id for u in self._units.values() if u.kind is UnitKind.PROVINCIAL_COMMITTEE]
        if len(provinces) > 1:
            found.append(
                TreeProblem(
                    provinces[1],
                    self.on,
                    f"more than one provincial committee on {self.on}: {sorted(provinces)}",
                    f"có nhiều hơn một đảng bộ tỉnh vào ngày {self.on:%d/%m/%Y}",
                )
            )
        return tuple(found)
