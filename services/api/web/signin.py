"""Signing in and out: login and password (a first sign-in sets the user's own password), a service token
pasted in, or a demo user picked on the embedded ledger; each opens a server-side session named by the cookie."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from services.commands.actors import Actor
from services.commands.sign_in import SignIn, SignInRefused
from services.commands.sign_in import sign_in as sign_in_with_password
from services.commands.sign_in import sign_out as end_session
from services.tokens import InvalidToken, read_token, token_expires

from .common import page
from .session import COOKIE, PREFIX, Context, cookie_settings, demo_user, demo_users, service_session

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
BAD_TOKEN = "Mã đăng nhập không hợp lệ hoặc đã hết hạn."


@get("/", sync_to_thread=False)
def home(request: Request[Any, Any, Any]) -> Redirect:
    """Straight to the caller's own unit, or to the sign-in page."""
    return Redirect(f"{PREFIX}/units" if request.cookies.get(COOKIE) else f"{PREFIX}/sign-in")


@get("/sign-in", sync_to_thread=False)
def sign_in_page(ledger: Context) -> Template:
    return _form(ledger, None)


def _form(ledger: Context, problem: str | None, status_code: int = 200, **values: Any) -> Template:
    return page(
        "sign_in.html", None, status_code=status_code, demo=demo_users(ledger.settings), problem=problem, **values
    )


def _client(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def _signed_in(ledger: Context, session: str) -> Redirect:
    cookie = Cookie(value=session, **cookie_settings(ledger.settings))
    return Redirect(f"{PREFIX}/units", cookies=[cookie], status_code=303)


@post("/sign-in", sync_to_thread=True, status_code=303)
def sign_in(request: Request[Any, Any, Any], data: Form, ledger: Context) -> Redirect | Template:
    """Login and password; or a demo user (embedded demo only); or a service token pasted in."""
    if data.get("demo_user"):
        chosen = demo_user(ledger.settings, data["demo_user"])
        if chosen is None:
            return _form(ledger, BAD_TOKEN, 401)
        return _signed_in(ledger, service_session(ledger, chosen, _client(request)))
    if data.get("token", "").strip():
        return _with_token(request, ledger, data["token"].strip())
    login = data.get("login", "").strip()
    new_password = data.get("new_password") or None
    if new_password is not None and new_password != data.get("new_password_again"):
        return _form(ledger, "Hai lần nhập mật khẩu mới không khớp.", 422, login=login, change=True)
    request_ = SignIn(login, data.get("password", ""), _client(request), data.get("totp") or None, new_password)
    try:
        tokens = sign_in_with_password(ledger, ledger.credentials, ledger.settings, request_)
    except SignInRefused as exc:
        change = exc.kind in ("password-change-required", "weak-password")
        status = 429 if exc.retry_after else 401
        return _form(ledger, exc.message_vi, status, login=login, change=change, totp=exc.kind == "totp-required")
    return _signed_in(ledger, tokens.refresh_token)


def _with_token(request: Request[Any, Any, Any], ledger: Context, token: str) -> Redirect | Template:
    """A service token (`partyledger token`): a session bounded by the token's own expiry."""
    try:
        actor: Actor = read_token(token, ledger.settings.signing_key)
        expires = token_expires(token, ledger.settings.signing_key)
    except InvalidToken:
        return _form(ledger, BAD_TOKEN, 401)
    return _signed_in(ledger, service_session(ledger, actor, _client(request), expires))


@post("/sign-out", sync_to_thread=True, status_code=303)
def sign_out(request: Request[Any, Any, Any], ledger: Context) -> Redirect:
    """The session is revoked, not only forgotten by this browser."""
    end_session(ledger.credentials, request.cookies.get(COOKIE, ""))
    return Redirect(
        f"{PREFIX}/sign-in",
        cookies=[Cookie(key=COOKIE, value="", path=PREFIX, max_age=0, httponly=True)],
        status_code=303,
    )
