"""The Litestar app factory: `create_app()` for uvicorn, tests and the embedded demo."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components
from litestar.response import Response
from litestar.status_codes import HTTP_503_SERVICE_UNAVAILABLE

from services.api.accounts.auth import AuthController, MeController
from services.api.accounts.users import UsersController
from services.api.audit.denials import DenialController, record_refusal
from services.api.audit.history import audit_router
from services.api.people.erasure import erasure_router
from services.api.people.file_requests import file_request_router
from services.api.people.routes import people_router
from services.api.platform.api_index import OperationIndex
from services.api.platform.clients import client_addresses
from services.api.platform.limits import rate_limit, too_deep
from services.api.platform.metrics import PROMETHEUS, metrics_routes
from services.api.platform.outages import outage_handlers
from services.api.platform.probes import LIVE, READY
from services.api.platform.problems import internal_error, not_utf8, problem_details_plugin
from services.api.platform.security import BEARER_SCHEME, principal
from services.api.platform.strict_bodies import StrictStructSchemaPlugin
from services.api.read_models.routes import ReadModelController
from services.api.units.calendar import CalendarController
from services.api.units.changes import UnitChangeController
from services.api.units.tree import UnitController
from services.collector import collect_garbage_rarely, freeze_what_started
from services.ledger import Ledger
from services.settings import Settings, get_settings

from .web import page_headers, web_router, web_templates


def _ledger(state: State) -> Ledger:
    ledger: Ledger = state.ledger
    return ledger


@get("/health", operation_id="health", tags=["operations"], sync_to_thread=False, responses=LIVE)
def health() -> dict[str, str]:
    """Liveness: the process answers."""
    return {"status": "ok"}


@get("/ready", operation_id="ready", tags=["operations"], sync_to_thread=True, responses=READY)
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


def create_server_app() -> Litestar:
    """What uvicorn runs (`--factory`): the app, with the garbage collector set for a server process."""
    return create_app(long_running=True)


def create_app(settings: Settings | None = None, *, long_running: bool = False) -> Litestar:
    chosen = settings or get_settings()

    def open_ledger(app: Litestar) -> None:
        app.state.ledger = Ledger.open(chosen)
        if long_running:  # not in a test process, which makes an app per test
            app.state.ledger.warm()  # the tree and calendar before the first request, not during the first ones
            app.state.ledger.heads.warm()  # every unit's head (services.reads.UnitHeads)
            collect_garbage_rarely()
            freeze_what_started()

    def close_ledger(app: Litestar) -> None:
        app.state.ledger.close()

    limiter, stores = rate_limit(chosen)
    return Litestar(
        route_handlers=[
            health,
            ready,
            UnitController,
            UnitChangeController,
            CalendarController,
            ReadModelController,
            people_router,
            file_request_router,
            erasure_router,
            audit_router,
            *metrics_routes(chosen),
            DenialController,
            AuthController,
            MeController,
            UsersController,
            web_router(chosen),
        ],
        dependencies={
            "principal": Provide(principal, sync_to_thread=False),
            "ledger": Provide(_ledger, sync_to_thread=False),
        },
        plugins=[problem_details_plugin(), StrictStructSchemaPlugin()],
        middleware=[*client_addresses(chosen.trusted_proxies), PROMETHEUS.middleware, *limiter],
        stores=stores,
        exception_handlers={
            500: internal_error,
            RecursionError: too_deep,
            UnicodeDecodeError: not_utf8,
            **outage_handlers(),
        },
        after_exception=[record_refusal],
        before_send=[page_headers()],
        on_startup=[open_ledger],
        on_shutdown=[close_ledger],
        request_max_body_size=chosen.max_body_bytes,
        template_config=web_templates(),
        openapi_config=OpenAPIConfig(
            title="Party Ledger",
            version="0.1.0",
            path="/schema",
            use_handler_docstrings=True,
            description="Commands and queries of the member-development ledger. Errors are RFC 9457 problem details.",
            components=Components(security_schemes=BEARER_SCHEME),  # required per operation: security.SECURED
            render_plugins=[OperationIndex()],  # and /schema/openapi.json; no viewer that loads a CDN's script
        ),
    )
