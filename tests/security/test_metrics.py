"""/metrics is not served on the public API port unless a metrics token is set, and then only to a scraper
that sends it: the counts tell a stranger the traffic and which party rules refuse whom."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from litestar.testing import TestClient

from services.api.app import create_app
from services.settings import Settings, SettingsError
from tests.e2e.conftest import Client, bearer
from tests.e2e.test_units_api import ADMIN, register_body

TOKEN = "m" * 40
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def scraped(settings: Settings) -> Iterator[tuple[Client, Settings]]:
    chosen = replace(settings, metrics_token=TOKEN)
    with TestClient(app=create_app(chosen)) as test_client:
        yield test_client, chosen


def test_by_default_there_is_no_metrics_endpoint(client: Client, settings: Settings) -> None:
    for headers in ({}, bearer(settings, *ADMIN), SCRAPER):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 404
        assert "partyledger_" not in answer.text


def test_with_a_token_only_the_scraper_reads_the_metrics(scraped: tuple[Client, Settings]) -> None:
    client, settings = scraped
    for headers in ({}, bearer(settings, *ADMIN), {"Authorization": "Bearer " + "x" * 40}):
        answer = client.get("/metrics", headers=headers)
        assert answer.status_code == 401
        assert "partyledger_" not in answer.text
    assert client.get("/metrics", headers=SCRAPER).status_code == 200


def test_metrics_count_requests_by_route_and_refusals_by_rule(scraped: tuple[Client, Settings]) -> None:
    client, settings = scraped
    headers = bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0009"}
    client.post(
        "/units", json=register_body(kind="grassroots_committee", parent_id="unit-school-cell-1"), headers=headers
    )
    client.get("/units/unit-school", headers=bearer(settings, *ADMIN))

    metrics = client.get("/metrics", headers=SCRAPER)

    assert metrics.status_code == 200
    assert 'partyledger_rule_refusals_total{rule_id="R-UNIT-TREE"}' in metrics.text
    assert 'path="/units/{unit_id}"' in metrics.text  # route templates, not one series per unit
    assert 'path="/units/unit-school"' not in metrics.text
    assert "/metrics" not in str(client.get("/schema/openapi.json").json()["paths"])


def test_production_refuses_a_weak_metrics_token() -> None:
    production = {
        "PARTYLEDGER_ENVIRONMENT": "production",
        "PARTYLEDGER_SIGNING_KEY": "k" * 40,
        "PARTYLEDGER_PERSON_ID_KEY": "i" * 40,
        "PARTYLEDGER_DATA_KEK": "d" * 40,
    }
    with pytest.raises(SettingsError, match="PARTYLEDGER_METRICS_TOKEN must be a secret"):
        Settings.from_environment(production | {"PARTYLEDGER_METRICS_TOKEN": "change-me-metrics"})
    assert Settings.from_environment(production | {"PARTYLEDGER_METRICS_TOKEN": TOKEN}).metrics_token == TOKEN
    assert Settings.from_environment(production).metrics_token == ""
