"""Credentials and sessions, kept beside the log and never in it: a password hash, a TOTP secret or a session
is not a fact of the party's history, must be replaceable, and must never be copied into an export or a seal.

Three tables in the read models' database: `credentials` (one row per account: hash, first-sign-in change,
TOTP), `auth_sessions` (a refresh token's hash, the assignment it acts in, when it ends or was revoked) and
`sign_in_attempts` (append-only like the denial records: who tried, from where, and how it went; the
throttling and the lockout are counted from it). One function creates them (the API at start, the CLI and the
Alembic revision 0009 alike).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import sqlalchemy as sa

from projections.schema import SCHEMA_LOCK_ID
from services.record_tables import guard_statements

metadata = sa.MetaData()
Stamp = sa.DateTime(timezone=True)

credentials = sa.Table(
    "credentials",
    metadata,
    sa.Column("user_id", sa.Text, primary_key=True),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("must_change", sa.Boolean, nullable=False),
    sa.Column("totp_secret", sa.Text, nullable=True),
    sa.Column("changed_at", Stamp, nullable=False),
)
auth_sessions = sa.Table(
    "auth_sessions",
    metadata,
    sa.Column("session_id", sa.Text, primary_key=True),
    sa.Column("user_id", sa.Text, nullable=False, index=True),
    sa.Column("assignment_id", sa.Text, nullable=True, index=True),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("unit_id", sa.Text, nullable=False),
    sa.Column("secret_hash", sa.Text, nullable=False),
    sa.Column("created_at", Stamp, nullable=False),
    sa.Column("expires_at", Stamp, nullable=False),
    sa.Column("refreshed_at", Stamp, nullable=False),
    sa.Column("revoked_at", Stamp, nullable=True),
    sa.Column("client", sa.Text, nullable=False),
)
sign_in_attempts = sa.Table(
    "sign_in_attempts",
    metadata,
    sa.Column("attempt_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", Stamp, nullable=False, index=True),
    sa.Column("user_id", sa.Text, nullable=True, index=True),
    sa.Column("client", sa.Text, nullable=False, index=True),
    sa.Column("outcome", sa.Text, nullable=False),
)
TABLES: Final = (credentials, auth_sessions, sign_in_attempts)

SUCCESS: Final = "success"
FAILURES: Final = ("wrong_password", "unknown_login", "wrong_totp")


@dataclass(frozen=True)
class Credential:
    user_id: str
    password_hash: str
    must_change: bool
    totp_secret: str | None


@dataclass(frozen=True)
class SessionRow:
    session_id: str
    user_id: str
    assignment_id: str | None
    role: str
    unit_id: str
    secret_hash: str
    created_at: datetime
    expires_at: datetime
    refreshed_at: datetime
    revoked_at: datetime | None
    client: str


@dataclass(frozen=True)
class Attempt:
    at: datetime
    user_id: str | None
    client: str
    outcome: str


def create_credential_tables(bind: sa.Engine | sa.Connection) -> None:
    """Create what is missing (the attempts record append-only, as the denial records are)."""
    if isinstance(bind, sa.Connection):
        _create(bind)
        return
    with bind.begin() as connection:
        _create(connection)


def _create(connection: sa.Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(SCHEMA_LOCK_ID)))
    inspector = sa.inspect(connection)
    for table in TABLES:
        if inspector.has_table(table.name):
            continue
        table.create(connection)
        if table is sign_in_attempts:
            for statement in guard_statements(table.name, connection.dialect.name):
                connection.exec_driver_sql(statement)


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """The app changes credentials and sessions (a new hash, a revocation) but only adds sign-in attempts."""
    quote = connection.dialect.identifier_preparer.quote
    for table in (credentials, auth_sessions):
        connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE ON {quote(table.name)} TO {quote(role)}")
    connection.exec_driver_sql(f"GRANT SELECT, INSERT ON {quote(sign_in_attempts.name)} TO {quote(role)}")
    sequence = connection.scalar(sa.select(sa.func.pg_get_serial_sequence(sign_in_attempts.name, "attempt_id")))
    if sequence:
        connection.exec_driver_sql(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {quote(role)}")


class CredentialStore:
    """Reads and writes of the three tables; one per process, over the read models' engine."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def credential(self, user_id: str) -> Credential | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(credentials).where(credentials.c.user_id == user_id)).first()
        return Credential(row.user_id, row.password_hash, row.must_change, row.totp_secret) if row else None

    def set_password(self, user_id: str, password_hash: str, *, must_change: bool, now: datetime) -> None:
        values: dict[str, Any] = {"password_hash": password_hash, "must_change": must_change, "changed_at": now}
        with self.engine.begin() as connection:
            done = connection.execute(sa.update(credentials).where(credentials.c.user_id == user_id).values(**values))
            if not done.rowcount:
                connection.execute(sa.insert(credentials).values(user_id=user_id, **values))

    def set_totp(self, user_id: str, secret: str | None) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sa.update(credentials).where(credentials.c.user_id == user_id).values(totp_secret=secret)
            )

    def record_attempt(self, attempt: Attempt) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                sa.insert(sign_in_attempts).values(
                    at=attempt.at, user_id=attempt.user_id, client=attempt.client[:100], outcome=attempt.outcome
                )
            )

    def failures_since_success(self, user_id: str, since: datetime) -> list[datetime]:
        """The account's failed attempts after `since` and after its last good sign-in (the lockout counts)."""
        table = sign_in_attempts
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(table.c.at, table.c.outcome)
                .where(table.c.user_id == user_id, table.c.at >= since)
                .order_by(table.c.attempt_id)
            ).all()
        failures: list[datetime] = []
        for at, outcome in rows:
            failures = [] if outcome == SUCCESS else ([*failures, _aware(at)] if outcome in FAILURES else failures)
        return failures

    def failures_from(self, client: str, since: datetime) -> int:
        table = sign_in_attempts
        with self.engine.connect() as connection:
            return int(
                connection.scalar(
                    sa.select(sa.func.count()).where(
                        table.c.client == client[:100], table.c.at >= since, table.c.outcome.in_(FAILURES)
                    )
                )
                or 0
            )

    def attempts(self, user_ids: Sequence[str], *, limit: int = 200) -> list[Attempt]:
        table = sign_in_attempts
        with self.engine.connect() as connection:
            rows = connection.execute(
                sa.select(table.c.at, table.c.user_id, table.c.client, table.c.outcome)
                .where(table.c.user_id.in_(list(user_ids)))
                .order_by(table.c.attempt_id.desc())
                .limit(limit)
            ).all()
        return [Attempt(_aware(r.at), r.user_id, r.client, r.outcome) for r in rows]

    def open_session(self, row: SessionRow) -> None:
        with self.engine.begin() as connection:
            connection.execute(sa.insert(auth_sessions).values(**row.__dict__))

    def session(self, session_id: str) -> SessionRow | None:
        with self.engine.connect() as connection:
            row = connection.execute(sa.select(auth_sessions).where(auth_sessions.c.session_id == session_id)).first()
        if row is None:
            return None
        values = dict(row._mapping)
        for key in ("created_at", "expires_at", "refreshed_at", "revoked_at"):
            values[key] = _aware(values[key]) if values[key] is not None else None
        return SessionRow(**values)

    def rotate(self, session_id: str, old_hash: str, new_hash: str, now: datetime) -> bool:
        """Replace the refresh secret only if it is still the one presented (a replayed token loses the race)."""
        with self.engine.begin() as connection:
            done = connection.execute(
                sa.update(auth_sessions)
                .where(
                    auth_sessions.c.session_id == session_id,
                    auth_sessions.c.secret_hash == old_hash,
                    auth_sessions.c.revoked_at.is_(None),
                )
                .values(secret_hash=new_hash, refreshed_at=now)
            )
            return bool(done.rowcount)

    def revoke(
        self,
        now: datetime,
        *,
        session_id: str | None = None,
        user_id: str | None = None,
        assignment_id: str | None = None,
    ) -> int:
        """Revoke one session, every session of a user, or every session acting in an assignment."""
        table = auth_sessions
        where: list[sa.ColumnElement[bool]] = [table.c.revoked_at.is_(None)]
        if session_id is not None:
            where.append(table.c.session_id == session_id)
        if user_id is not None:
            where.append(table.c.user_id == user_id)
        if assignment_id is not None:
            where.append(table.c.assignment_id == assignment_id)
        if len(where) == 1:
            raise ValueError("revoke what?")
        with self.engine.begin() as connection:
            return int(connection.execute(sa.update(table).where(*where).values(revoked_at=now)).rowcount)

    def sessions_of(self, user_id: str, now: datetime) -> list[SessionRow]:
        table = auth_sessions
        with self.engine.connect() as connection:
            ids = connection.scalars(
                sa.select(table.c.session_id).where(
                    table.c.user_id == user_id, table.c.revoked_at.is_(None), table.c.expires_at > now
                )
            ).all()
        return [s for s in (self.session(i) for i in ids) if s is not None]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


SESSION_HOURS: Final = timedelta(hours=12)
