"""Who is looking: a server-side session named by an HttpOnly, SameSite=Strict cookie, and CSRF for every form.

The cookie carries a session (`services.commands.sign_in`), never a bearer token: every page checks it is not
revoked or expired and that the account and its assignment still hold, so revoking a user, an assignment or
the session shuts the dashboard at the next click. A user signs in with login and password; a service token
pasted in and the embedded demo's users open a session too (bounded by the token's own expiry).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Any

from litestar import Request
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException

from services.commands.account_log import load_accounts
from services.commands.actors import Actor
from services.commands.sign_in import SESSION_FOR, SessionEnded, open_service_session, session_actor
from services.commands.walls import today
from services.embedded import DEMO_USERS
from services.ledger import Ledger
from services.settings import Settings

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
        "max_age": int(SESSION_FOR.total_seconds()),
    }


SHOWN_NAMES: dict[str, str] = {}
"""The full name each signed-in account's header shows (`who`), kept as its session is checked."""
UNIT_NAMES: dict[str, str] = {}
"""The name of the unit a service-token or demo session acts for, read from the tree when the session opens
(or, in another process, at its first page): a page reads the tree once, so the header must not read it again."""


def who(actor: Actor) -> str:
    """The header's words for the caller (messages name people and units, never ids): an account's full name
    and role; a service token or demo user, which names no person, its role and its unit's name."""
    name = SHOWN_NAMES.get(actor.user_id)
    if name is not None:
        return f"{name} · {actor.role.label_vi}"
    unit = UNIT_NAMES.get(actor.unit_id)
    return f"{actor.role.label_vi} · {unit}" if unit else actor.role.label_vi


def _note_unit_name(ledger: Ledger, unit_id: str) -> None:
    unit = ledger.tree().state_on(unit_id, today())
    if unit is not None:
        UNIT_NAMES[unit_id] = unit.name


def signed_in(request: Request[Any, Any, Any], ledger: Context) -> Actor:
    """The principal of the session cookie; no cookie, or a session that ended, sends the browser to sign in."""
    value = request.cookies.get(COOKIE, "")
    if not value:
        raise NotAuthorizedException("sign in")
    try:
        actor = session_actor(ledger, ledger.credentials, value)
    except SessionEnded as exc:
        raise NotAuthorizedException("sign in again") from exc
    user = load_accounts(ledger.store).users.get(actor.user_id)
    if user is not None:
        SHOWN_NAMES[user.user_id] = user.full_name
    elif actor.unit_id not in UNIT_NAMES:
        _note_unit_name(ledger, actor.unit_id)
    return actor


def service_session(ledger: Ledger, actor: Actor, client: str, expires_at: datetime | None = None) -> str:
    """A session for a demo user or a pasted service token: the cookie's value."""
    until = expires_at or datetime.now(UTC) + timedelta(hours=ledger.settings.token_hours)
    _note_unit_name(ledger, actor.unit_id)  # renamed units are read afresh at each sign-in
    return open_service_session(ledger.credentials, ledger.settings, actor, client, until).refresh_token


def demo_users(settings: Settings) -> tuple[Actor, ...]:
    """The demo users, offered only on the embedded development ledger (never with a production key)."""
    if not settings.embedded or settings.environment != "development":
        return ()
    return DEMO_USERS


def demo_user(settings: Settings, user_id: str) -> Actor | None:
    return next((user for user in demo_users(settings) if user.user_id == user_id), None)
