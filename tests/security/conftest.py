"""Security probes run against the in-process API over an embedded ledger (the e2e fixtures), with a member
enrolled in unit-school-cell-1 to aim at, and the log's fingerprint to prove a refusal changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from eventstore import open_store, verify_store
from services.api.app import create_app
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import Client, client, settings  # noqa: F401  # the e2e fixtures, shared
from tests.e2e.desk import Desk
from tests.support.person_ids import KEY_SETTING


@dataclass(frozen=True)
class LogState:
    events: int
    head: int


def log_state(config: Settings) -> LogState:
    """Event count and head, after checking every hash and chain (a refusal must leave both as they were)."""
    store = open_store(config.database_url, create=False)
    try:
        report = verify_store(store)
    finally:
        store.close()
    assert report.ok, report.summary()
    return LogState(report.events_checked, report.head_position)


@pytest.fixture
def member(client: Client, settings: Settings) -> str:  # noqa: F811
    """A member of unit-school-cell-1."""
    return Desk(client, settings).enrol(1)


World = tuple[Client, Settings, str, dict[str, Any]]
"""One API for a module's many probes: client, settings, a member of unit-school-cell-1, the OpenAPI document."""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder: Path = tmp_path_factory.mktemp("probes")
    config = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    store = open_store(config.database_url)
    seed_minimal_province(store)
    store.close()
    with TestClient(app=create_app(config)) as test_client:
        member = Desk(test_client, config).enrol(1)
        yield test_client, config, member, test_client.get("/schema/openapi.json").json()
