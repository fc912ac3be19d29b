"""Settings are read once from the environment, and every bad value is refused naming its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.settings import Settings, SettingsError


def test_the_embedded_default_needs_no_server(tmp_path: Path) -> None:
    settings = Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    assert settings.broker_url == f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
    assert settings.embedded
    assert (settings.queue, settings.sweep_seconds, settings.projection_batch) == ("projections", 30.0, 1000)


def test_production_reads_every_value(tmp_path: Path) -> None:
    settings = Settings.from_environment(
        {
            "PARTYLEDGER_DATABASE_URL": "postgresql://ledger@db:5432/ledger",
            "PARTYLEDGER_BROKER_URL": "redis://redis:6379/0",
            "PARTYLEDGER_QUEUE": "projections-hn",
            "PARTYLEDGER_SWEEP_SECONDS": "5",
            "PARTYLEDGER_SEAL_SECONDS": "60",
            "PARTYLEDGER_PROJECTION_BATCH": "200",
        }
    )
    assert not settings.embedded
    assert (settings.queue, settings.sweep_seconds, settings.seal_seconds, settings.projection_batch) == (
        "projections-hn",
        5.0,
        60.0,
        200,
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PARTYLEDGER_DATABASE_URL", "mysql://x/y", "PARTYLEDGER_DATABASE_URL must start with"),
        ("PARTYLEDGER_BROKER_URL", "amqp://guest@x//", "PARTYLEDGER_BROKER_URL must start with"),
        ("PARTYLEDGER_QUEUE", "bad queue!", "PARTYLEDGER_QUEUE must be letters"),
        ("PARTYLEDGER_SWEEP_SECONDS", "soon", "PARTYLEDGER_SWEEP_SECONDS must be a number"),
        ("PARTYLEDGER_SEAL_SECONDS", "0", "PARTYLEDGER_SEAL_SECONDS must be between"),
        ("PARTYLEDGER_PROJECTION_BATCH", "-3", "PARTYLEDGER_PROJECTION_BATCH must be a whole number"),
    ],
)
def test_a_bad_value_is_refused_with_its_variable_named(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_environment({variable: value})


def test_postgres_without_a_broker_is_refused() -> None:
    with pytest.raises(SettingsError, match="PARTYLEDGER_BROKER_URL must be set"):
        Settings.from_environment({"PARTYLEDGER_DATABASE_URL": "postgresql://ledger@db/ledger"})
