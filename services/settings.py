"""Every setting in one place, read from the environment and checked once at start.

Every bad value is reported at once, one line each naming its variable; `deploy/.env.example` lists them
all (a test holds the two together).
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from domain.retention import MAX_MONTHS, Outcome
from services.commands.person_ids import PersonIdKey

DEVELOPMENT_SIGNING_KEY = "partyledger-development-signing-key-not-for-production"
"""Signs the embedded default's demo tokens; production refuses to start with it."""

DATABASE_SCHEMES = ("sqlite:///", "postgresql://", "postgres://", "postgresql+psycopg://")
BROKER_SCHEMES = ("redis://", "rediss://", "sqla+sqlite:///", "memory://")
ENVIRONMENTS = ("development", "production")
"""Unset, the environment fails closed: development only on the embedded SQLite default (one user on
localhost); any server database is production, which refuses the public development signing key and limits
each caller's rate. A server database for development says so with PARTYLEDGER_ENVIRONMENT=development."""
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
SECRET_MINIMUM = 32
PLACEHOLDER = "change-me"
PERSON_KEY_FILE = "person-id.key"
"""Where a non-production deployment without PARTYLEDGER_PERSON_ID_KEY keeps the key it generated once."""
"""How deploy/.env.example marks a value the operator must replace; production refuses to start with one."""


class SettingsError(ValueError):
    """Settings the platform cannot run with; one line per bad value, each naming its variable."""


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
    access_minutes: float = 5.0
    """An account's access token lives this long: revoking a session takes effect within it."""
    rate_limit_per_minute: int = 0
    max_body_bytes: int = 256 * 1024
    app_role: str = "partyledger_app"
    app_password: str = ""
    metrics_token: str = ""
    trusted_proxies: tuple[str, ...] = ()
    replay_check_seconds: float = 120.0
    seal_key_file: Path | None = None
    """The Ed25519 private key (PEM) that signs seals: given to the sealing process only (I7)."""
    seal_queue: str = ""
    """The queue the seal task goes to; empty: `queue`. The stack gives it a worker of its own, the only
    process holding `seal_key_file`, so no projection worker ever needs the key."""
    seal_public_key_file: Path | None = None
    """Its public key (PEM): `verify` checks every seal's signature with it."""
    retention_months: tuple[tuple[str, int], ...] = ()
    """R-PRIVACY-RETAIN overrides (outcome → months) over `domain.retention.DEFAULT_MONTHS`."""
    retention_notice_days: int = 30
    """A file past its retention period is listed to its unit this many days before the daily run erases it."""
    oidc: tuple[str, str, str, str] = ("", "", "", "")
    """OpenID Connect: issuer, client id, client secret, redirect URI (`services/oidc.py`); off when empty."""
    person_id_key: str = ""
    data_kek: str = ""
    """Wraps every data subject's key (I13; `services/data_keys.py`). Required in production; elsewhere, unset,
    it is derived from the person-id key."""
    data_kek_previous: tuple[str, ...] = ()
    """KEKs being rotated out: they still unwrap keys until `partyledger keys rewrap` has re-wrapped them all."""
    """Keys person ids and the citizen index (services/commands/person_ids.py). Required in production; left
    empty elsewhere, one is generated once and kept in the data folder (`PERSON_KEY_FILE`)."""

    def person_key(self) -> PersonIdKey:
        """The deployment's person-id key: the setting, else (never in production) the data folder's own."""
        if self.person_id_key:
            return PersonIdKey.from_text(self.person_id_key)
        if self.environment == "production":
            raise SettingsError(f"PARTYLEDGER_PERSON_ID_KEY must be a secret of at least {SECRET_MINIMUM} characters")
        return PersonIdKey.from_text(_kept_key(self.data_dir / PERSON_KEY_FILE))

    @property
    def embedded(self) -> bool:
        return self.database_url.startswith("sqlite")

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        read = _Reader(os.environ if environ is None else environ)
        data_dir = read.directory("PARTYLEDGER_DATA_DIR", "data")
        database_url = read.url(
            "PARTYLEDGER_DATABASE_URL", f"sqlite:///{data_dir / 'ledger.sqlite3'}", DATABASE_SCHEMES
        )
        embedded = database_url.startswith("sqlite")
        broker_default = f"sqla+sqlite:///{data_dir / 'broker.sqlite3'}" if embedded else ""
        environment = read.choice("PARTYLEDGER_ENVIRONMENT", "development" if embedded else "production", ENVIRONMENTS)
        settings = cls(
            data_dir=data_dir,
            database_url=database_url,
            broker_url=read.url("PARTYLEDGER_BROKER_URL", broker_default, BROKER_SCHEMES),
            queue=read.name("PARTYLEDGER_QUEUE", "projections"),
            seal_queue=read.name("PARTYLEDGER_SEAL_QUEUE", "") if read.env.get("PARTYLEDGER_SEAL_QUEUE") else "",
            sweep_seconds=read.seconds("PARTYLEDGER_SWEEP_SECONDS", 30.0),
            seal_seconds=read.seconds("PARTYLEDGER_SEAL_SECONDS", 300.0),
            projection_batch=read.whole("PARTYLEDGER_PROJECTION_BATCH", 1000, (1, 100_000)),
            signing_key=read.secret("PARTYLEDGER_SIGNING_KEY", DEVELOPMENT_SIGNING_KEY, environment),
            environment=environment,
            token_hours=read.seconds("PARTYLEDGER_TOKEN_HOURS", 12.0),
            access_minutes=read.seconds("PARTYLEDGER_ACCESS_MINUTES", 5.0),
            app_role=read.role("PARTYLEDGER_APP_ROLE", app_role_for(database_url)),
            app_password=read.password("PARTYLEDGER_APP_PASSWORD", environment),
            **_api_walls(read, environment),
            seal_key_file=read.file("PARTYLEDGER_SEAL_KEY_FILE"),
            seal_public_key_file=read.file("PARTYLEDGER_SEAL_PUBLIC_KEY_FILE"),
            retention_months=read.retention("PARTYLEDGER_RETENTION_MONTHS"),
            retention_notice_days=read.whole("PARTYLEDGER_RETENTION_NOTICE_DAYS", 30, (1, 3650)),
            oidc=read.oidc(),
            person_id_key=read.person_key("PARTYLEDGER_PERSON_ID_KEY", environment),
            data_kek=read.person_key("PARTYLEDGER_DATA_KEK", environment),
            data_kek_previous=tuple(
                k.strip() for k in (read.env.get("PARTYLEDGER_DATA_KEK_PREVIOUS") or "").split(",") if k.strip()
            ),
        )
        if read.problems:
            raise SettingsError("\n".join(read.problems))
        return settings


def app_role_for(database_url: str) -> str:
    """The default app role of a ledger: `<database>_app`, one per ledger, so two ledgers on one PostgreSQL
    cluster never share a role (whose password `migrate` sets). The compose database `partyledger` keeps
    `partyledger_app`; any other URL (SQLite) names no role."""
    if not database_url.startswith(("postgresql", "postgres://")):
        return "partyledger_app"
    database = database_url.split("?", 1)[0].rsplit("/", 1)[-1] if "/" in database_url.split("://", 1)[1] else ""
    cleaned = re.sub(r"[^a-z0-9_]", "_", database.lower())
    if not cleaned or not re.match(r"[a-z_]", cleaned):
        return "partyledger_app"
    return cleaned[:59] + "_app"


def _api_walls(read: _Reader, environment: str) -> dict[str, Any]:
    """What the public API port holds callers to: rates, sizes, time, who may scrape, whose address to believe."""
    return {
        # Production limits each caller (600 requests a minute) by default; the embedded demo, one user on
        # localhost, does not unless asked. 0 turns the rate limit off.
        "rate_limit_per_minute": read.whole(
            "PARTYLEDGER_RATE_LIMIT_PER_MINUTE", 600 if environment == "production" else 0, (0, 1_000_000)
        ),
        "max_body_bytes": read.whole("PARTYLEDGER_MAX_BODY_BYTES", 256 * 1024, (1024, 64 << 20)),
        "metrics_token": read.scrape_token("PARTYLEDGER_METRICS_TOKEN", environment),
        "trusted_proxies": read.addresses("PARTYLEDGER_TRUSTED_PROXIES"),
        "replay_check_seconds": read.seconds("PARTYLEDGER_REPLAY_CHECK_SECONDS", 120.0),
    }


class _Reader:
    """Reads one variable at a time, noting every problem instead of stopping at the first."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env
        self.problems: list[str] = []

    def _raw(self, name: str, default: str) -> str:
        return self.env.get(name) or default

    def oidc(self) -> tuple[str, str, str, str]:
        """All four OpenID Connect values, or none (single sign-on is optional)."""
        names = ("PARTYLEDGER_OIDC_ISSUER", "PARTYLEDGER_OIDC_CLIENT_ID", "PARTYLEDGER_OIDC_CLIENT_SECRET",
                 "PARTYLEDGER_OIDC_REDIRECT_URI")  # fmt: skip
        values = tuple(self._raw(n, "").strip() for n in names)
        if any(values) and not all(values):
            self.problems.append("PARTYLEDGER_OIDC_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _REDIRECT_URI go together")
        return (values[0], values[1], values[2], values[3])

    def directory(self, name: str, default: str) -> Path:
        path = Path(self._raw(name, default)).expanduser().resolve()
        if path.exists() and not path.is_dir():
            self.problems.append(f"{name} must be a folder; {path} is a file")
        return path

    def url(self, name: str, default: str, schemes: tuple[str, ...]) -> str:
        value = self._raw(name, default)
        if not value:
            self.problems.append(f"{name} must be set (redis://host:6379/0) when the log is on PostgreSQL")
        elif not value.startswith(schemes):
            self.problems.append(f"{name} must start with one of {', '.join(schemes)}; got {value.split('://')[0]!r}")
        return value

    def file(self, name: str) -> Path | None:
        """An optional file that must exist when named."""
        value = self.env.get(name) or ""
        if not value:
            return None
        path = Path(value).expanduser().resolve()
        if not path.is_file():
            self.problems.append(f"{name} must name a file; {path} is not one")
        return path

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self._raw(name, default)
        if value not in choices:
            self.problems.append(f"{name} must be {' or '.join(choices)}; got {value!r}")
        return value

    def name(self, name: str, default: str) -> str:
        value = self._raw(name, default)
        if not value.replace("-", "").replace("_", "").replace(".", "").isalnum():
            self.problems.append(f"{name} must be letters, digits, '-', '_' or '.'; got {value!r}")
        return value

    def role(self, name: str, default: str) -> str:
        value = self._raw(name, default)
        if not ROLE_NAME.fullmatch(value):
            self.problems.append(f"{name} must be a PostgreSQL role name (a-z, 0-9, _; ≤ 63); got {value!r}")
        return value

    def seconds(self, name: str, default: float) -> float:
        value = self.env.get(name) or ""
        if not value:
            return default
        try:
            seconds = float(value)
        except ValueError:
            self.problems.append(f"{name} must be a number; got {value!r}")
            return default
        if not 0.1 <= seconds <= 86_400:
            self.problems.append(f"{name} must be between 0.1 and 86400; got {value}")
        return seconds

    def whole(self, name: str, default: int, bounds: tuple[int, int]) -> int:
        value = self.env.get(name) or ""
        if not value:
            return default
        if not value.isdigit() or not bounds[0] <= int(value) <= bounds[1]:
            self.problems.append(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}; got {value!r}")
            return default
        return int(value)

    def secret(self, name: str, default: str, environment: str) -> str:
        """Production must bring its own signing key: a token signed with the public development key proves
        nothing."""
        key = self._raw(name, default)
        weak = key == DEVELOPMENT_SIGNING_KEY or len(key) < SECRET_MINIMUM or key.startswith(PLACEHOLDER)
        if environment == "production" and weak:
            self.problems.append(f"{name} must be a secret of at least {SECRET_MINIMUM} characters in production")
        return key

    def person_key(self, name: str, environment: str) -> str:
        """Optional outside production (the data folder keeps a generated one); required in production, where
        ids made with a key anyone could read would be reversible again."""
        value = self.env.get(name) or ""
        weak = len(value.encode("utf-8")) < SECRET_MINIMUM or value.startswith(PLACEHOLDER)
        if (value or environment == "production") and weak:
            where = " in production" if environment == "production" and not value else ""
            self.problems.append(f"{name} must be a secret of at least {SECRET_MINIMUM} characters{where}")
        return value

    def password(self, name: str, environment: str) -> str:
        """Optional (only `partyledger migrate` reads it, to let the app role log in); never weak in production."""
        value = self.env.get(name) or ""
        if value and environment == "production" and (len(value) < 16 or value.startswith(PLACEHOLDER)):
            self.problems.append(f"{name} must be a secret of at least 16 characters in production, not {PLACEHOLDER}…")
        return value

    def scrape_token(self, name: str, environment: str) -> str:
        """Empty (the default) serves no /metrics at all; set, Prometheus must send it as its bearer token.
        The metrics tell an outsider the traffic and which rules refuse whom, so it is a secret in production."""
        value = self.env.get(name) or ""
        if value and environment == "production" and (len(value) < SECRET_MINIMUM or value.startswith(PLACEHOLDER)):
            self.problems.append(f"{name} must be a secret of at least {SECRET_MINIMUM} characters in production")
        return value

    def retention(self, name: str) -> tuple[tuple[str, int], ...]:
        """`rejected=24,withdrawn=36`: R-PRIVACY-RETAIN periods the province sets instead of the defaults."""
        pairs: list[tuple[str, int]] = []
        for entry in (e.strip() for e in (self.env.get(name) or "").split(",") if e.strip()):
            outcome, _, months = entry.partition("=")
            outcome, months = outcome.strip(), months.strip()
            if outcome not in {o.value for o in Outcome}:
                known = ", ".join(o.value for o in Outcome)
                self.problems.append(f"{name}: {outcome!r} is not an outcome (one of {known})")
            elif not months.isdigit() or not 1 <= int(months) <= MAX_MONTHS:
                self.problems.append(f"{name}: months for {outcome} must be a whole number from 1 to {MAX_MONTHS}")
            else:
                pairs.append((outcome, int(months)))
        return tuple(pairs)

    def addresses(self, name: str) -> tuple[str, ...]:
        """Comma-separated addresses or ranges of our own proxies, whose X-Forwarded-For the API believes."""
        entries = tuple(e.strip() for e in (self.env.get(name) or "").split(",") if e.strip())
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                self.problems.append(f"{name} must be IP addresses or ranges (10.0.0.5, 10.0.0.0/24); got {entry!r}")
        return entries


def _kept_key(path: Path) -> str:
    """The key in `path`, generated there (owner-only) the first time it is asked for; written beside and
    linked into place, so a second process starting at the same moment reads the same whole key."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
        fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass  # another process of the same deployment kept its key first: read theirs
        finally:
            fresh.unlink()
    return path.read_text(encoding="ascii").strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_environment()
