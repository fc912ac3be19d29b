"""Signing in and out: login and password (a first sign-in sets the user's own password), a service token
pasted in, or a demo user picked on the embedded ledger; each opens a server-side session named by the cookie."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from services import oidc
from services.commands.actors import Actor
from services.commands.sign_in import SignIn, SignInRefused, sign_in_external
from services.commands.sign_in import sign_in as sign_in_with_password
from services.commands.sign_in import sign_out as end_session
from services.oidc import Provider
from services.tokens import InvalidToken, read_token, token_expires

from .common import page
from .session import COOKIE, PREFIX, Context, cookie_settings, demo_user, demo_users, service_session

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
BAD_TOKEN = "Mã đăng nhập không hợp lệ hoặc đã hết hạn."
NEED_CODE = "Tài khoản này bật xác thực hai lớp: xin nhập lại mật khẩu và mã 6 số đang hiện trên ứng dụng xác thực."


@get("/", sync_to_thread=False)
def home(request: Request[Any, Any, Any]) -> Redirect:
    """Straight to the caller's own unit, or to the sign-in page."""
    return Redirect(f"{PREFIX}/units" if request.cookies.get(COOKIE) else f"{PREFIX}/sign-in")


@get("/sign-in", sync_to_thread=False)
def sign_in_page(ledger: Context) -> Template:
    return _form(ledger, None)


def _form(ledger: Context, problem: str | None, status_code: int = 200, **values: Any) -> Template:
    return page(
        "sign_in.html", None, status_code=status_code, demo=demo_users(ledger.settings), problem=problem,
        sso=bool(ledger.settings.oidc[0]), **({"errors": {}} | values),
    )  # fmt: skip


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
        if exc.kind == "totp-required":  # told at the code's own field; the password is typed again with it
            said = NEED_CODE if not data.get("totp") else exc.message_vi
            return _form(ledger, None, status, login=login, totp=True, errors={"totp": said})
        return _form(ledger, exc.message_vi, status, login=login, change=change)
    return _signed_in(ledger, tokens.refresh_token)


def _with_token(request: Request[Any, Any, Any], ledger: Context, token: str) -> Redirect | Template:
    """A service token (`partyledger token`): a session bounded by the token's own expiry."""
    try:
        actor: Actor = read_token(token, ledger.settings.signing_key)
        expires = token_expires(token, ledger.settings.signing_key)
    except InvalidToken:
        return _form(ledger, BAD_TOKEN, 401)
    return _signed_in(ledger, service_session(ledger, actor, _client(request), expires))


SSO_COOKIE = "partyledger_sso"


def _provider(ledger: Context) -> Provider | None:
    issuer, client_id, secret, redirect = ledger.settings.oidc
    return Provider(issuer, client_id, secret, redirect) if issuer else None


def _sealed(ledger: Context, value: str) -> str:
    mac = hmac.new(ledger.settings.signing_key.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{value}.{mac}"


def _unsealed(ledger: Context, sealed: str) -> tuple[str, str]:
    value = sealed.rpartition(".")[0]
    if not value or not hmac.compare_digest(_sealed(ledger, value), sealed):
        return "", ""
    state, _, nonce = value.partition(" ")
    return state, nonce


@get("/sign-in/sso", sync_to_thread=True)
def sso_start(ledger: Context) -> Redirect | Template:
    """To the province's single sign-on, with a state and a nonce kept in a short, sealed cookie."""
    provider = _provider(ledger)
    if provider is None:
        return _form(ledger, "Tỉnh chưa cấu hình đăng nhập một lần.", 404)
    try:
        url, state, nonce = oidc.start(provider)
    except Exception:
        return _form(ledger, "Không kết nối được máy chủ đăng nhập một lần; xin thử lại sau.", 503)
    secure = ledger.settings.environment == "production"
    sealed = _sealed(ledger, f"{state} {nonce}")
    cookie = Cookie(key=SSO_COOKIE, value=sealed, path=f"{PREFIX}/sign-in/sso", max_age=600, httponly=True,
                    samesite="lax", secure=secure)  # fmt: skip
    return Redirect(url, cookies=[cookie], status_code=302)


@get("/sign-in/sso/callback", sync_to_thread=True)
def sso_callback(
    request: Request[Any, Any, Any],
    ledger: Context,
    code: FromQuery[str] = "",
    returned_state: Annotated[str, QueryParameter(name="state")] = "",
) -> Template:
    """Back from the single sign-on: the ID token checked, the ledger's account and role, the ledger's session.
    A page (not a redirect) moves on, so the Strict session cookie goes with a same-site navigation."""
    provider = _provider(ledger)
    kept_state, nonce = _unsealed(ledger, request.cookies.get(SSO_COOKIE, ""))
    if provider is None or not code:
        return _form(ledger, "Đăng nhập một lần không thành công.", 401)
    try:
        claims = oidc.finish(provider, code=code, state=returned_state, kept_state=kept_state, nonce=nonce)
        tokens = sign_in_external(
            ledger, ledger.credentials, ledger.settings, str(claims.get("preferred_username", "")), _client(request)
        )
    except oidc.OidcRefused:
        return _form(ledger, "Đăng nhập một lần không thành công.", 401)
    except SignInRefused as exc:
        return _form(ledger, exc.message_vi, 403)
    cookies = [
        Cookie(value=tokens.refresh_token, **cookie_settings(ledger.settings)),
        Cookie(key=SSO_COOKIE, value="", path=f"{PREFIX}/sign-in/sso", max_age=0, httponly=True),
    ]
    response = page("signed_in.html", None, next_url=f"{PREFIX}/units")
    response.cookies.extend(cookies)
    return response


@post("/sign-out", sync_to_thread=True, status_code=303)
def sign_out(request: Request[Any, Any, Any], ledger: Context) -> Redirect:
    """The session is revoked, not only forgotten by this browser."""
    end_session(ledger.credentials, request.cookies.get(COOKIE, ""))
    return Redirect(
        f"{PREFIX}/sign-in",
        cookies=[Cookie(key=COOKIE, value="", path=PREFIX, max_age=0, httponly=True)],
        status_code=303,
    )
