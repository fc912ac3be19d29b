"""The record of refused requests (401, 403, 404 at a unit wall, 429): who, what, when and why.

Kept beside the read models, never in the event log: a refusal changes nothing the ledger is the memory of,
and an attacker must not be able to grow the legal record. An administrator reads it through
`GET /units/{unit}/denials` or `partyledger denials`.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock

import sqlalchemy as sa

metadata = sa.MetaData()

access_denials = sa.Table(
    "access_denials",
    metadata,
    sa.Column("denial_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("user_id", sa.Text, nullable=True),
    sa.Column("role", sa.Text, nullable=True),
    sa.Column("unit_id", sa.Text, nullable=True, index=True),
    sa.Column("verified", sa.Boolean, nullable=False),
    sa.Column("client", sa.Text, nullable=False),
    sa.Column("method", sa.Text, nullable=False),
    sa.Column("path", sa.Text, nullable=False),
)

TEXT_LIMIT = 300
"""Claims of a forged token and request paths are the attacker's text: stored, but cut short."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Denial:
    """One refused request. `verified` is false when the identity comes from a token we could not trust."""

    status: int
    reason: str
    user_id: str | None
    role: str | None
    unit_id: str | None
    verified: bool
    client: str
    method: str
    path: str
    at: datetime | None = None
    denial_id: int | None = None

    def line(self) -> str:
        """One line for the CLI and logs."""
        at = self.at.replace(tzinfo=self.at.tzinfo or UTC) if self.at else None  # SQLite returns naive UTC
        when = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at else "-"
        who = self.user_id or "anonymous"
        if not self.verified and self.user_id:
            who = f"{who} (unverified)"
        seat = f" as {self.role or '?'} of {self.unit_id or '?'}" if self.user_id else ""
        return f"{when} {self.status} {who}{seat} from {self.client}: {self.method} {self.path} — {self.reason}"


def record_denial(engine: sa.Engine, denial: Denial) -> None:
    values = {
        "at": denial.at or datetime.now(UTC),
        "status": denial.status,
        "reason": denial.reason[:TEXT_LIMIT],
        "user_id": _cut(denial.user_id),
        "role": _cut(denial.role),
        "unit_id": _cut(denial.unit_id),
        "verified": denial.verified,
        "client": denial.client[:TEXT_LIMIT],
        "method": denial.method[:16],
        "path": denial.path[:TEXT_LIMIT],
    }
    with engine.begin() as connection:
        connection.execute(sa.insert(access_denials).values(**values))


def recent_denials(
    engine: sa.Engine, *, units: Collection[str] | None = None, anonymous: bool = True, before: int | None = None,
    limit: int = 100,
) -> list[Denial]:  # fmt: skip
    """Newest first; `units` keeps callers whose unit is one of them (plus unit-less callers if `anonymous`)."""
    query = sa.select(access_denials).order_by(access_denials.c.denial_id.desc()).limit(limit)
    if before is not None:
        query = query.where(access_denials.c.denial_id < before)
    if units is not None:
        within = access_denials.c.unit_id.in_(list(units))
        query = query.where(sa.or_(within, access_denials.c.unit_id.is_(None)) if anonymous else within)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [Denial(**dict(row)) for row in rows]


def _cut(value: str | None) -> str | None:
    return value[:TEXT_LIMIT] if value is not None else None


class DenialWriter:
    """Records denials off the request's path: a refused request answers in the same time as a missing thing
    (I8: no timing difference), and its record follows a moment later on one background thread, in order.

    `flush` waits for what was handed over (the denials list reads its own writes); `close` drains the queue at
    shutdown. A database that is down costs a warning per denial, never the answer.
    """

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="denials")
        self._pending: list[Future[None]] = []
        self._lock = Lock()

    def submit(self, denial: Denial) -> None:
        future = self._pool.submit(self._write, denial)
        with self._lock:
            self._pending = [f for f in self._pending if not f.done()]
            self._pending.append(future)

    def _write(self, denial: Denial) -> None:
        try:
            record_denial(self._engine, denial)
        except Exception as exc:  # the refusal stands; only its record is lost
            log.warning("could not record a %d refusal of %s: %s", denial.status, denial.path, exc)

    def flush(self, timeout: float = 5.0) -> None:
        with self._lock:
            pending = list(self._pending)
        wait(pending, timeout=timeout)

    def close(self) -> None:
        self._pool.shutdown(wait=True)
