"""Signed bearer tokens carrying the user, the role and the unit (I8): issued by the command line for the
embedded default and service accounts, verified by every entry point that takes a caller.

A token is an HS256 JWT. Roles decide which steps a user may take; the unit decides where: a user acts only
in its unit's subtree, and reads only there (`services.commands.walls`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt

from services.commands.actors import Actor, Role

ALGORITHM = "HS256"
ISSUER = "partyledger"


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed with our key: the caller is nobody."""


def issue_token(actor: Actor, key: str, *, hours: float, now: datetime | None = None) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "sub": actor.user_id,
        "role": str(actor.role),
        "unit": actor.unit_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=hours)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def issue_access_token(actor: Actor, key: str, *, minutes: float, session_id: str, now: datetime) -> str:
    """A short-lived token for one session of an account: revoking the session (or the user, or the
    assignment) refuses the next refresh at once, and this token dies within `minutes`."""
    claims = {
        "iss": ISSUER,
        "sub": actor.user_id,
        "role": str(actor.role),
        "unit": actor.unit_id,
        "sid": session_id,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=minutes)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def read_token(token: str, key: str) -> Actor:
    """Verify signature, issuer and expiry (exactly HS256: 'none' and other algorithms are refused)."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "iat", "sub", "iss"]}
        )
        return Actor(user_id=str(claims["sub"]), role=Role(claims["role"]), unit_id=str(claims["unit"]))
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc


def token_expires(token: str, key: str) -> datetime:
    """When a token we signed expires (a dashboard session opened with it ends then too)."""
    try:
        claims = jwt.decode(token, key, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp"]})
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
