"""Decisions that change the shape of the tree from an effective date (R-UNIT-TREE, R-UNIT-REORG).

Every check is made on the tree as it stands on `effective_on`, then `validated` replays the change on every
later date, so a reorganisation entered after the fact cannot contradict one already recorded.
"""

from __future__ import annotations

from datetime import date

from domain.errors import InvalidCommand, RuleViolation
from domain.units.commands import DissolveUnit, MergeUnit, MoveUnit, ReclassifyUnit, SplitUnit
from domain.units.events import UnitDissolved, UnitEvent, UnitMerged, UnitMoved, UnitReclassified, UnitSplit
from domain.units.kinds import UnitKind
from domain.units.refusals import (
    check_parent_kind,
    clean_id,
    clean_ids,
    clean_reference,
    refuse_province_change,
    require_unit_on,
    validated,
    vi_date,
)
from domain.units.state import Unit
from domain.units.tree import UnitTree


def decide_reclassify_unit(command: ReclassifyUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-TREE: the new kind fits under the parent and over the children; delegation goes first."""
    on = command.effective_on
    unit = require_unit_on(tree, command.unit_id, on)
    refuse_province_change(unit)
    if command.kind is unit.kind:
        return ()
    if command.kind is UnitKind.PROVINCIAL_COMMITTEE:
        raise RuleViolation(
            "R-UNIT-TREE",
            "no unit can become the provincial committee",
            "không tổ chức nào trở thành đảng bộ tỉnh",
        )
    assert unit.parent_id is not None
    check_parent_kind(command.kind, require_unit_on(tree, unit.parent_id, on, field="parent_id"))
    snapshot = tree.as_of(on)
    for child_id in snapshot.children(unit.unit_id):
        check_parent_kind(snapshot.require(child_id).kind, _as_kind(unit, command.kind))
    if unit.admission_delegated and not command.kind.may_be_delegated_admission:
        raise RuleViolation(
            "R-AUTH-ADMIT",
            f"withdraw the admission delegation of {unit.unit_id} before it becomes a {command.kind.value}",
            f"phải thu hồi ủy quyền kết nạp của {unit.unit_id} trước khi chuyển thành {command.kind.label_vi.lower()}",
        )
    event = UnitReclassified(
        unit_id=unit.unit_id, kind=command.kind, effective_on=on, reference=clean_reference(command.reference)
    )
    return validated(tree, (event,), occurred_on)


def _as_kind(unit: Unit, kind: UnitKind) -> Unit:
    return Unit(unit.unit_id, unit.code, unit.name, kind, unit.parent_id, False, unit.registered_on)


def decide_move_unit(command: MoveUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-TREE / R-UNIT-REORG: a live parent of an allowed kind that is not the unit or below it."""
    on = command.effective_on
    unit = require_unit_on(tree, command.unit_id, on)
    refuse_province_change(unit)
    parent_id = clean_id(command.parent_id, "parent_id")
    if parent_id == unit.parent_id:
        return ()
    if parent_id in tree.subtree(unit.unit_id, on):
        raise RuleViolation(
            "R-UNIT-TREE",
            f"unit {unit.unit_id} cannot be moved under itself or a unit below it ({parent_id})",
            f"không thể chuyển tổ chức {unit.unit_id} về trực thuộc chính nó "
            f"hoặc tổ chức cấp dưới của nó ({parent_id})",
        )
    check_parent_kind(unit.kind, require_unit_on(tree, parent_id, on, field="parent_id"))
    event = UnitMoved(
        unit_id=unit.unit_id,
        parent_id=parent_id,
        effective_on=on,
        reference=clean_reference(command.reference),
    )
    return validated(tree, (event,), occurred_on)


def decide_merge_unit(command: MergeUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-REORG: merged into a live unit of a compatible kind, once the units under it have moved."""
    on = command.effective_on
    unit = _ceasing_unit(tree, command.unit_id, on)
    successor = _successor(tree, unit, command.successor_id, on, "successor_id")
    event = UnitMerged(
        unit_id=unit.unit_id,
        successor_id=successor.unit_id,
        effective_on=on,
        reference=clean_reference(command.reference),
    )
    return validated(tree, (event,), occurred_on)


def decide_split_unit(command: SplitUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-REORG: split into two or more live successors, one of which takes the open files."""
    on = command.effective_on
    unit = _ceasing_unit(tree, command.unit_id, on)
    successor_ids = clean_ids(command.successor_ids, "successor_ids")
    files_to = clean_id(command.files_successor_id, "files_successor_id")
    if len(set(successor_ids)) < 2 or len(set(successor_ids)) != len(successor_ids):
        raise InvalidCommand(
            "successor_ids",
            "a split names at least two different successor units",
            "chia tách phải nêu ít nhất hai tổ chức kế thừa khác nhau",
        )
    if files_to not in successor_ids:
        raise InvalidCommand(
            "files_successor_id",
            "the unit taking the open files must be one of the successors",
            "tổ chức nhận hồ sơ đang xử lý phải là một trong các tổ chức kế thừa",
        )
    for successor_id in successor_ids:
        _successor(tree, unit, successor_id, on, "successor_ids")
    event = UnitSplit(
        unit_id=unit.unit_id,
        successor_ids=successor_ids,
        files_successor_id=files_to,
        effective_on=on,
        reference=clean_reference(command.reference),
    )
    return validated(tree, (event,), occurred_on)


def decide_dissolve_unit(command: DissolveUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-REORG: dissolved, naming the live unit of a compatible kind that takes members and files."""
    on = command.effective_on
    unit = _ceasing_unit(tree, command.unit_id, on)
    successor = _successor(tree, unit, command.successor_id, on, "successor_id")
    event = UnitDissolved(
        unit_id=unit.unit_id,
        successor_id=successor.unit_id,
        effective_on=on,
        reference=clean_reference(command.reference),
    )
    return validated(tree, (event,), occurred_on)


def _ceasing_unit(tree: UnitTree, unit_id: str, on: date) -> Unit:
    """A unit that may cease on `on`: it exists, is not the province, and has no units left under it."""
    unit = require_unit_on(tree, unit_id, on)
    refuse_province_change(unit)
    children = tree.as_of(on).children(unit.unit_id)
    if children:
        raise RuleViolation(
            "R-UNIT-REORG",
            f"move or reorganise the units under {unit.unit_id} first: {', '.join(children)}",
            f"phải chuyển hoặc sắp xếp trước các tổ chức trực thuộc {unit.unit_id}: {', '.join(children)}",
            children=children,
        )
    return unit


def _successor(tree: UnitTree, unit: Unit, successor_id: str, on: date, field: str) -> Unit:
    """R-UNIT-REORG: another unit, existing on `on`, of a kind that can take the members and open files."""
    successor_id = clean_id(successor_id, field)
    if successor_id == unit.unit_id:
        raise RuleViolation(
            "R-UNIT-REORG",
            f"unit {unit.unit_id} cannot be its own successor",
            f"tổ chức {unit.unit_id} không thể tự kế thừa chính nó",
        )
    successor = require_unit_on(tree, successor_id, on, field=field)
    if successor.kind not in unit.kind.successor_kinds:
        raise RuleViolation(
            "R-UNIT-REORG",
            f"a {successor.kind.value} ({successor_id}) cannot take over a {unit.kind.value} on {on}",
            f"{successor.kind.label_vi.lower()} ({successor_id}) không thể kế thừa "
            f"{unit.kind.label_vi.lower()} vào ngày {vi_date(on)}",
            kind=unit.kind.value,
            successor_kind=successor.kind.value,
        )
    return successor
