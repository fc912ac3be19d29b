"""The Litestar app factory: `create_app()` for uvicorn, tests and the embedded demo."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.response import Response
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from services.settings import Settings, get_settings

from .auth import InvalidToken, Principal, read_token
from .context import Ledger
from .metrics import PROMETHEUS, MetricsController
from .people import people_router
from .problems import internal_error, problem_details_plugin, unauthorised
from .read_models import ReadModelController
from .units import UnitController
from .web import web_router, web_templates

MAX_BODY_BYTES = 256 * 1024


def _ledger(state: State) -> Ledger:
    ledger: Ledger = state.ledger
    return ledger


def _principal(request: Request[Any, Any, Any], state: State) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise unauthorised("missing bearer token")
    try:
        return read_token(token.strip(), _ledger(state).settings.signing_key)
    except InvalidToken as exc:
        raise unauthorised("invalid or expired token") from exc


@get("/health", operation_id="health", tags=["operations"], sync_to_thread=False)
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/ready", operation_id="ready", tags=["operations"], sync_to_thread=True)
def ready(state: State) -> Response[dict[str, Any]]:
    """Readiness: the log answers (the broker is checked by the workers' own health)."""
    ledger = _ledger(state)
    try:
        position = ledger.store.head_position()
    except Exception as exc:
        return Response(
            {"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"},
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
        )
    return Response({"status": "ready", "database": "ok", "log_position": position})


def create_app(settings: Settings | None = None) -> Litestar:
    chosen = settings or get_settings()

    def open_ledger(app: Litestar) -> None:
        app.state.ledger = Ledger.open(chosen)

    def close_ledger(app: Litestar) -> None:
        app.state.ledger.close()

    return Litestar(
        route_handlers=[
            health,
            ready,
            UnitController,
            ReadModelController,
            people_router,
            MetricsController,
            web_router(chosen),
        ],
        dependencies={
            "principal": Provide(_principal, sync_to_thread=False),
            "ledger": Provide(_ledger, sync_to_thread=False),
        },
        plugins=[problem_details_plugin()],
        middleware=[PROMETHEUS.middleware],
        exception_handlers={500: internal_error},
        on_startup=[open_ledger],
        on_shutdown=[close_ledger],
        request_max_body_size=MAX_BODY_BYTES,
        template_config=web_templates(),
        openapi_config=OpenAPIConfig(
            title="Party Ledger",
            version="0.1.0",
            path="/schema",
            description="Commands and queries of the member-development ledger. Errors are RFC 9457 problem details.",
            components=Components(
                security_schemes={"bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")}
            ),
            security=[{"bearer": []}],
        ),
    )
