"""The environment fails closed: a server database without an explicit PARTYLEDGER_ENVIRONMENT is production,
which will not run with the public development signing key (whose tokens anyone can forge) nor without a
rate limit. Only the embedded SQLite default is development unless told otherwise."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from eventstore import open_store
from services.settings import Settings, SettingsError
from tests.support.processes import BIN, free_port

KEY = "s" * 40


def server_env(postgres_url: str, redis_url: str, folder: Path) -> dict[str, str]:
    """A server deployment that forgot PARTYLEDGER_ENVIRONMENT (and, here, the signing key)."""
    return {
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_DATA_DIR": str(folder),
    }


def test_a_server_database_without_an_environment_is_production(tmp_path: Path) -> None:
    env = server_env("postgresql://ledger@db/ledger", "redis://redis:6379/0", tmp_path)

    with pytest.raises(SettingsError, match="PARTYLEDGER_SIGNING_KEY must be a secret"):
        Settings.from_environment(env)
    keys = {"PARTYLEDGER_SIGNING_KEY": KEY, "PARTYLEDGER_PERSON_ID_KEY": KEY, "PARTYLEDGER_DATA_KEK": KEY}
    settings = Settings.from_environment(env | keys)
    assert (settings.environment, settings.rate_limit_per_minute) == ("production", 600)


def test_development_on_a_server_database_must_be_asked_for(tmp_path: Path) -> None:
    env = server_env("postgresql://ledger@db/ledger", "redis://redis:6379/0", tmp_path)
    assert Settings.from_environment(env | {"PARTYLEDGER_ENVIRONMENT": "development"}).environment == "development"
    assert Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path)}).environment == "development"


def test_the_api_on_postgresql_refuses_to_start_with_the_development_key(
    postgres_url: str, redis_url: str, tmp_path: Path
) -> None:
    """Was: the server ran as development and a forged provincial administrator's token was answered 200."""
    open_store(postgres_url).close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARTYLEDGER_")}
    command = [str(BIN / "uvicorn"), "--factory", "services.api.app:create_server_app", "--port", str(free_port())]
    try:
        started = subprocess.run(
            command, env=env | server_env(postgres_url, redis_url, tmp_path), capture_output=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        pytest.fail("the API served a server database with the public development signing key")
    assert started.returncode != 0
    assert b"PARTYLEDGER_SIGNING_KEY must be a secret" in started.stderr
