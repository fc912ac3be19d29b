"""Checks shared by the unit decisions, each refusing with the rule it enforces in English and Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Final

from domain.errors import InvalidCommand, RuleViolation
from domain.text import normalise_text
from domain.units.events import UnitEvent, effective_date
from domain.units.kinds import UnitKind
from domain.units.state import Unit
from domain.units.tree import UnitTree

CODE_PATTERN: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
NAME_MAX_LENGTH: Final = 200
REFERENCE_MAX_LENGTH: Final = 200
ID_MAX_LENGTH: Final = 64

ROLES: Final[dict[str, tuple[str, str]]] = {
    "unit_id": ("unit", "tổ chức"),
    "parent_id": ("parent unit", "tổ chức cấp trên"),
    "successor_id": ("successor unit", "tổ chức kế thừa"),
    "successor_ids": ("successor unit", "tổ chức kế thừa"),
    "files_successor_id": ("successor unit", "tổ chức kế thừa"),
}


def vi_date(on: date) -> str:
    return f"{on:%d/%m/%Y}"


def require_unit_on(tree: UnitTree, unit_id: str, on: date, *, field: str = "unit_id") -> Unit:
    """The unit on `on`; not registered yet: R-UNIT-TREE (a successor: R-UNIT-REORG); ceased: R-UNIT-REORG."""
    role_en, role_vi = ROLES[field]
    if not tree.knows(unit_id):
        raise InvalidCommand(field, f"unknown {role_en} {unit_id}", f"không tìm thấy {role_vi} {unit_id}")
    state = tree.state_on(unit_id, on)
    if state is None:
        registered_on = _registered_on(tree, unit_id)
        raise RuleViolation(
            "R-UNIT-REORG" if "successor" in field else "R-UNIT-TREE",
            f"{role_en} {unit_id} did not exist yet on {on} (registered on {registered_on})",
            f"{role_vi} {unit_id} chưa tồn tại vào ngày {vi_date(on)} (được đăng ký ngày {vi_date(registered_on)})",
            unit_id=unit_id,
        )
    if not state.is_active:
        assert state.ceased_on is not None
        raise RuleViolation(
            "R-UNIT-REORG",
            f"{role_en} {unit_id} {state.status.value} on {state.ceased_on}; it accepts nothing from then on",
            f"{role_vi} {unit_id} {state.status.label_vi} từ ngày {vi_date(state.ceased_on)}, "
            f"không nhận thêm thay đổi nào từ ngày đó",
            unit_id=unit_id,
            successor_id=state.files_successor_id,
        )
    return state


def _registered_on(tree: UnitTree, unit_id: str) -> date:
    latest = tree.latest(unit_id)
    assert latest is not None
    return latest.registered_on


def check_parent_kind(kind: UnitKind, parent: Unit) -> None:
    """R-UNIT-TREE: e.g. a cell sits under a grassroots committee or a sub-committee, never the reverse."""
    if parent.kind not in kind.allowed_parent_kinds:
        allowed = ", ".join(sorted(k.value for k in kind.allowed_parent_kinds)) or "none"
        raise RuleViolation(
            "R-UNIT-TREE",
            f"a {kind.value} cannot sit under a {parent.kind.value} ({parent.unit_id}); allowed parents: {allowed}",
            f"{kind.label_vi} không thể trực thuộc {parent.kind.label_vi.lower()} ({parent.unit_id})",
            kind=kind.value,
            parent_kind=parent.kind.value,
        )


def check_delegation_allowed(unit_id: str, kind: UnitKind) -> None:
    """R-AUTH-ADMIT (a): only a grassroots committee can hold delegated admission power."""
    if not kind.may_be_delegated_admission:
        raise RuleViolation(
            "R-AUTH-ADMIT",
            f"only a grassroots committee can be delegated the power to admit; {unit_id} is a {kind.value}",
            f"chỉ đảng ủy cơ sở mới được ủy quyền kết nạp đảng viên; {unit_id} là {kind.label_vi.lower()}",
            kind=kind.value,
        )


def refuse_province_change(unit: Unit) -> None:
    """R-UNIT-REORG: the province is the root of its own ledger; it is renamed, never moved or merged."""
    if unit.kind is UnitKind.PROVINCIAL_COMMITTEE:
        raise RuleViolation(
            "R-UNIT-REORG",
            "the provincial committee is the root of the ledger and is not moved, merged, split or dissolved",
            "đảng bộ tỉnh là gốc của sổ, không bị chuyển, hợp nhất, chia tách hay giải thể",
        )


def validated(tree: UnitTree, events: tuple[UnitEvent, ...], occurred_on: date) -> tuple[UnitEvent, ...]:
    """R-UNIT-TREE on every date from the change on, so a back-dated change cannot break a later tree."""
    if not events:
        return events
    candidate = tree
    for event in events:
        candidate = candidate.with_event(event, occurred_on)
    since = min(effective_date(event, occurred_on) for event in events)
    problem = candidate.first_problem({event.unit_id for event in events}, since)
    if problem is not None:
        raise RuleViolation(
            "R-UNIT-TREE",
            f"this change breaks the tree on {problem.on}: {problem.message_en}",
            f"thay đổi này làm sai cây tổ chức vào ngày {vi_date(problem.on)}: {problem.message_vi}",
            unit_id=problem.unit_id,
        )
    return events


def clean_id(value: str, field: str) -> str:
    cleaned = normalise_text(value, field=field, max_length=ID_MAX_LENGTH)
    if " " in cleaned:
        raise InvalidCommand(field, "must not contain spaces", "không được chứa dấu cách")
    return cleaned


def clean_ids(values: Iterable[str], field: str) -> tuple[str, ...]:
    return tuple(clean_id(value, field) for value in values)


def clean_code(value: str) -> str:
    code = value.strip()
    if not CODE_PATTERN.fullmatch(code):
        raise InvalidCommand(
            "code",
            "a unit code is 1 to 32 ASCII letters, digits, '.', '_' or '-', starting with a letter or digit",
            "mã tổ chức gồm 1 đến 32 chữ cái không dấu, chữ số, '.', '_' hoặc '-', bắt đầu bằng chữ hoặc số",
        )
    return code


def clean_name(value: str) -> str:
    return normalise_text(value, field="name", max_length=NAME_MAX_LENGTH)


def clean_reference(value: str) -> str:
    return normalise_text(value, field="reference", max_length=REFERENCE_MAX_LENGTH)
