"""What the account routes answer, and how a refused sign-in becomes RFC 9457 problem details."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

import msgspec
from litestar.plugins.problem_details import ProblemDetailsException

from domain.accounts.holders import Holding
from domain.accounts.state import Account, Assignment
from services.api.platform.problems import PROBLEM_BASE
from services.commands.sign_in import SignInRefused, Tokens

STATUS: Final = {
    "bad-credentials": 401,
    "totp-required": 401,
    "password-change-required": 403,
    "no-role": 403,
    "weak-password": 422,
    "totp-not-offered": 404,
    "locked": 429,
    "throttled": 429,
}
TITLES: Final = {
    "bad-credentials": "Wrong login or password",
    "totp-required": "A valid one-time code (TOTP) is required",
    "password-change-required": "First sign-in: send `new_password` to set your own password",
    "no-role": "The account holds no role today",
    "weak-password": "The new password is refused",
    "totp-not-offered": "Two-factor sign-in is for administrators and auditors",
    "locked": "The account is locked for a while after repeated wrong passwords",
    "throttled": "Too many failed sign-ins from this address",
}


def refused(exc: SignInRefused) -> ProblemDetailsException:
    """The same body for a wrong password and an unknown login; `Retry-After` for a lockout or a throttle."""
    headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
    return ProblemDetailsException(
        type_=PROBLEM_BASE + exc.kind,
        title=TITLES[exc.kind],
        status_code=STATUS[exc.kind],
        detail=TITLES[exc.kind],
        headers=headers,
        extra={"message_vi": exc.message_vi},
    )


def session_ended() -> ProblemDetailsException:
    return ProblemDetailsException(
        type_=PROBLEM_BASE + "session-ended",
        title="The session is over: sign in again",
        status_code=401,
        detail="The refresh token is unknown, spent, revoked or expired, or the account or its role no longer holds",
        extra={"message_vi": "Phiên làm việc đã kết thúc. Xin đăng nhập lại."},
    )


class TokensRead(msgspec.Struct, frozen=True):
    """An access token for `Authorization: Bearer` (minutes) and the refresh token that renews it."""

    access_token: str
    refresh_token: str
    token_type: str
    expires_in: int
    session_id: str
    user_id: str
    role: str
    unit_id: str

    @classmethod
    def of(cls, tokens: Tokens) -> TokensRead:
        actor = tokens.actor
        return cls(
            tokens.access_token,
            tokens.refresh_token,
            "Bearer",
            tokens.expires_in,
            tokens.session_id,
            actor.user_id,
            str(actor.role),
            actor.unit_id,
        )


class AssignmentRead(msgspec.Struct, frozen=True):
    assignment_id: str
    user_id: str
    role: str
    unit_id: str
    valid_from: date
    valid_until: date | None
    last_day: date | None
    decision_ref: str
    assigned_by: str
    end_reason: str

    @classmethod
    def of(cls, a: Assignment) -> AssignmentRead:
        return cls(
            a.assignment_id,
            a.user_id,
            a.role,
            a.unit_id,
            a.valid_from,
            a.valid_until,
            a.last_day,
            a.decision_ref,
            a.assigned_by,
            a.end_reason,
        )


class UserRead(msgspec.Struct, frozen=True):
    user_id: str
    login: str
    full_name: str
    contact: str
    unit_id: str
    active: bool
    assignments: list[AssignmentRead]

    @classmethod
    def of(cls, user: Account, assignments: list[Assignment]) -> UserRead:
        return cls(
            user.user_id,
            user.login,
            user.full_name,
            user.contact,
            user.unit_id,
            user.deactivated_on is None,
            [AssignmentRead.of(a) for a in assignments],
        )


class HoldingRead(msgspec.Struct, frozen=True):
    """One person who could act for the unit on the date; `direct` false when the role is at a unit above."""

    user_id: str
    login: str
    full_name: str
    direct: bool
    assignment: AssignmentRead

    @classmethod
    def of(cls, holding: Holding) -> HoldingRead:
        user = holding.user
        return cls(user.user_id, user.login, user.full_name, holding.direct, AssignmentRead.of(holding.assignment))


class SignInRecord(msgspec.Struct, frozen=True):
    at: datetime
    user_id: str | None
    login: str | None
    client: str
    outcome: str
