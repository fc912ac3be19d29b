"""Người dùng: the provincial administrator (and a committee officer, for their subtree) creates accounts,
assigns and ends roles, resets passwords, revokes sessions, and sees who holds what at a unit and who signed
in when. Every form calls the one use case in `services.commands.accounts`, behind the same walls as the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, TypeVar

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery
from litestar.response import Redirect, Template

from domain.accounts.holders import holds_on
from domain.accounts.roles import MANAGERS, may_grant
from domain.errors import DomainError, RuleViolation
from eventstore import WrongExpectedVersion
from services.commands import accounts as uc
from services.commands.account_log import load_accounts
from services.commands.actors import Actor, Role
from services.commands.walls import WallDenied, today
from services.ledger import Ledger

from .common import Viewer, page, unit_names
from .format import parse_day
from .session import PREFIX, Context

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
T = TypeVar("T")

OUTCOMES = {
    "success": "Đăng nhập thành công",
    "wrong_password": "Sai mật khẩu",
    "unknown_login": "Tên đăng nhập không tồn tại",
    "wrong_totp": "Sai mã xác thực",
    "locked": "Bị tạm khóa (nhập sai nhiều lần)",
    "no_role": "Không có vai trò",
    "password_reset": "Được cấp lại mật khẩu",
}


@dataclass(frozen=True)
class Problem:
    message: str


def _attempt(call: Callable[[], T]) -> T | Problem:
    """A refusal of the rules or of a form field comes back as the sentence the officer reads."""
    try:
        return call()
    except RuleViolation as exc:
        return Problem(f"{exc.message_vi} ({exc.rule_id})")
    except DomainError as exc:
        return Problem(exc.message_vi)
    except WrongExpectedVersion:
        return Problem("Danh sách người dùng vừa thay đổi; xin thực hiện lại.")
    except ValueError:
        return Problem("Ngày không hợp lệ; xin nhập theo dạng ngày/tháng/năm.")


def _units(ledger: Ledger, viewer: Actor) -> list[tuple[str, str]]:
    """The units of the caller's subtree today, as (id, name), for the pickers."""
    tree = ledger.tree()
    names = unit_names(tree)
    ids = tree.subtree(viewer.unit_id, today())
    return sorted(((u, names.get(u, u)) for u in ids), key=lambda pair: (pair[0] != viewer.unit_id, pair[1]))


def _roles(viewer: Actor) -> list[tuple[str, str]]:
    return [(str(r), r.label_vi) for r in Role if may_grant(str(viewer.role), str(r))]


def _users_page(ledger: Ledger, viewer: Actor, *, problem: str | None = None, values: dict[str, str] | None = None,
                status_code: int = 200) -> Template:  # fmt: skip
    users = uc.users_of(ledger, viewer)
    accounts, tree, now = load_accounts(ledger.store), ledger.tree(), today()
    roles = {
        u.user_id: [a for a in accounts.assignments_of(u.user_id) if holds_on(accounts, tree, a, now)] for u in users
    }
    return page(
        "users.html", viewer, status_code=status_code, users=users, roles=roles, names=unit_names(tree),
        units=_units(ledger, viewer), problem=problem, values=values or {}, role_labels=_role_labels(),
        manages=str(viewer.role) in MANAGERS,
    )  # fmt: skip


def _role_labels() -> dict[str, str]:
    return {str(r): r.label_vi for r in Role}


@get("/users", sync_to_thread=True)
def users_page(viewer: Viewer, ledger: Context) -> Template:
    """The accounts of the caller's subtree, and the form to create one."""
    return _users_page(ledger, viewer)


@post("/users", sync_to_thread=True, status_code=200)
def create_user(data: Form, viewer: Viewer, ledger: Context) -> Template:
    """A new account; its one-time password is shown on the next page, once."""
    made = _attempt(
        lambda: uc.create_user(
            ledger, ledger.credentials, viewer, login=data.get("login", ""), full_name=data.get("full_name", ""),
            contact=data.get("contact", ""), unit_id=data.get("unit_id", ""),
        )
    )  # fmt: skip
    if isinstance(made, Problem):
        return _users_page(ledger, viewer, problem=made.message, values=data, status_code=422)
    return _user_page(ledger, viewer, made.user_id, onetime=made.one_time_password)


def _user_page(ledger: Ledger, viewer: Actor, user_id: str, *, onetime: str | None = None,
               problem: str | None = None, notice: str | None = None, status_code: int = 200) -> Template:  # fmt: skip
    accounts, user = uc.visible_user(ledger, viewer, user_id)
    tree, now = ledger.tree(), today()
    assignments = sorted(accounts.assignments_of(user_id), key=lambda a: a.valid_from, reverse=True)
    held = {a.assignment_id for a in assignments if holds_on(accounts, tree, a, now)}
    attempts, _ = uc.sign_in_history(ledger, ledger.credentials, viewer, user_id)
    sessions = ledger.credentials.sessions_of(user_id, _now())
    return page(
        "user.html", viewer, status_code=status_code, user=user, assignments=assignments, held=held,
        names=unit_names(tree), units=_units(ledger, viewer), roles=_roles(viewer), role_labels=_role_labels(),
        attempts=attempts[:30], outcomes=OUTCOMES, sessions=sessions, onetime=onetime, problem=problem,
        notice=notice, manages=str(viewer.role) in MANAGERS, today=now, everyone=accounts.users,
    )  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


@get("/users/{user_id:str}", sync_to_thread=True)
def user_page(user_id: FromPath[str], viewer: Viewer, ledger: Context) -> Template:
    return _user_page(ledger, viewer, user_id)


def _day(data: dict[str, str], name: str) -> date | None:
    return parse_day(data.get(name, ""))


@post("/users/{user_id:str}/assign", sync_to_thread=True, status_code=303)
def assign(user_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context) -> Redirect | Template:
    def call() -> object:
        start = _day(data, "valid_from")
        if start is None:
            raise ValueError("no first day")
        return uc.assign_role(
            ledger, viewer, user_id=user_id, role=data.get("role", ""), unit_id=data.get("unit_id", ""),
            valid_from=start, valid_until=_day(data, "valid_until"), decision_ref=data.get("decision_ref", ""),
        )  # fmt: skip

    done = _attempt(call)
    if isinstance(done, Problem):
        return _user_page(ledger, viewer, user_id, problem=done.message, status_code=422)
    return Redirect(f"{PREFIX}/users/{user_id}?done=assigned", status_code=303)


@post("/users/{user_id:str}/assignments/{assignment_id:str}/end", sync_to_thread=True, status_code=303)
def end(
    user_id: FromPath[str], assignment_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    _, found = uc.assignment_in_reach(ledger, viewer, assignment_id)
    if found.user_id != user_id:
        raise WallDenied("another user's assignment")

    def call() -> object:
        last = _day(data, "last_day")
        if last is None:
            raise ValueError("no last day")
        return uc.end_assignment(ledger, ledger.credentials, viewer, assignment_id=assignment_id, last_day=last,
                                 reason=data.get("reason", ""))  # fmt: skip

    done = _attempt(call)
    if isinstance(done, Problem):
        return _user_page(ledger, viewer, user_id, problem=done.message, status_code=422)
    return Redirect(f"{PREFIX}/users/{user_id}?done=ended", status_code=303)


@post("/users/{user_id:str}/reset", sync_to_thread=True, status_code=200)
def reset(user_id: FromPath[str], viewer: Viewer, ledger: Context) -> Template:
    password = uc.reset_password(ledger, ledger.credentials, viewer, user_id=user_id)
    return _user_page(ledger, viewer, user_id, onetime=password)


@post("/users/{user_id:str}/revoke", sync_to_thread=True, status_code=200)
def revoke(user_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context) -> Template:
    count = uc.revoke_sessions(ledger, ledger.credentials, viewer, user_id=user_id,
                               session_id=data.get("session_id") or None)  # fmt: skip
    return _user_page(ledger, viewer, user_id, notice=f"Đã thu hồi {count} phiên làm việc.")


@post("/users/{user_id:str}/deactivate", sync_to_thread=True, status_code=200)
def deactivate(user_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context) -> Template:
    done = _attempt(lambda: uc.deactivate_user(ledger, ledger.credentials, viewer, user_id=user_id,
                                               reason=data.get("reason", "")))  # fmt: skip
    if isinstance(done, Problem):
        return _user_page(ledger, viewer, user_id, problem=done.message, status_code=422)
    return _user_page(ledger, viewer, user_id, notice="Đã khóa tài khoản; mọi phiên làm việc đã bị thu hồi.")


@get("/holders", sync_to_thread=True)
def holders_page(
    viewer: Viewer, ledger: Context, unit: FromQuery[str | None] = None, on: FromQuery[str | None] = None
) -> Template:
    """Who could act for a unit on a day (the unit picked from the caller's subtree)."""
    chosen = unit or viewer.unit_id
    day = _attempt(lambda: parse_day(on or "") or today())
    problem = day.message if isinstance(day, Problem) else None
    when = day if isinstance(day, date) else today()
    found = uc.holders_at(ledger, viewer, chosen, when)
    tree = ledger.tree()
    return page(
        "holders.html", viewer, holders=found, unit=chosen, on=when, names=unit_names(tree),
        units=_units(ledger, viewer), role_labels=_role_labels(), problem=problem,
    )  # fmt: skip


@get("/sign-ins", sync_to_thread=True)
def sign_ins_page(viewer: Viewer, ledger: Context) -> Template:
    attempts, users = uc.sign_in_history(ledger, ledger.credentials, viewer)
    everyone = load_accounts(ledger.store).users
    return page("sign_ins.html", viewer, attempts=attempts, users=users, everyone=everyone, outcomes=OUTCOMES)
