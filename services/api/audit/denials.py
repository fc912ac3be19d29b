"""Refused requests, recorded for the administrator: an after-exception hook and `GET /units/{unit}/denials`.

A wall refusal (`WallDenied`) answers exactly like a missing thing (same 404, same detail: I8); only this
record knows why. Recording runs in a thread and never changes the answer: a database that is down costs a
warning. A caller over its rate is recorded once a minute, not once per refused request (a flood must not
become a flood of inserts).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Annotated, Any

import jwt
import msgspec
from litestar import Controller, get
from litestar.datastructures import Headers
from litestar.di import NamedDependency
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException, TooManyRequestsException
from litestar.params import QueryParameter
from litestar.types import BeforeRequestHookHandler, Scope

from services.api.platform.auth import bearer_token
from services.api.platform.params import MAX_NUMBER, UnitIdPath
from services.api.platform.responses import READ_PROBLEMS
from services.api.platform.security import SECURITY, authenticate, read_bearer
from services.commands.actors import Actor, Role
from services.commands.walls import FiledElsewhere, WallDenied, require_role, require_within, today
from services.denial_records import Denial, recent_denials
from services.ledger import Ledger

log = logging.getLogger(__name__)

FLOOD_SECONDS = 60.0
_last_flood: dict[str, float] = {}


def _status_and_reason(exc: Exception) -> tuple[int, str] | None:
    if isinstance(exc, WallDenied):
        return 404, f"unit wall: {exc.reason}"
    if isinstance(exc, FiledElsewhere):
        return 409, f"filed elsewhere: {exc.reason}"
    if isinstance(exc, NotAuthorizedException):
        return 401, str(exc.detail)
    if isinstance(exc, PermissionDeniedException):
        return 403, str(exc.detail)
    if isinstance(exc, TooManyRequestsException):
        return 429, "over the rate limit"
    return None


@dataclass(frozen=True)
class Claimed:
    """Who the request says it is; `problem` is why its token was not trusted (None when it was)."""

    user: str | None = None
    role: str | None = None
    unit: str | None = None
    problem: str | None = "no bearer token"


def _identity(scope: Scope, signing_key: str) -> Claimed:
    """From a valid token, else the claims a bad token makes (kept, marked unverified)."""
    headers = Headers.from_scope(scope)
    found = read_bearer(scope, headers, signing_key)
    if found is None:
        return Claimed()
    if isinstance(found, Actor):
        return Claimed(found.user_id, str(found.role), found.unit_id, None)
    problem = str(found) or "invalid token"
    try:
        claims = jwt.decode(bearer_token(headers.get("authorization", "")) or "", options={"verify_signature": False})
    except jwt.PyJWTError:
        return Claimed(problem=problem)
    return Claimed(_text(claims.get("sub")), _text(claims.get("role")), _text(claims.get("unit")), problem)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _flooding(status: int, key: str) -> bool:
    """True when this caller's 429 was already recorded within the last minute."""
    if status != 429:
        return False
    now = time.monotonic()
    if now - _last_flood.get(key, -FLOOD_SECONDS) < FLOOD_SECONDS:
        return True
    if len(_last_flood) > 10_000:
        _last_flood.clear()
    _last_flood[key] = now
    return False


async def record_refusal(exc: Exception, scope: Scope) -> None:
    """After-exception hook: record 401, 403, wall 404 and 429 answers with who asked, what and why."""
    found = _status_and_reason(exc)
    ledger: Ledger | None = getattr(scope["litestar_app"].state, "ledger", None)
    if found is None or ledger is None:
        return
    status, reason = found
    who = _identity(scope, ledger.settings.signing_key)
    if status == 401:
        reason = f"{reason}: {who.problem}"
    client = scope.get("client")
    address = client[0] if client else "unknown"
    verified = who.problem is None
    if _flooding(status, who.user if verified and who.user else address):
        return
    method = str(scope.get("method", "?"))
    denial = Denial(status, reason, who.user, who.role, who.unit, verified, address, method, scope["path"])
    ledger.denials.submit(denial)  # off the answer's path: a wall costs no more time than a missing thing (I8)


class DenialRead(msgspec.Struct, frozen=True):
    denial_id: int
    at: str
    status: int
    reason: str
    user_id: str | None
    role: str | None
    unit_id: str | None
    verified: bool
    client: str
    method: str
    path: str


class DenialPage(msgspec.Struct, frozen=True):
    denials: list[DenialRead]
    next_before: int | None


Limit = Annotated[int, QueryParameter(ge=1, le=500)]
Before = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_NUMBER, description="Only denials older than this denial_id (paging)")
]


def _read(d: Denial) -> DenialRead:
    at = d.at.isoformat() if d.at else ""
    return DenialRead(
        d.denial_id or 0, at, d.status, d.reason, d.user_id, d.role, d.unit_id, d.verified, d.client, d.method, d.path
    )


class DenialController(Controller):
    path = "/units/{unit_id:str}/denials"
    tags = ["audit"]  # noqa: RUF012  # Litestar reads it as a class attribute
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @get("/", operation_id="listDenials", sync_to_thread=True, responses=READ_PROBLEMS)
    def list_denials(
        self,
        unit_id: UnitIdPath,
        ledger: NamedDependency[Ledger],
        principal: NamedDependency[Actor],
        limit: Limit = 100,
        before: Before = None,
    ) -> DenialPage:
        """Refused requests (401, 403, 404 at a wall, 429) of callers in the unit's subtree, newest first; at
        the top of the tree also those of callers with no valid unit. Provincial administrators only."""
        require_role(principal, Role.PROVINCIAL_ADMIN)
        tree = ledger.tree()
        require_within(tree, principal, unit_id)
        units = tree.subtree(unit_id, today())
        unit = tree.latest(unit_id)
        top = unit is not None and unit.parent_id is None
        ledger.denials.flush()  # the administrator reads the refusals already answered
        found = recent_denials(ledger.engine, units=units, anonymous=top, before=before, limit=limit)
        reads = [_read(d) for d in found]
        return DenialPage(reads, reads[-1].denial_id if len(reads) == limit else None)
