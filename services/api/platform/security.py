"""Authentication before anything else (I8): the bearer token is read before Litestar parses parameters.

Litestar runs a layer's `before_request` hook before it validates the path, query, headers and body, so a
request without a valid token is answered 401 whatever else is wrong with it (a malformed parameter must not
tell a stranger anything). A guard would do the same but Litestar copies the route handler for every guard
call (~30 µs); the hook costs nothing beyond the token check the `principal` dependency made anyway.

Every controller or router that needs a caller declares the hook and the OpenAPI security requirement together
(`SECURED` for a Router; `before_request = authenticate` and `security = SECURITY` on a Controller), so the
document says exactly which operations need a token (not /health, /ready, /schema, /metrics).
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.openapi.spec import Reference, SecurityScheme

from services.api.platform.auth import bearer_token
from services.api.platform.problems import unauthorised
from services.api.platform.strict_json import refuse_loose_json
from services.commands.actors import Actor
from services.tokens import InvalidToken, read_token

SCOPE_KEY: Final = "partyledger.principal"
BEARER_SCHEME: Final[dict[str, SecurityScheme | Reference]] = {
    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
}


TOKEN_KEY: Final = "partyledger.token"


def read_bearer(scope: Any, headers: Any, signing_key: str) -> Actor | InvalidToken | None:
    """The request's bearer token verified once, whoever asks first (the rate limiter counts per verified
    user, the guard answers 401, the denial record names the caller): the caller, why the token was
    refused, or None when there is none."""
    if TOKEN_KEY in scope:
        known: Actor | InvalidToken | None = scope[TOKEN_KEY]
        return known
    token = bearer_token(headers.get("authorization", ""))
    found: Actor | InvalidToken | None = None
    if token is not None:
        try:
            found = read_token(token, signing_key)
        except InvalidToken as exc:
            found = exc
    scope[TOKEN_KEY] = found
    return found


def _read_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Actor:
    found = read_bearer(connection.scope, connection.headers, connection.app.state.ledger.settings.signing_key)
    if found is None:
        raise unauthorised("missing bearer token")
    if isinstance(found, InvalidToken):
        raise unauthorised("invalid or expired token") from found
    return found


async def authenticate(request: Request[Any, Any, Any]) -> None:
    """401 unless the token is ours and valid; the caller is kept for the `principal` dependency. Then, for
    a caller only, a JSON body's types are checked strictly (`strict_json`). Async, so Litestar calls it on
    the event loop (a sync hook would go to the thread pool)."""
    request.scope[SCOPE_KEY] = _read_principal(request)  # type: ignore[typeddict-unknown-key]
    await refuse_loose_json(request)


def principal(request: Request[Any, Any, Any]) -> Actor:
    """The caller the guard read; a handler outside a secured layer still gets one (or a 401) on demand."""
    found: Actor | None = request.scope.get(SCOPE_KEY)  # type: ignore[assignment]
    return found if found is not None else _read_principal(request)


SECURITY: Final[list[dict[str, list[str]]]] = [{"bearer": []}]
SECURED: Final[dict[str, Any]] = {"before_request": authenticate, "security": SECURITY}
"""Keyword arguments for a Router (a Controller sets `before_request = authenticate`, `security = SECURITY`)."""
