"""Signing in and out: a token pasted (or a demo user picked on the embedded ledger) becomes the session cookie."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.datastructures import Cookie
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect, Template

from services.tokens import InvalidToken, read_token

from .common import page
from .session import COOKIE, PREFIX, Context, cookie_settings, demo_token, demo_users

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


@get("/", sync_to_thread=False)
def home(request: Request[Any, Any, Any]) -> Redirect:
    """Straight to the caller's own unit, or to the sign-in page."""
    return Redirect(f"{PREFIX}/units" if request.cookies.get(COOKIE) else f"{PREFIX}/sign-in")


@get("/sign-in", sync_to_thread=False)
def sign_in_page(ledger: Context) -> Template:
    return page("sign_in.html", None, demo=demo_users(ledger.settings), problem=None)


@post("/sign-in", sync_to_thread=False, status_code=303)
def sign_in(data: Form, ledger: Context) -> Redirect | Template:
    """Accept a token the API would accept; the demo picker issues one for the chosen demo user."""
    settings = ledger.settings
    demo_user = data.get("demo_user", "")
    token = demo_token(settings, demo_user) if demo_user else data.get("token", "").strip()
    try:
        read_token(token or "", settings.signing_key)
    except InvalidToken:
        return page(
            "sign_in.html",
            None,
            status_code=401,
            demo=demo_users(settings),
            problem="Mã đăng nhập không hợp lệ hoặc đã hết hạn.",
        )
    assert token is not None
    return Redirect(f"{PREFIX}/units", cookies=[Cookie(value=token, **cookie_settings(settings))], status_code=303)


@post("/sign-out", sync_to_thread=False, status_code=303)
def sign_out() -> Redirect:
    return Redirect(
        f"{PREFIX}/sign-in",
        cookies=[Cookie(key=COOKIE, value="", path=PREFIX, max_age=0, httponly=True)],
        status_code=303,
    )
