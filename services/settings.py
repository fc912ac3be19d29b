"""Every setting in one place, read from the environment and checked once at start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


class SettingsError(ValueError):
    """A setting has a value the platform cannot run with; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if environ is None else environ)
        data_dir = Path(env.get("PARTYLEDGER_DATA_DIR", "data")).expanduser()
        database_url = env.get("PARTYLEDGER_DATABASE_URL") or f"sqlite:///{data_dir.resolve() / 'ledger.sqlite3'}"
        if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://", "postgresql+psycopg://")):
            raise SettingsError(
                f"PARTYLEDGER_DATABASE_URL must start with sqlite:/// or postgresql://, not {database_url!r}"
            )
        return cls(data_dir=data_dir, database_url=database_url)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environment()
