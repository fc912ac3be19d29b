"""The unit aggregate: decide (check the rules, return events) and evolve (apply them), nothing else.

A decision reads the whole `UnitTree` because R-UNIT-TREE spans units (a parent's kind, a cycle, the single
province). Append the events with the tree's log position as the expected version — all unit events in one
stream, or under one lock — or two concurrent moves could each pass and together make a cycle.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from domain.errors import InvalidCommand, RuleViolation
from domain.units.commands import (
    ChangeAdmissionDelegation,
    DissolveUnit,
    MergeUnit,
    MoveUnit,
    ReclassifyUnit,
    RegisterUnit,
    RenameUnit,
    SetTermTarget,
    SetYearlyPlan,
    SplitUnit,
    UnitCommand,
)
from domain.units.events import (
    AdmissionDelegationChanged,
    TermTargetSet,
    UnitEvent,
    UnitRegistered,
    UnitRenamed,
    YearlyPlanSet,
)
from domain.units.kinds import UnitKind
from domain.units.refusals import (
    check_delegation_allowed,
    check_parent_kind,
    clean_code,
    clean_id,
    clean_name,
    clean_reference,
    require_unit_on,
    validated,
)
from domain.units.reorganise import (
    decide_dissolve_unit,
    decide_merge_unit,
    decide_move_unit,
    decide_reclassify_unit,
    decide_split_unit,
)
from domain.units.state import Unit, UnitStatus, evolve
from domain.units.tree import UnitTree

__all__ = ["Unit", "UnitStatus", "decide", "evolve"]

TERM_PATTERN: Final = re.compile(r"(\d{4})-(\d{4})")
FIRST_YEAR: Final = 1930
LAST_YEAR: Final = 2200


def decide(command: UnitCommand, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """Route a command to its decision; `occurred_on` is the date of the decision on paper."""
    check_paper(command, occurred_on)
    match command:
        case RegisterUnit():
            return decide_register_unit(command, tree, occurred_on)
        case RenameUnit():
            return decide_rename_unit(command, tree, occurred_on)
        case ChangeAdmissionDelegation():
            return decide_change_admission_delegation(command, tree, occurred_on)
        case ReclassifyUnit():
            return decide_reclassify_unit(command, tree, occurred_on)
        case MoveUnit():
            return decide_move_unit(command, tree, occurred_on)
        case MergeUnit():
            return decide_merge_unit(command, tree, occurred_on)
        case SplitUnit():
            return decide_split_unit(command, tree, occurred_on)
        case DissolveUnit():
            return decide_dissolve_unit(command, tree, occurred_on)
        case SetTermTarget():
            return decide_set_term_target(command, tree, occurred_on)
        case SetYearlyPlan():
            return decide_set_yearly_plan(command, tree, occurred_on)
    raise TypeError(f"not a unit command: {command!r}")


def check_paper(command: UnitCommand, occurred_on: date) -> None:
    """A malformed paper is refused before anything else, so a decision that changes nothing cannot accept it."""
    effective_on: date | None = getattr(command, "effective_on", None)
    for field, day in (("occurred_on", occurred_on), ("effective_on", effective_on)):
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise InvalidCommand(
                field,
                f"must be a date between {FIRST_YEAR} and {LAST_YEAR}",
                f"phải là ngày trong khoảng năm {FIRST_YEAR} đến {LAST_YEAR}",
            )
    reference: str | None = getattr(command, "reference", None)
    if reference is not None:
        clean_reference(reference)


def decide_register_unit(command: RegisterUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-TREE: a new id and code; one province, with no parent; any other unit under an allowed one."""
    unit_id, code = clean_id(command.unit_id, "unit_id"), clean_code(command.code)
    if tree.knows(unit_id):
        raise RuleViolation(
            "R-UNIT-TREE", f"unit {unit_id} is already registered", f"tổ chức {unit_id} đã được đăng ký"
        )
    holder = tree.unit_with_code(code)
    if holder is not None:
        raise RuleViolation(
            "R-UNIT-TREE",
            f"code {code} is already used by unit {holder}",
            f"mã {code} đã được dùng cho tổ chức {holder}",
        )
    parent_id = clean_id(command.parent_id, "parent_id") if command.parent_id is not None else None
    if command.kind is UnitKind.PROVINCIAL_COMMITTEE:
        _check_province(tree, parent_id)
    else:
        _check_parent(tree, command.kind, parent_id, occurred_on)
    if command.admission_delegated:
        check_delegation_allowed(unit_id, command.kind)
    event = UnitRegistered(
        unit_id=unit_id,
        code=code,
        name=clean_name(command.name),
        kind=command.kind,
        parent_id=parent_id,
        admission_delegated=command.admission_delegated,
    )
    return validated(tree, (event,), occurred_on)


def _check_province(tree: UnitTree, parent_id: str | None) -> None:
    if parent_id is not None:
        raise RuleViolation(
            "R-UNIT-TREE",
            "the provincial committee has no parent unit",
            "đảng bộ tỉnh không có tổ chức cấp trên",
        )
    existing = next((u for u in tree.all_latest() if u.kind is UnitKind.PROVINCIAL_COMMITTEE), None)
    if existing is not None:
        raise RuleViolation(
            "R-UNIT-TREE",
            f"there is already a provincial committee ({existing.unit_id}); a ledger holds one province",
            f"đã có đảng bộ tỉnh ({existing.unit_id}); mỗi sổ chỉ có một đảng bộ tỉnh",
        )


def _check_parent(tree: UnitTree, kind: UnitKind, parent_id: str | None, on: date) -> None:
    if parent_id is None:
        raise RuleViolation(
            "R-UNIT-TREE",
            f"a {kind.value} must sit under a parent unit",
            f"{kind.label_vi} phải trực thuộc một tổ chức cấp trên",
        )
    check_parent_kind(kind, require_unit_on(tree, parent_id, on, field="parent_id"))


def decide_rename_unit(command: RenameUnit, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """A unit that exists on the date may be renamed; the same name again records nothing."""
    unit = require_unit_on(tree, command.unit_id, occurred_on)
    name = clean_name(command.name)
    if name == unit.name:
        return ()
    return (UnitRenamed(unit_id=unit.unit_id, name=name),)


def decide_change_admission_delegation(
    command: ChangeAdmissionDelegation, tree: UnitTree, occurred_on: date
) -> tuple[UnitEvent, ...]:
    """R-AUTH-ADMIT (a): the upper level delegates to, or withdraws from, a grassroots committee."""
    unit = require_unit_on(tree, command.unit_id, occurred_on)
    reference = clean_reference(command.reference)
    if command.admission_delegated == unit.admission_delegated:
        return ()
    if command.admission_delegated:
        check_delegation_allowed(unit.unit_id, unit.kind)
    return (
        AdmissionDelegationChanged(
            unit_id=unit.unit_id, admission_delegated=command.admission_delegated, reference=reference
        ),
    )


def decide_set_term_target(command: SetTermTarget, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """A target of the congress resolution for a term (§5), set on a unit that exists on the date."""
    unit = require_unit_on(tree, command.unit_id, occurred_on)
    _check_term(command.term)
    _check_count("target", command.target)
    return (
        TermTargetSet(
            unit_id=unit.unit_id,
            term=command.term,
            metric=command.metric,
            target=command.target,
            reference=clean_reference(command.reference),
        ),
    )


def decide_set_yearly_plan(command: SetYearlyPlan, tree: UnitTree, occurred_on: date) -> tuple[UnitEvent, ...]:
    """A yearly plan figure (§5), set on a unit that exists on the date."""
    unit = require_unit_on(tree, command.unit_id, occurred_on)
    if not FIRST_YEAR <= command.year <= LAST_YEAR:
        raise InvalidCommand(
            "year",
            f"the year must be between {FIRST_YEAR} and {LAST_YEAR}",
            f"năm phải từ {FIRST_YEAR} đến {LAST_YEAR}",
        )
    _check_count("planned", command.planned)
    return (YearlyPlanSet(unit_id=unit.unit_id, year=command.year, metric=command.metric, planned=command.planned),)


def _check_term(term: str) -> None:
    """A term is "YYYY-YYYY", one to five years long (congress terms are five; old cell terms shorter)."""
    match = TERM_PATTERN.fullmatch(term)
    if match is None or not (FIRST_YEAR <= int(match[1]) < int(match[2]) <= int(match[1]) + 5):
        raise InvalidCommand(
            "term",
            "a term is written YYYY-YYYY and lasts one to five years, e.g. 2020-2025",
            "nhiệm kỳ ghi dạng NNNN-NNNN, dài từ một đến năm năm, ví dụ 2020-2025",
        )


def _check_count(field: str, value: int) -> None:
    if value < 0:
        raise InvalidCommand(field, "must not be negative", "không được là số âm")
