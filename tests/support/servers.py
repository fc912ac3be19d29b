"""Where the tests find real servers: a URL from the environment, else a container, else a clear answer.

In CI (`PARTYLEDGER_CI=1` or `CI=true`) a missing server is a failure, never a skip: a green run must have
exercised PostgreSQL and Redis.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ENV = "PARTYLEDGER_TEST_POSTGRES_URL"
REDIS_ENV = "PARTYLEDGER_TEST_REDIS_URL"


def in_ci() -> bool:
    return os.environ.get("PARTYLEDGER_CI") == "1" or os.environ.get("CI", "").lower() == "true"


def unavailable(what: str, env: str) -> None:
    """Fail in CI, skip elsewhere, and say how to provide the server either way."""
    message = f"{what} is needed: set {env} to a server URL, or run a Docker daemon so testcontainers can start one"
    if in_ci():
        pytest.fail(f"CI must not skip: {message}", pytrace=False)
    pytest.skip(message)


def docker_answers() -> bool:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


@contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL whose user may create databases."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        yield url
        return
    if not docker_answers():
        unavailable("PostgreSQL", POSTGRES_ENV)
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:16-alpine", driver="psycopg") as container:
        yield container.get_connection_url().replace("postgresql+psycopg://", "postgresql://")


@contextmanager
def redis_server() -> Iterator[str]:
    url = os.environ.get(REDIS_ENV)
    if url:
        yield url
        return
    if not docker_answers():
        unavailable("Redis", REDIS_ENV)
    from testcontainers.redis import RedisContainer

    with RedisContainer("redis:7-alpine") as container:
        host, port = container.get_container_host_ip(), container.get_exposed_port(6379)
        yield f"redis://{host}:{port}/0"
