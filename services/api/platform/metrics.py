"""Prometheus metrics: HTTP traffic per route template, and which party rules refuse steps most often.

`/metrics` is outside the OpenAPI document and needs no token: scrape it from the internal network only
(deploy/README). With several API processes, set PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess
mode) so each process's counts are summed.
"""

from __future__ import annotations

from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import Counter

RULE_REFUSALS = Counter("partyledger_rule_refusals_total", "Steps refused by a party rule, by rule id", ["rule_id"])

PROMETHEUS = PrometheusConfig(
    app_name="partyledger", prefix="partyledger", group_path=True, exclude=["/metrics", "/health"]
)


class MetricsController(PrometheusController):
    path = "/metrics"
    include_in_schema = False
