"""Fixtures shared by every layer: real servers, fresh databases, and the CI rule that nothing is skipped."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest

from tests.support.queues import remove_run_keys
from tests.support.servers import in_ci, postgres_server, redis_server

SERVER_MARKERS = {"postgres_url": "postgres", "postgres_server_url": "postgres", "redis_url": "redis"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that touches a real server, so CI can prove none of them was skipped."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        for fixture, marker in SERVER_MARKERS.items():
            if fixture in fixtures:
                item.add_marker(marker)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "postgres" in callspec.id.split("-"):
            item.add_marker("postgres")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, exitstatus: int) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    server_skips = [r for r in skipped if {"postgres", "redis"} & set(getattr(r, "keywords", {}))]
    if in_ci() and server_skips:
        terminalreporter.section("server tests skipped in CI", red=True)
        for report in server_skips:
            terminalreporter.line(f"SKIPPED {report.nodeid}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or not in_ci():
        return
    skipped = reporter.stats.get("skipped", [])
    if any({"postgres", "redis"} & set(getattr(r, "keywords", {})) for r in skipped):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A database of its own, dropped afterwards, so runs and tests never collide."""
    name = f"partyledger_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield server_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(server_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh database for one test."""
    with fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture
def other_database(postgres_server_url: str) -> Iterator[str]:
    """A second fresh database on the same server (a migrated twin, or a neighbour sharing the cluster)."""
    with fresh_database(postgres_server_url) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url
        remove_run_keys(url)  # the queues this run named, and what they left behind
