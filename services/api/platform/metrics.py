"""Prometheus metrics: HTTP traffic per route template, and which party rules refuse steps most often.

`/metrics` is outside the OpenAPI document and is not served at all unless `PARTYLEDGER_METRICS_TOKEN` is set:
the counts tell a stranger the traffic and which rules refuse whom, and the API port is public. Set, the
scraper sends it as its bearer token (Prometheus `authorization: credentials_file`, deploy/README); any other
caller gets 401. With several API processes, set PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess
mode) so each process's counts are summed.
"""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from litestar.exceptions import NotAuthorizedException
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.types import BeforeRequestHookHandler, ControllerRouterHandler
from prometheus_client import Counter

from services.api.platform.auth import bearer_token
from services.settings import Settings

RULE_REFUSALS = Counter("partyledger_rule_refusals_total", "Steps refused by a party rule, by rule id", ["rule_id"])

PROMETHEUS = PrometheusConfig(
    app_name="partyledger", prefix="partyledger", group_path=True, exclude=["/metrics", "/health"]
)


async def scraper_only(request: Request[Any, Any, Any]) -> None:
    """401 unless the bearer token is the metrics token (compared in constant time)."""
    expected: str = request.app.state.ledger.settings.metrics_token
    given = bearer_token(request.headers.get("authorization", "")) or ""
    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        raise NotAuthorizedException("Send the metrics token as the bearer token")


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False
    before_request: BeforeRequestHookHandler | None = scraper_only


def metrics_routes(settings: Settings) -> list[ControllerRouterHandler]:
    """`/metrics` only when a scraper has a token to send; otherwise the path does not exist."""
    return [MetricsController] if settings.metrics_token else []
