"""Authentication before anything else (I8): a guard reads the bearer token before Litestar parses parameters.

Litestar runs guards before it validates the path, query, headers and body, so a request without a valid token
is answered 401 whatever else is wrong with it (a malformed parameter must not tell a stranger anything). Every
controller or router that needs a caller declares `SECURED`: the guard and the OpenAPI security requirement
together, so the document says exactly which operations need a token (not /health, /ready, /schema, /metrics).
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import Reference, SecurityScheme
from litestar.types import Guard

from .auth import InvalidToken, Principal, read_token
from .problems import unauthorised

SCOPE_KEY: Final = "partyledger.principal"
BEARER_SCHEME: Final[dict[str, SecurityScheme | Reference]] = {
    "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
}


def _read_principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthorised("missing bearer token")
    try:
        return read_token(token.strip(), connection.app.state.ledger.settings.signing_key)
    except InvalidToken as exc:
        raise unauthorised("invalid or expired token") from exc


async def authenticated(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """The guard: 401 unless the token is ours and valid; the caller is kept for the `principal` dependency."""
    connection.scope[SCOPE_KEY] = _read_principal(connection)  # type: ignore[typeddict-unknown-key]


def principal(request: Request[Any, Any, Any]) -> Principal:
    """The caller the guard read; a handler outside a secured layer still gets one (or a 401) on demand."""
    found: Principal | None = request.scope.get(SCOPE_KEY)  # type: ignore[assignment]
    return found if found is not None else _read_principal(request)


GUARDS: Final[list[Guard]] = [authenticated]
SECURITY: Final[list[dict[str, list[str]]]] = [{"bearer": []}]
SECURED: Final[dict[str, Any]] = {"guards": GUARDS, "security": SECURITY}
"""Keyword arguments for a Router (a Controller sets `guards = GUARDS` and `security = SECURITY`)."""
