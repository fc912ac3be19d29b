"""A database that goes away answers 503 problem details with Retry-After (never 500; a Vietnamese page on the
dashboard), and the API serves again as soon as it is back, without a restart (its own private cluster:
stopping the shared one is not ours)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import bearer
from tests.e2e.web_support import sign_in
from tests.support.person_ids import KEY_SETTING
from tests.support.private_postgres import private_postgres
from tests.support.queues import queue_name


def test_the_api_answers_503_while_the_database_is_down_and_recovers(tmp_path: Path) -> None:
    with private_postgres() as postgres:
        store = open_store(postgres.url)
        seed_minimal_province(store)
        store.close()
        env = {"PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
        settings = replace(Settings.from_environment(env), database_url=postgres.url, queue=queue_name("outage"))
        viewer = bearer(settings, Role.VIEWER, "unit-school")
        with TestClient(app=create_app(settings)) as client:
            assert client.get("/units/unit-school", headers=viewer).status_code == 200
            sign_in(client, settings, Role.VIEWER, "unit-school")
            postgres.stop()

            started = time.monotonic()
            down = client.get("/units/unit-school", headers=viewer)

            assert down.status_code == 503, down.text
            assert time.monotonic() - started < 15  # a bounded wait for a connection, not 30 s per request
            assert down.headers["content-type"].startswith("application/problem+json")
            assert down.headers["Retry-After"] == "1"
            assert "Idempotency-Key" in down.json()["detail"]
            page = client.get("/web/units/unit-school")  # an officer's page says it in Vietnamese, not JSON
            assert page.status_code == 503 and page.headers["Retry-After"] == "1"
            assert page.headers["content-type"].startswith("text/html")
            assert "Máy chủ tạm mất kết nối tới cơ sở dữ liệu" in page.text
            postgres.start()
            assert client.get("/units/unit-school", headers=viewer).status_code == 200
