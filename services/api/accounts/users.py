"""User management under `/users`: create, assign and end roles, reset a password, revoke sessions, deactivate,
who holds what at a unit, and who signed in when. Every operation goes through the walls of
`services.commands.accounts` (a user, a unit or an assignment outside the caller's subtree answers 404)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

import msgspec
from litestar import Controller, get, post
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body, PathParameter, QueryParameter
from litestar.types import BeforeRequestHookHandler

from domain.accounts.roles import RANK
from services.api.platform.params import Caller, Context, UnitIdPath
from services.api.platform.responses import READ_PROBLEMS, WRITE_PROBLEMS
from services.api.platform.security import SECURITY, authenticate
from services.commands import accounts as uc
from services.commands.account_log import load_accounts
from services.commands.walls import WallDenied

from .shapes import AssignmentRead, HoldingRead, SignInRecord, UserRead

UserIdPath = Annotated[
    str,
    PathParameter(
        max_length=80,
        description="A user's id",
        examples=[Example(summary="A user", value="user-6f1c2a9e-4b7d-4f3a-9c2e-1d0b8a7f6e5d")],
    ),
]
AssignmentIdPath = Annotated[
    str,
    PathParameter(
        max_length=80,
        description="An assignment's id",
        examples=[Example(summary="An assignment", value="asg-0b6a3f7e-2c1d-4e5f-8a9b-7c6d5e4f3a2b")],
    ),
]
On = Annotated[
    date | None,
    QueryParameter(
        description="The day asked about (default today); the walls are today's tree whatever the day",
        examples=[Example(summary="A day", value="2021-12-03")],
    ),
]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
RoleName = Annotated[str, msgspec.Meta(pattern="^(" + "|".join(sorted(RANK)) + ")$", description="A role")]

USER_EXAMPLE: Final[dict[str, Any]] = {
    "user_id": "user-6f1c2a9e-4b7d-4f3a-9c2e-1d0b8a7f6e5d",
    "login": "bithu.chibo1",
    "full_name": "Nguyễn Văn An",
    "contact": "0912 345 678",
    "unit_id": "unit-school-cell-1",
    "active": True,
    "assignments": [],
}


class CreateUserBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    login: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$")]
    full_name: Text
    unit_id: Annotated[str, msgspec.Meta(min_length=1, max_length=80, description="The unit managing the account")]
    contact: Annotated[str, msgspec.Meta(max_length=200)] = ""


class AssignBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    role: RoleName
    unit_id: Annotated[str, msgspec.Meta(min_length=1, max_length=80)]
    valid_from: date
    decision_ref: Text
    valid_until: date | None = None


class EndBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    last_day: date
    reason: Text


class ReasonBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Text


class ResetBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(max_length=200)] = ""


class RevokeBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    session_id: Annotated[str, msgspec.Meta(min_length=1, max_length=80)] | None = None


class NewUserRead(msgspec.Struct, frozen=True):
    """The account and its one-time password, shown this once: the user changes it at the first sign-in."""

    user_id: str
    login: str
    one_time_password: str
    stream_version: int


class AssignedRead(msgspec.Struct, frozen=True):
    assignment_id: str
    stream_version: int


class PasswordRead(msgspec.Struct, frozen=True):
    one_time_password: str


class RevokedRead(msgspec.Struct, frozen=True):
    revoked: int


def _body(value: dict[str, Any]) -> Any:
    return Body(media_type=RequestEncodingType.JSON, examples=[Example(summary="A well-formed request", value=value)])


def _answer(kind: type[Any], description: str, value: Any) -> dict[int, ResponseSpec]:
    spec = ResponseSpec(
        data_container=kind,
        generate_examples=False,
        description=description,
        examples=[Example(summary="An answer", value=value)],
    )
    return {200: spec, 201: spec}


def _write(kind: type[Any], description: str, value: Any, status: int = 201) -> dict[int, ResponseSpec]:
    return {**WRITE_PROBLEMS, status: _answer(kind, description, value)[status]}


def _read(kind: type[Any], description: str, value: Any) -> dict[int, ResponseSpec]:
    return {**READ_PROBLEMS, 200: _answer(kind, description, value)[200]}


ASSIGNMENT: Final = {
    "assignment_id": "asg-0b6a3f7e-2c1d-4e5f-8a9b-7c6d5e4f3a2b",
    "user_id": USER_EXAMPLE["user_id"],
    "role": "cell_secretary",
    "unit_id": "unit-school-cell-1",
    "valid_from": "2025-10-01",
    "valid_until": None,
    "last_day": None,
    "decision_ref": "Quyết định số 12-QĐ/ĐU ngày 30/9/2025",
    "assigned_by": "user-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "end_reason": "",
}


class UsersController(Controller):
    path = "/users"
    tags = ["accounts"]  # noqa: RUF012
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @get(
        "/",
        operation_id="listUsers",
        sync_to_thread=True,
        responses=_read(list[UserRead], "The accounts of the caller's subtree", [USER_EXAMPLE]),
    )
    def users(self, ledger: Context, principal: Caller) -> list[UserRead]:
        """Every account managed in the caller's subtree, with its assignments."""
        accounts = load_accounts(ledger.store)
        return [UserRead.of(u, accounts.assignments_of(u.user_id)) for u in uc.users_of(ledger, principal)]

    @post(
        "/new",
        operation_id="createUser",
        summary="Tạo tài khoản",
        sync_to_thread=True,
        responses=_write(
            NewUserRead,
            "Created, with the one-time password",
            {
                "user_id": USER_EXAMPLE["user_id"],
                "login": "bithu.chibo1",
                "one_time_password": "Xk7pQ2mN9aR4tW",
                "stream_version": 3,
            },
        ),
    )
    def create(
        self,
        ledger: Context,
        principal: Caller,
        data: Annotated[
            CreateUserBody,
            _body({"login": "bithu.chibo1", "full_name": "Nguyễn Văn An", "unit_id": "unit-school-cell-1"}),
        ],
    ) -> NewUserRead:
        """An account managed at a unit of the caller's subtree (R-ACCT-LOGIN: the login is unique), with a
        one-time password shown once. A retry answers 422 R-ACCT-LOGIN: nothing is created twice."""
        made = uc.create_user(
            ledger,
            ledger.credentials,
            principal,
            login=data.login,
            full_name=data.full_name,
            contact=data.contact,
            unit_id=data.unit_id,
        )
        return NewUserRead(made.user_id, made.login, made.one_time_password, made.recorded.stream_version)

    @get(
        "/at/{unit_id:str}",
        operation_id="listHolders",
        sync_to_thread=True,
        responses=_read(
            list[HoldingRead],
            "Who could act for the unit on the day",
            [
                {
                    "user_id": USER_EXAMPLE["user_id"],
                    "login": "bithu.chibo1",
                    "full_name": "Nguyễn Văn An",
                    "direct": True,
                    "assignment": ASSIGNMENT,
                }
            ],
        ),
    )
    def holders(self, ledger: Context, principal: Caller, unit_id: UnitIdPath, on: On = None) -> list[HoldingRead]:
        """Who could act for a unit on a day: its own assignments first, then those at units above it. An
        assignment ends on its date, with its user, or when its unit is dissolved or merged (R-ACCT-REORG)."""
        return [HoldingRead.of(h) for h in uc.holders_at(ledger, principal, unit_id, on)]

    @get(
        "/sign-ins",
        operation_id="listSignIns",
        sync_to_thread=True,
        responses=_read(
            list[SignInRecord],
            "The latest sign-ins of the caller's subtree",
            [
                {
                    "at": "2026-01-05T01:02:03Z",
                    "user_id": USER_EXAMPLE["user_id"],
                    "login": "bithu.chibo1",
                    "client": "203.0.113.7",
                    "outcome": "success",
                }
            ],
        ),
    )
    def sign_ins(self, ledger: Context, principal: Caller) -> list[SignInRecord]:
        """Who signed in when, and who failed (newest first): the accounts of the caller's subtree."""
        return _history(ledger, principal, None)

    @get(
        "/{user_id:str}",
        operation_id="getUser",
        sync_to_thread=True,
        responses=_read(UserRead, "The account and every assignment it had", USER_EXAMPLE),
    )
    def user(self, ledger: Context, principal: Caller, user_id: UserIdPath) -> UserRead:
        """One account of the caller's subtree, with every assignment, past and present."""
        accounts, user = uc.visible_user(ledger, principal, user_id)
        return UserRead.of(user, accounts.assignments_of(user_id))

    @get(
        "/{user_id:str}/sign-ins",
        operation_id="listUserSignIns",
        sync_to_thread=True,
        responses=_read(
            list[SignInRecord],
            "The account's latest sign-ins",
            [
                {
                    "at": "2026-01-05T01:02:03Z",
                    "user_id": USER_EXAMPLE["user_id"],
                    "login": "bithu.chibo1",
                    "client": "203.0.113.7",
                    "outcome": "wrong_password",
                }
            ],
        ),
    )
    def user_sign_ins(self, ledger: Context, principal: Caller, user_id: UserIdPath) -> list[SignInRecord]:
        """The account's sign-ins and failed attempts, newest first."""
        return _history(ledger, principal, user_id)

    @post(
        "/{user_id:str}/assignments",
        operation_id="assignRole",
        summary="Giao vai trò",
        sync_to_thread=True,
        responses=_write(AssignedRead, "Assigned", {"assignment_id": ASSIGNMENT["assignment_id"], "stream_version": 4}),
    )
    def assign(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserIdPath,
        data: Annotated[
            AssignBody,
            _body(
                {
                    "role": "cell_secretary",
                    "unit_id": "unit-school-cell-1",
                    "valid_from": "2025-10-01",
                    "decision_ref": "Quyết định số 12-QĐ/ĐU ngày 30/9/2025",
                }
            ),
        ],
    ) -> AssignedRead:
        """A role at a unit of the caller's subtree from a day (to a day, or until ended), by a decision.
        R-ACCT-GRANT: never a role above the caller's own; administrators and auditors only by an administrator."""
        assignment_id, recorded = uc.assign_role(
            ledger,
            principal,
            user_id=user_id,
            role=data.role,
            unit_id=data.unit_id,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            decision_ref=data.decision_ref,
        )
        return AssignedRead(assignment_id, recorded.stream_version)

    @post(
        "/{user_id:str}/assignments/{assignment_id:str}/end",
        operation_id="endAssignment",
        summary="Thôi giao vai trò",
        sync_to_thread=True,
        responses=_write(AssignmentRead, "The assignment as it now stands", ASSIGNMENT),
    )
    def end(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserIdPath,
        assignment_id: AssignmentIdPath,
        data: Annotated[EndBody, _body({"last_day": "2026-06-30", "reason": "Hết nhiệm kỳ"})],
    ) -> AssignmentRead:
        """The assignment holds to `last_day` and no further; sessions acting in it lose their refresh once that
        day is past."""
        _, found = uc.assignment_in_reach(ledger, principal, assignment_id)
        if found.user_id != user_id:
            raise WallDenied("the assignment is another user's")
        uc.end_assignment(
            ledger,
            ledger.credentials,
            principal,
            assignment_id=assignment_id,
            last_day=data.last_day,
            reason=data.reason,
        )
        return AssignmentRead.of(load_accounts(ledger.store).assignments[assignment_id])

    @post(
        "/{user_id:str}/password-reset",
        operation_id="resetPassword",
        summary="Cấp lại mật khẩu",
        sync_to_thread=True,
        responses=_write(PasswordRead, "A new one-time password", {"one_time_password": "Xk7pQ2mN9aR4tW"}),
    )
    def reset(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserIdPath,
        data: Annotated[ResetBody, _body({"reason": "Đồng chí báo quên mật khẩu"})],
    ) -> PasswordRead:
        """A new one-time password, changed at the next sign-in; every session of the account is revoked."""
        return PasswordRead(uc.reset_password(ledger, ledger.credentials, principal, user_id=user_id))

    @post(
        "/{user_id:str}/sessions/revoke",
        operation_id="revokeSessions",
        summary="Thu hồi phiên",
        sync_to_thread=True,
        responses=_write(RevokedRead, "How many sessions were revoked", {"revoked": 2}),
    )
    def revoke(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserIdPath,
        data: Annotated[RevokeBody, _body({"session_id": "ses-3kT0q9Zb1Xo"})],
    ) -> RevokedRead:
        """Revoke one session (`session_id`) or all of the account's: no refresh from now on."""
        count = uc.revoke_sessions(ledger, ledger.credentials, principal, user_id=user_id, session_id=data.session_id)
        return RevokedRead(count)

    @post(
        "/{user_id:str}/deactivate",
        operation_id="deactivateUser",
        summary="Khóa tài khoản",
        sync_to_thread=True,
        responses=_write(UserRead, "The account, deactivated", USER_EXAMPLE),
    )
    def deactivate(
        self,
        ledger: Context,
        principal: Caller,
        user_id: UserIdPath,
        data: Annotated[ReasonBody, _body({"reason": "Chuyển công tác"})],
    ) -> UserRead:
        """The account acts no more from today: every assignment stops holding, every session is revoked."""
        uc.deactivate_user(ledger, ledger.credentials, principal, user_id=user_id, reason=data.reason)
        accounts = load_accounts(ledger.store)
        return UserRead.of(accounts.users[user_id], accounts.assignments_of(user_id))


def _history(ledger: Any, principal: Any, user_id: str | None) -> list[SignInRecord]:
    attempts, users = uc.sign_in_history(ledger, ledger.credentials, principal, user_id)
    return [
        SignInRecord(a.at, a.user_id, users[a.user_id].login if a.user_id in users else None, a.client, a.outcome)
        for a in attempts
    ]
