"""Who is asking: signed bearer tokens carrying the user, the role and the unit (I8).

A token is an HS256 JWT. Roles decide which steps a user may take; the unit decides where: a user acts only
in its unit's subtree, and reads only there. The walls themselves are checked where the unit of the thing
is known (see `walls.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import jwt

ALGORITHM = "HS256"
ISSUER = "partyledger"


class Role(StrEnum):
    CELL_SECRETARY = "cell_secretary"
    GRASSROOTS_OFFICER = "grassroots_officer"
    UPPER_OFFICER = "upper_officer"
    PROVINCIAL_ADMIN = "provincial_admin"
    AUDITOR = "auditor"
    VIEWER = "viewer"

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]


_LABELS_VI = {
    Role.CELL_SECRETARY: "Bí thư chi bộ",
    Role.GRASSROOTS_OFFICER: "Cán bộ đảng ủy cơ sở",
    Role.UPPER_OFFICER: "Cán bộ cấp ủy cấp trên",
    Role.PROVINCIAL_ADMIN: "Quản trị viên Tỉnh ủy",
    Role.AUDITOR: "Kiểm tra viên",
    Role.VIEWER: "Người xem",
}


@dataclass(frozen=True)
class Principal:
    user_id: str
    role: Role
    unit_id: str


class InvalidToken(Exception):
    """The token is missing, malformed, expired, or not signed with our key: the caller is nobody."""


def issue_token(principal: Principal, key: str, *, hours: float, now: datetime | None = None) -> str:
    issued = now or datetime.now(UTC)
    claims = {
        "iss": ISSUER,
        "sub": principal.user_id,
        "role": str(principal.role),
        "unit": principal.unit_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=hours)).timestamp()),
    }
    return jwt.encode(claims, key, algorithm=ALGORITHM)


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer …` header; None for another scheme or no token."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def read_token(token: str, key: str) -> Principal:
    """Verify signature, issuer and expiry (exactly HS256: 'none' and other algorithms are refused)."""
    try:
        claims = jwt.decode(
            token, key, algorithms=[ALGORITHM], issuer=ISSUER, options={"require": ["exp", "iat", "sub", "iss"]}
        )
        return Principal(user_id=str(claims["sub"]), role=Role(claims["role"]), unit_id=str(claims["unit"]))
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc
