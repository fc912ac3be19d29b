"""Two ledgers on one PostgreSQL cluster: each `migrate` grants its own app role (`<database>_app` unless
PARTYLEDGER_APP_ROLE names one), so migrating one never resets the other's password; naming the other
ledger's role is refused before anything changes."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from click.testing import CliRunner

from services.cli.main import cli
from services.settings import app_role_for

from .conftest import as_role


@pytest.fixture
def roles(postgres_server_url: str) -> Iterator[list[str]]:
    """Roles the test's migrations create; dropped after both databases are (roles belong to the cluster)."""
    made: list[str] = []
    yield made
    with psycopg.connect(postgres_server_url, autocommit=True) as admin:
        for role in made:
            admin.execute(f"DROP ROLE IF EXISTS {role}")


def migrate(url: str, password: str, role: str | None = None) -> tuple[int, str]:
    env = {"PARTYLEDGER_APP_PASSWORD": password, "PARTYLEDGER_APP_ROLE": role or ""}
    result = CliRunner().invoke(cli, ["migrate", "--database-url", url], env=env)
    return result.exit_code, result.output


def appends_as(url: str, role: str, password: str) -> int:
    with psycopg.connect(as_role(url, role, password)) as app:
        found = app.execute("SELECT count(*) FROM event_log").fetchone()
    return int(found[0]) if found else -1


def test_each_ledger_gets_its_own_role_and_keeps_its_password(
    roles: list[str], postgres_url: str, other_database: str
) -> None:
    first, second = app_role_for(postgres_url), app_role_for(other_database)
    roles.extend([first, second])
    assert first != second and first.endswith("_app")
    one, two = secrets.token_hex(12), secrets.token_hex(12)

    assert migrate(postgres_url, one)[0] == 0
    assert migrate(other_database, two)[0] == 0
    assert migrate(other_database, two)[0] == 0  # again: the second ledger's migrate touches only its own role

    assert appends_as(postgres_url, first, one) == 0
    assert appends_as(other_database, second, two) == 0
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        appends_as(other_database, first, one)  # a ledger's role reads no other ledger's log


def test_naming_the_other_ledgers_role_is_refused_in_one_line(
    roles: list[str], postgres_url: str, other_database: str
) -> None:
    first = app_role_for(postgres_url)
    roles.append(first)
    password = secrets.token_hex(12)
    assert migrate(postgres_url, password)[0] == 0

    code, output = migrate(other_database, "another-password-0123", role=first)

    assert code == 1
    assert output.strip().splitlines()[-1].startswith(f"Error: role {first} is the app role of the ledger in database")
    assert appends_as(postgres_url, first, password) == 0  # its password was not reset
