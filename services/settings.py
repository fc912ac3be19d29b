"""Every setting in one place, read from the environment and checked once at start.

Each bad value gets its own clear message naming the variable; `deploy/.env.example` lists them all.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DEVELOPMENT_SIGNING_KEY = "partyledger-development-signing-key-not-for-production"
"""Signs the embedded default's demo tokens; production refuses to start with it."""

DATABASE_SCHEMES = ("sqlite:///", "postgresql://", "postgres://", "postgresql+psycopg://")
BROKER_SCHEMES = ("redis://", "rediss://", "sqla+sqlite:///", "memory://")


class SettingsError(ValueError):
    """A setting has a value the platform cannot run with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    broker_url: str
    queue: str = "projections"
    sweep_seconds: float = 30.0
    seal_seconds: float = 300.0
    projection_batch: int = 1000
    signing_key: str = DEVELOPMENT_SIGNING_KEY
    environment: str = "development"
    token_hours: float = 12.0
    rate_limit_per_minute: int = 0
    max_body_bytes: int = 256 * 1024

    @property
    def embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("PARTYLEDGER_DATA_DIR") or "data").expanduser().resolve()
        database_url = env.get("PARTYLEDGER_DATABASE_URL") or f"sqlite:///{data_dir / 'ledger.sqlite3'}"
        _require_scheme("PARTYLEDGER_DATABASE_URL", database_url, DATABASE_SCHEMES)
        broker_url = env.get("PARTYLEDGER_BROKER_URL") or _default_broker(database_url, data_dir)
        _require_scheme("PARTYLEDGER_BROKER_URL", broker_url, BROKER_SCHEMES)
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            broker_url=broker_url,
            queue=_name("PARTYLEDGER_QUEUE", env.get("PARTYLEDGER_QUEUE") or "projections"),
            sweep_seconds=_seconds("PARTYLEDGER_SWEEP_SECONDS", env.get("PARTYLEDGER_SWEEP_SECONDS"), 30.0),
            seal_seconds=_seconds("PARTYLEDGER_SEAL_SECONDS", env.get("PARTYLEDGER_SEAL_SECONDS"), 300.0),
            projection_batch=_count("PARTYLEDGER_PROJECTION_BATCH", env.get("PARTYLEDGER_PROJECTION_BATCH"), 1000),
            **_security(env),
            **_limits(env),
        )


def _security(env: Mapping[str, str]) -> dict[str, Any]:
    """Production must bring its own signing key: a token signed with the public development key proves nothing."""
    environment = env.get("PARTYLEDGER_ENVIRONMENT") or "development"
    if environment not in {"development", "production"}:
        raise SettingsError(f"PARTYLEDGER_ENVIRONMENT must be development or production; got {environment!r}")
    key = env.get("PARTYLEDGER_SIGNING_KEY") or DEVELOPMENT_SIGNING_KEY
    if environment == "production" and (key == DEVELOPMENT_SIGNING_KEY or len(key) < 32):
        raise SettingsError("PARTYLEDGER_SIGNING_KEY must be set to a secret of at least 32 characters in production")
    hours = _seconds("PARTYLEDGER_TOKEN_HOURS", env.get("PARTYLEDGER_TOKEN_HOURS"), 12.0)
    return {"signing_key": key, "environment": environment, "token_hours": hours}


def _limits(env: Mapping[str, str]) -> dict[str, Any]:
    """Production limits each caller (600 requests a minute) by default; the embedded demo, one user on
    localhost, does not unless asked. 0 turns the rate limit off."""
    production = env.get("PARTYLEDGER_ENVIRONMENT") == "production"
    rate = _whole("PARTYLEDGER_RATE_LIMIT_PER_MINUTE", env.get("PARTYLEDGER_RATE_LIMIT_PER_MINUTE"),
                  600 if production else 0, (0, 1_000_000))  # fmt: skip
    body = _whole("PARTYLEDGER_MAX_BODY_BYTES", env.get("PARTYLEDGER_MAX_BODY_BYTES"), 256 * 1024, (1024, 64 << 20))
    return {"rate_limit_per_minute": rate, "max_body_bytes": body}


def _default_broker(database_url: str, data_dir: Path) -> str:
    """The embedded default needs no server: kombu's SQLAlchemy transport on a SQLite file."""
    if database_url.startswith("sqlite"):
        return f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}"
    raise SettingsError("PARTYLEDGER_BROKER_URL must be set (redis://host:6379/0) when the log is on PostgreSQL")


def _require_scheme(name: str, value: str, schemes: tuple[str, ...]) -> None:
    if not value.startswith(schemes):
        raise SettingsError(f"{name} must start with one of {', '.join(schemes)}; got {value.split('://')[0]!r}")


def _name(name: str, value: str) -> str:
    if not value.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise SettingsError(f"{name} must be letters, digits, '-', '_' or '.'; got {value!r}")
    return value


def _seconds(name: str, value: str | None, default: float) -> float:
    if value is None or value == "":
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds; got {value!r}") from None
    if not 0.1 <= seconds <= 86_400:
        raise SettingsError(f"{name} must be between 0.1 and 86400 seconds; got {value}")
    return seconds


def _count(name: str, value: str | None, default: int) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or not 1 <= int(value) <= 100_000:
        raise SettingsError(f"{name} must be a whole number from 1 to 100000; got {value!r}")
    return int(value)


def _whole(name: str, value: str | None, default: int, bounds: tuple[int, int]) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or not bounds[0] <= int(value) <= bounds[1]:
        raise SettingsError(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}; got {value!r}")
    return int(value)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environment()
