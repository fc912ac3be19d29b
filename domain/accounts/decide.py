"""Deciders for accounts: each checks the rules on the current state and returns the events to record.

Pure: ids and dates are passed in. The walls (whose subtree, which caller) are the use cases'; the rules about
the facts themselves (a unique login, a role no higher than the granter's, dates in order, a live unit) are here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.accounts.events import AssignmentEnded, RoleAssigned, UserCreated, UserDeactivated
from domain.accounts.roles import RANK, may_grant
from domain.accounts.state import Accounts, day_before, normal_login
from domain.errors import InvalidCommand, RuleViolation
from domain.units.tree import UnitTree

LOGIN: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
TEXT_MAX: Final = 200


@dataclass(frozen=True)
class CreateUser:
    user_id: str
    login: str
    full_name: str
    contact: str
    unit_id: str


@dataclass(frozen=True)
class AssignRole:
    assignment_id: str
    user_id: str
    role: str
    unit_id: str
    valid_from: date
    valid_until: date | None
    decision_ref: str
    assigned_by: str


@dataclass(frozen=True)
class EndAssignment:
    assignment_id: str
    last_day: date
    reason: str


@dataclass(frozen=True)
class DeactivateUser:
    user_id: str
    reason: str


def _text(field: str, value: str, label_vi: str, *, required: bool = True) -> str:
    cleaned = " ".join(value.split())
    if required and not cleaned:
        raise InvalidCommand(field, f"{field} is required", f"Cần nhập {label_vi}.")
    if len(cleaned) > TEXT_MAX:
        raise InvalidCommand(field, f"{field} is too long", f"{label_vi.capitalize()} dài quá {TEXT_MAX} ký tự.")
    return cleaned


def create_user(command: CreateUser, accounts: Accounts) -> list[UserCreated]:
    """R-ACCT-LOGIN: a login is unique in the province (case-insensitive), letters, digits, '.', '_' or '-'."""
    login = normal_login(command.login)
    if not LOGIN.match(login):
        raise InvalidCommand(
            "login",
            "a login is 3-64 letters a-z, digits, '.', '_' or '-', starting with a letter or digit",
            "Tên đăng nhập dài 3–64 ký tự, chỉ gồm chữ a–z không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang.",
        )
    if login in accounts.logins:
        raise RuleViolation("R-ACCT-LOGIN", "this login is taken", "Tên đăng nhập này đã có người dùng.")
    name = _text("full_name", command.full_name, "họ và tên")
    contact = _text("contact", command.contact, "thông tin liên hệ", required=False)
    return [UserCreated(command.user_id, login, name, contact, command.unit_id)]


def assign_role(command: AssignRole, accounts: Accounts, tree: UnitTree, granter_role: str) -> list[RoleAssigned]:
    """R-ACCT-GRANT (no role above the granter's), for an active user, at a unit live on the first day."""
    if command.role not in RANK:
        raise InvalidCommand("role", "unknown role", "Vai trò không hợp lệ.")
    if not may_grant(granter_role, command.role):
        raise RuleViolation(
            "R-ACCT-GRANT",
            "a role may not grant a role above its own",
            "Đồng chí không được giao vai trò cao hơn vai trò của mình.",
        )
    user = accounts.users.get(command.user_id)
    if user is None or user.deactivated_on is not None:
        raise InvalidCommand("user_id", "no such active user", "Không có người dùng này (hoặc tài khoản đã bị khóa).")
    if command.valid_until is not None and command.valid_until < command.valid_from:
        raise InvalidCommand("valid_until", "ends before it starts", "Ngày kết thúc trước ngày bắt đầu.")
    if tree.live_on(command.unit_id, command.valid_from) is None:
        raise RuleViolation(
            "R-ACCT-REORG",
            "the unit does not exist on the first day of the assignment",
            "Tổ chức đảng không còn (hoặc chưa có) vào ngày bắt đầu giao vai trò.",
        )
    decision = _text("decision_ref", command.decision_ref, "số quyết định")
    return [
        RoleAssigned(
            command.assignment_id,
            command.user_id,
            command.role,
            command.unit_id,
            command.valid_from,
            command.valid_until,
            decision,
            command.assigned_by,
        )
    ]


def end_assignment(command: EndAssignment, accounts: Accounts, granter_role: str) -> list[AssignmentEnded]:
    """An assignment ends on a date no earlier than the day before it began (that cancels it); the granter's
    rank must reach the role it ends (R-ACCT-GRANT). Ending it again later changes nothing."""
    assignment = accounts.assignments.get(command.assignment_id)
    if assignment is None:
        raise InvalidCommand("assignment_id", "no such assignment", "Không có phân công này.")
    if not may_grant(granter_role, assignment.role):
        raise RuleViolation(
            "R-ACCT-GRANT",
            "a role may not end a role above its own",
            "Đồng chí không được thôi giao vai trò cao hơn vai trò của mình.",
        )
    if command.last_day < day_before(assignment.valid_from):
        raise InvalidCommand("last_day", "ends before it starts", "Ngày thôi trước ngày bắt đầu giao vai trò.")
    last = assignment.last_day
    if last is not None and last <= command.last_day:
        return []
    reason = _text("reason", command.reason, "lý do")
    return [AssignmentEnded(assignment.assignment_id, assignment.user_id, assignment.unit_id, command.last_day, reason)]


def deactivate_user(command: DeactivateUser, accounts: Accounts) -> list[UserDeactivated]:
    user = accounts.users.get(command.user_id)
    if user is None:
        raise InvalidCommand("user_id", "no such user", "Không có người dùng này.")
    if user.deactivated_on is not None:
        return []
    return [UserDeactivated(user.user_id, user.unit_id, _text("reason", command.reason, "lý do"))]
