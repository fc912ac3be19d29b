"""A throw-away application role for the tests that migrate a database and connect as that role."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator

import psycopg
import pytest


@pytest.fixture
def app_role(postgres_url: str, postgres_server_url: str) -> Iterator[tuple[str, str]]:
    """A role of its own per test (roles belong to the whole cluster), dropped with its grants afterwards."""
    role, password = f"partyledger_app_{uuid.uuid4().hex[:8]}", secrets.token_hex(12)
    yield role, password
    with psycopg.connect(postgres_url, autocommit=True) as owner:
        owner.execute(f"DROP OWNED BY {role}")
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        admin.execute(f"DROP ROLE IF EXISTS {role}")


def as_role(url: str, role: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}:{password}@{rest.split('@', 1)[1]}"
