"""Who is looking: the bearer token kept in an HttpOnly, SameSite=Strict cookie, and CSRF for every form.

The dashboard signs nobody in by itself: a user pastes the token the API already trusts (or, on the embedded
demo, picks one of the demo users), so the walls are exactly the API's.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException

from services.commands.actors import Actor
from services.embedded import DEMO_USERS
from services.ledger import Ledger
from services.settings import Settings
from services.tokens import InvalidToken, issue_token, read_token

Context = NamedDependency[Ledger]

COOKIE = "partyledger_session"
PREFIX = "/web"


def csrf_config(settings: Settings) -> CSRFConfig:
    """A CSRF secret derived from the signing key, so every API process agrees without another setting."""
    secret = hmac.new(settings.signing_key.encode(), b"partyledger-web-csrf", hashlib.sha256).hexdigest()
    return CSRFConfig(
        secret=secret,
        cookie_name="partyledger_csrf",
        cookie_path=PREFIX,
        cookie_httponly=True,
        cookie_samesite="strict",
        cookie_secure=settings.environment == "production",
    )


def cookie_settings(settings: Settings) -> dict[str, Any]:
    return {
        "key": COOKIE,
        "path": PREFIX,
        "httponly": True,
        "samesite": "strict",
        "secure": settings.environment == "production",
        "max_age": int(settings.token_hours * 3600),
    }


def signed_in(request: Request[Any, Any, Any], ledger: Context) -> Actor:
    """The principal of the session cookie; no cookie or a bad one sends the browser to the sign-in page."""
    token = request.cookies.get(COOKIE, "")
    if not token:
        raise NotAuthorizedException("sign in")
    try:
        return read_token(token, ledger.settings.signing_key)
    except InvalidToken as exc:
        raise NotAuthorizedException("sign in again") from exc


def demo_users(settings: Settings) -> tuple[Actor, ...]:
    """The demo users, offered only on the embedded development ledger (never with a production key)."""
    if not settings.embedded or settings.environment != "development":
        return ()
    return DEMO_USERS


def demo_token(settings: Settings, user_id: str) -> str | None:
    for user in demo_users(settings):
        if user.user_id == user_id:
            return issue_token(user, settings.signing_key, hours=settings.token_hours)
    return None
