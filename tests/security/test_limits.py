"""Rate and body limits from settings: 429 with problem details and Retry-After, counted per verified user,
shared through Redis between API processes, and never an outage when Redis is down; 413 over the body size."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from services.api.app import create_app
from services.commands.actors import Role
from services.denial_records import recent_denials
from services.settings import Settings, SettingsError
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL
from tests.security.conftest import log_state
from tests.support.processes import free_port
from tests.support.queues import queue_name


@pytest.fixture
def limited(settings: Settings) -> Iterator[tuple[Client, Settings]]:
    chosen = replace(settings, rate_limit_per_minute=5, max_body_bytes=4096)
    with TestClient(app=create_app(chosen)) as test_client:
        yield test_client, chosen


def test_the_limits_are_settings_with_clear_refusals() -> None:
    env = {"PARTYLEDGER_DATA_DIR": "/tmp/x", "PARTYLEDGER_RATE_LIMIT_PER_MINUTE": "120"}
    assert Settings.from_environment(env).rate_limit_per_minute == 120
    assert Settings.from_environment({"PARTYLEDGER_DATA_DIR": "/tmp/x"}).rate_limit_per_minute == 0
    production = {
        "PARTYLEDGER_ENVIRONMENT": "production",
        "PARTYLEDGER_SIGNING_KEY": "k" * 40,
        "PARTYLEDGER_PERSON_ID_KEY": "i" * 40,
        "PARTYLEDGER_DATA_KEK": "d" * 40,
    }
    assert Settings.from_environment(production | {"PARTYLEDGER_DATA_DIR": "/tmp/x"}).rate_limit_per_minute == 600
    with pytest.raises(SettingsError, match="PARTYLEDGER_MAX_BODY_BYTES"):
        Settings.from_environment({"PARTYLEDGER_MAX_BODY_BYTES": "12"})


def test_the_sixth_request_in_a_minute_is_429_with_retry_after(limited: tuple[Client, Settings]) -> None:
    client, settings = limited
    headers = bearer(settings, Role.VIEWER, CELL, user="busy.viewer")
    answers = [client.get(f"/units/{CELL}", headers=headers) for _ in range(6)]

    assert [a.status_code for a in answers] == [200] * 5 + [429]
    refused = answers[-1]
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["status"] == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["RateLimit-Remaining"] == "0"
    other = client.get(f"/units/{CELL}", headers=bearer(settings, Role.VIEWER, CELL, user="calm.viewer"))
    assert other.status_code == 200  # counted per user, not for everyone
    assert client.get("/health").status_code == 200  # probes are never limited
    client.app.state.ledger.denials.flush()  # recorded off the answer's path
    denials = [d for d in recent_denials(client.app.state.ledger.engine) if d.status == 429]
    assert [(d.user_id, d.verified) for d in denials] == [("busy.viewer", True)]


def test_a_flood_is_recorded_once_a_minute_not_once_a_request(limited: tuple[Client, Settings]) -> None:
    client, settings = limited
    headers = bearer(settings, Role.VIEWER, CELL, user="flooding.viewer")
    for _ in range(20):
        client.get(f"/units/{CELL}", headers=headers)
    client.app.state.ledger.denials.flush()  # recorded off the answer's path
    denials = recent_denials(client.app.state.ledger.engine)
    assert [d.user_id for d in denials if d.status == 429] == ["flooding.viewer"]


def test_a_body_over_the_limit_is_413_and_changes_nothing(limited: tuple[Client, Settings]) -> None:
    client, settings = limited
    before = log_state(settings)
    body = {"name": "Chi bộ " + "A" * 5000, "occurred_on": "2022-01-03", "expected_version": 8}
    headers = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province") | {"Idempotency-Key": "too-big-0001"}

    answer = client.post(f"/units/{CELL}/rename", json=body, headers=headers)

    assert answer.status_code == 413, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert log_state(settings) == before


def _redis_settings(settings: Settings, broker_url: str) -> Settings:
    return replace(settings, broker_url=broker_url, rate_limit_per_minute=3, queue=queue_name("limits"))


def test_api_processes_share_their_counts_through_redis(settings: Settings, redis_url: str) -> None:
    chosen = _redis_settings(settings, redis_url)
    headers = bearer(chosen, Role.VIEWER, CELL, user=f"shared-{uuid.uuid4().hex[:8]}")
    with TestClient(app=create_app(chosen)) as one, TestClient(app=create_app(chosen)) as two:
        statuses = [c.get(f"/units/{CELL}", headers=headers).status_code for c in (one, two, one, two)]
    assert statuses == [200, 200, 200, 429]


def test_with_redis_down_the_api_keeps_answering_and_counts_in_process(settings: Settings, tmp_path: Path) -> None:
    chosen = _redis_settings(settings, f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    headers = bearer(chosen, Role.VIEWER, CELL, user="offline.viewer")
    with TestClient(app=create_app(chosen)) as client:
        statuses = [client.get(f"/units/{CELL}", headers=headers).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_token_is_verified_once_per_request(
    limited: tuple[Client, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rate limiter, the guard and the record of a refusal all need the caller: one signature check."""
    import jwt

    client, settings = limited
    checks: list[str] = []
    real = jwt.decode

    def counted(token: str, *args: Any, **kwargs: Any) -> Any:
        checks.append(token)
        return real(token, *args, **kwargs)

    monkeypatch.setattr(jwt, "decode", counted)
    headers = bearer(settings, Role.VIEWER, CELL, user="counted.viewer")
    assert client.get(f"/units/{CELL}", headers=headers).status_code == 200
    assert client.get("/units/unit-elsewhere", headers=headers).status_code == 404  # refused and recorded
    assert len(checks) == 2
