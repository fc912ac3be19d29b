"""The API in-process (Litestar's TestClient) over an embedded ledger seeded with the top of a province."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Actor, Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from services.tokens import issue_token
from tests.support.person_ids import KEY_SETTING

Client = TestClient[Litestar]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    return settings


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


def bearer(settings: Settings, role: Role, unit: str, user: str = "user-test") -> dict[str, str]:
    token = issue_token(Actor(user, role, unit), settings.signing_key, hours=1)
    return {"Authorization": f"Bearer {token}"}
