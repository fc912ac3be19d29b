"""`POST /auth/sign-in`, `/auth/refresh`, `/auth/sign-out` (public: they are how a caller gets a token) and the
caller's own account under `/me` (a bearer token: an access token of a session, or a service token).

A sign-in answers an access token of a few minutes and a refresh token; refresh checks the session, the account
and its assignment again (`services.commands.sign_in`), so a revoked user is out within one access token.
"""

from __future__ import annotations

from typing import Annotated, Any, Final

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.params import Body
from litestar.types import BeforeRequestHookHandler

from domain.accounts.holders import current_assignments
from services.api.platform.params import Caller, Context
from services.api.platform.responses import READ_PROBLEMS, WRITE_PROBLEMS, problems
from services.api.platform.security import SECURITY, authenticate
from services.commands.account_log import load_accounts
from services.commands.sign_in import (
    SessionEnded,
    SignIn,
    SignInRefused,
    change_password,
    enable_totp,
    refresh,
    sign_in,
    sign_out,
    totp_offer,
)
from services.commands.walls import today

from .shapes import AssignmentRead, TokensRead, refused, session_ended

Login = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$", description="The login name")]
Password = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
NewPassword = Annotated[str, msgspec.Meta(min_length=10, max_length=256, description="At least 10 characters")]
Code = Annotated[str, msgspec.Meta(pattern=r"^[0-9]{6}$", description="The 6-digit code of the authenticator app")]
RefreshToken = Annotated[str, msgspec.Meta(min_length=10, max_length=200)]
PUBLIC_PROBLEMS: Final = problems(400, 401, 403, 413, 422, 429, 503)


class SignInBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    login: Login
    password: Password
    totp: Code | None = None
    new_password: NewPassword | None = None
    assignment_id: Annotated[str, msgspec.Meta(max_length=80)] | None = None


class RefreshBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    refresh_token: RefreshToken


class PasswordBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    current_password: Password
    new_password: NewPassword


class TotpConfirmBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    secret: Annotated[str, msgspec.Meta(pattern=r"^[A-Z2-7]{32}$", description="The secret `POST /me/totp` gave")]
    code: Code


class TotpOfferBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    password: Password


class TotpOffer(msgspec.Struct, frozen=True):
    secret: str
    otpauth_uri: str


class MeRead(msgspec.Struct, frozen=True):
    """Who the token acts for: the account (none for a service token) and its assignments that hold today."""

    user_id: str
    role: str
    unit_id: str
    login: str | None
    full_name: str | None
    assignments: list[AssignmentRead]


def _body(struct: type[msgspec.Struct], value: dict[str, Any]) -> Any:
    return Body(media_type=RequestEncodingType.JSON, examples=[Example(summary="A well-formed request", value=value)])


TOKENS: Final = ResponseSpec(
    data_container=TokensRead,
    generate_examples=False,
    description="Signed in: the access token (minutes) and the refresh token",
    examples=[
        Example(
            summary="A cell secretary",
            value={
                "access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl",
                "refresh_token": "ses-3kT0q9Zb1Xo.8mJ2vW5yQd7Lr0Nf4Hs6Kp1Tz3Bx9Ce2",
                "token_type": "Bearer",
                "expires_in": 300,
                "session_id": "ses-3kT0q9Zb1Xo",
                "user_id": "user-6f1c2a9e-4b7d-4f3a-9c2e-1d0b8a7f6e5d",
                "role": "cell_secretary",
                "unit_id": "unit-school-cell-1",
            },
        )
    ],
)
ME: Final = ResponseSpec(
    data_container=MeRead,
    generate_examples=False,
    description="The caller and its roles today",
    examples=[
        Example(
            summary="A cell secretary",
            value={
                "user_id": "user-6f1c2a9e-4b7d-4f3a-9c2e-1d0b8a7f6e5d",
                "role": "cell_secretary",
                "unit_id": "unit-school-cell-1",
                "login": "bithu.chibo1",
                "full_name": "Nguyễn Văn An",
                "assignments": [],
            },
        )
    ],
)


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


class AuthController(Controller):
    """Public: no bearer token is needed to obtain one (each operation says what it refuses)."""

    path = "/auth"
    tags = ["accounts"]  # noqa: RUF012

    @post(
        "/sign-in",
        operation_id="signIn",
        summary="Đăng nhập",
        status_code=200,
        sync_to_thread=True,
        responses={**PUBLIC_PROBLEMS, 200: TOKENS},
    )
    def sign_in(
        self,
        request: Request[Any, Any, Any],
        ledger: Context,
        data: Annotated[SignInBody, _body(SignInBody, {"login": "bithu.chibo1", "password": "Mật-khẩu-2026"})],
    ) -> TokensRead:
        """Login and password (and the TOTP code once enrolled). A first sign-in, or the first after a reset,
        must also send `new_password`. Five wrong passwords lock the account for 15 minutes; twenty failures
        from one address throttle it; a wrong password and an unknown login answer alike."""
        chosen = SignIn(data.login, data.password, _client(request), data.totp, data.new_password, data.assignment_id)
        try:
            return TokensRead.of(sign_in(ledger, ledger.credentials, ledger.settings, chosen))
        except SignInRefused as exc:
            raise refused(exc) from None

    @post(
        "/refresh",
        operation_id="refreshSession",
        summary="Gia hạn phiên",
        status_code=200,
        sync_to_thread=True,
        responses={**PUBLIC_PROBLEMS, 200: TOKENS},
    )
    def refresh(
        self,
        ledger: Context,
        data: Annotated[RefreshBody, _body(RefreshBody, {"refresh_token": "ses-3kT0q9Zb1Xo.8mJ2vW5yQd7Lr0Nf4Hs6"})],
    ) -> TokensRead:
        """A new access token and a new refresh token (the one sent is spent). Refused at once when the
        session, the account or the assignment it acts in was revoked or ended."""
        try:
            return TokensRead.of(refresh(ledger, ledger.credentials, ledger.settings, data.refresh_token))
        except SessionEnded:
            raise session_ended() from None

    @post(
        "/sign-out",
        operation_id="signOut",
        summary="Đăng xuất",
        status_code=204,
        sync_to_thread=True,
        responses=PUBLIC_PROBLEMS,
    )
    def sign_out(
        self,
        ledger: Context,
        data: Annotated[RefreshBody, _body(RefreshBody, {"refresh_token": "ses-3kT0q9Zb1Xo.8mJ2vW5yQd7Lr0Nf4Hs6"})],
    ) -> None:
        """Revoke the session of this refresh token: no refresh from now, the access token dies within minutes."""
        sign_out(ledger.credentials, data.refresh_token)


class MeController(Controller):
    path = "/me"
    tags = ["accounts"]  # noqa: RUF012
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @get("/", operation_id="getMe", sync_to_thread=True, responses={**READ_PROBLEMS, 200: ME})
    def me(self, ledger: Context, principal: Caller) -> MeRead:
        """The caller, the role and unit it acts in, and its account's assignments that hold today."""
        accounts = load_accounts(ledger.store)
        user = accounts.users.get(principal.user_id)
        held = current_assignments(accounts, ledger.tree(), principal.user_id, today()) if user else []
        return MeRead(
            principal.user_id,
            str(principal.role),
            principal.unit_id,
            user.login if user else None,
            user.full_name if user else None,
            [AssignmentRead.of(a) for a in held],
        )

    @post(
        "/password",
        operation_id="changeMyPassword",
        summary="Đổi mật khẩu",
        status_code=204,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )
    def password(
        self,
        ledger: Context,
        principal: Caller,
        data: Annotated[
            PasswordBody,
            _body(PasswordBody, {"current_password": "Mật-khẩu-2026", "new_password": "Mật-khẩu-mới-2027"}),
        ],
    ) -> None:
        """Change one's own password (the current one first)."""
        try:
            change_password(ledger.credentials, principal, ledger, data.current_password, data.new_password)
        except SignInRefused as exc:
            raise refused(exc) from None

    @post(
        "/totp",
        operation_id="offerTotp",
        summary="Bật xác thực hai lớp",
        status_code=200,
        sync_to_thread=True,
        responses={
            **WRITE_PROBLEMS,
            200: ResponseSpec(
                data_container=TotpOffer,
                generate_examples=False,
                description="A new secret for the authenticator app; nothing is enabled until confirmed",
                examples=[
                    Example(
                        summary="A secret",
                        value={
                            "secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
                            "otpauth_uri": "otpauth://totp/Party%20Ledger:quantri?secret=JBSWY3DPEHPK3PXP&issuer=Party%20Ledger",
                        },
                    )
                ],
            ),
        },
    )
    def totp(
        self,
        ledger: Context,
        principal: Caller,
        data: Annotated[TotpOfferBody, _body(TotpOfferBody, {"password": "Mật-khẩu-2026"})],
    ) -> TotpOffer:
        """A TOTP secret and its otpauth URI (administrators and auditors, their password again first);
        `POST /me/totp/confirm` enables it."""
        try:
            secret, uri = totp_offer(ledger, ledger.credentials, principal, data.password)
        except SignInRefused as exc:
            raise refused(exc) from None
        return TotpOffer(secret, uri)

    @post(
        "/totp/confirm",
        operation_id="confirmTotp",
        summary="Xác nhận xác thực hai lớp",
        status_code=204,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )
    def confirm_totp(
        self,
        ledger: Context,
        principal: Caller,
        data: Annotated[
            TotpConfirmBody, _body(TotpConfirmBody, {"secret": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "code": "123456"})
        ],
    ) -> None:
        """Enable the second factor once a code from the app matches the secret."""
        try:
            enable_totp(ledger.credentials, principal, data.secret, data.code)
        except SignInRefused as exc:
            raise refused(exc) from None
