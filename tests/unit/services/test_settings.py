"""Settings are read once from the environment, and every bad value is refused naming its variable."""

from __future__ import annotations

import re
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
            "PARTYLEDGER_SIGNING_KEY": "k" * 40,
            "PARTYLEDGER_PERSON_ID_KEY": "i" * 40,
            "PARTYLEDGER_DATA_KEK": "d" * 40,
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


ROOT = Path(__file__).resolve().parents[3]


def test_every_setting_read_is_listed_in_the_env_example() -> None:
    read = set(re.findall(r'"(PARTYLEDGER_[A-Z_]+)"', (ROOT / "services" / "settings.py").read_text()))
    listed = {
        line.split("=", 1)[0]
        for line in (ROOT / "deploy" / ".env.example").read_text().splitlines()
        if line.startswith("PARTYLEDGER_")
    }
    assert len(read) >= 12
    assert read == listed


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PARTYLEDGER_ENVIRONMENT", "staging", "PARTYLEDGER_ENVIRONMENT must be development or production"),
        ("PARTYLEDGER_TOKEN_HOURS", "forever", "PARTYLEDGER_TOKEN_HOURS must be a number"),
        ("PARTYLEDGER_TOKEN_HOURS", "100000", "PARTYLEDGER_TOKEN_HOURS must be between"),
        ("PARTYLEDGER_PROJECTION_BATCH", "1000000", "PARTYLEDGER_PROJECTION_BATCH must be a whole number"),
        ("PARTYLEDGER_APP_ROLE", "App Role", "PARTYLEDGER_APP_ROLE must be a PostgreSQL role name"),
        ("PARTYLEDGER_APP_ROLE", "x" * 64, "PARTYLEDGER_APP_ROLE must be a PostgreSQL role name"),
    ],
)
def test_more_bad_values_are_refused(variable: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_environment({variable: value})


def test_a_data_dir_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(SettingsError, match="PARTYLEDGER_DATA_DIR must be a folder"):
        Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(tmp_path / "file")})


def test_production_refuses_the_placeholders_of_the_env_example() -> None:
    example = dict(
        line.split("=", 1)
        for line in (ROOT / "deploy" / ".env.example").read_text().splitlines()
        if line.startswith("PARTYLEDGER_")
    )
    example["PARTYLEDGER_DATABASE_URL"] = "postgresql://partyledger_app:x@postgres/partyledger"
    example["PARTYLEDGER_BROKER_URL"] = "redis://redis:6379/0"
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment(example)
    assert [line.split(" ", 1)[0] for line in str(refused.value).splitlines()] == [
        "PARTYLEDGER_SIGNING_KEY",
        "PARTYLEDGER_APP_PASSWORD",
        "PARTYLEDGER_PERSON_ID_KEY",
        "PARTYLEDGER_DATA_KEK",
    ]
    example |= {"PARTYLEDGER_SIGNING_KEY": "k" * 40, "PARTYLEDGER_APP_PASSWORD": "p" * 20}
    example |= {"PARTYLEDGER_PERSON_ID_KEY": "i" * 40, "PARTYLEDGER_DATA_KEK": "d" * 40}
    assert Settings.from_environment(example).app_role == "partyledger_app"


def test_every_bad_value_is_reported_at_once_one_line_each() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment(
            {"PARTYLEDGER_QUEUE": "a b", "PARTYLEDGER_SWEEP_SECONDS": "-1", "PARTYLEDGER_BROKER_URL": "amqp://x"}
        )
    lines = str(refused.value).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "PARTYLEDGER_BROKER_URL",
        "PARTYLEDGER_QUEUE",
        "PARTYLEDGER_SWEEP_SECONDS",
    ]


def test_the_seal_task_goes_to_its_own_queue_when_one_is_named(tmp_path: Path) -> None:
    """The stack's sealer consumes `PARTYLEDGER_SEAL_QUEUE` alone, so only it needs the sealing key (I7);
    unnamed, seals go where the projections go (the embedded demo's one worker)."""
    from services.worker.app import create_app

    base = {"PARTYLEDGER_DATA_DIR": str(tmp_path)}
    own = create_app(Settings.from_environment(base | {"PARTYLEDGER_SEAL_QUEUE": "seals"})).amqp.router
    shared = create_app(Settings.from_environment(base)).amqp.router

    assert own.route({}, "partyledger.seal")["queue"].name == "seals"
    assert own.route({}, "partyledger.sweep")["queue"].name == "projections"
    assert shared.route({}, "partyledger.seal")["queue"].name == "projections"
