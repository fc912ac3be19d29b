"""Security probes run against the in-process API over an embedded ledger (the e2e fixtures), with a member
enrolled in unit-school-cell-1 to aim at, and the log's fingerprint to prove a refusal changed nothing."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from eventstore import open_store, verify_store
from services.settings import Settings
from tests.e2e.conftest import Client, client, settings  # noqa: F401  # the e2e fixtures, shared
from tests.e2e.desk import Desk


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
