"""A transactional engine for the read models, on the same database as the log.

SQLite transactions start with `BEGIN IMMEDIATE`: a deferred transaction that later writes can fail at once
with SQLITE_BUSY when the log's writer got there first; an immediate one waits its turn (busy_timeout).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import msgspec
import sqlalchemy as sa

from .rows import row_json

JSON_CODEC: dict[str, Any] = {"json_serializer": row_json, "json_deserializer": msgspec.json.decode}
"""Rows are JSON: msgspec writes and reads them several times faster than the standard library, which was
a tenth of a projection rebuild (the same JSON values either way)."""


RELAXED = "partyledger_commits_relaxed"
"""Set in a connection's `info` when its sessions commit without waiting for the disk (see `relaxed`)."""


def projection_engine(url: str | Path, *, pool_size: int = 5, relaxed: bool = False) -> sa.Engine:
    """`relaxed`: every session commits without waiting for the disk (PostgreSQL `synchronous_commit` off),
    for a process that writes nothing but read models, which a crash can only set back to an older
    checkpoint (see `runner.relax_commit`); its catch-ups then skip the `SET LOCAL` trip. A relaxed engine
    does not ping a pooled connection before handing it out either: that was a round trip per catch-up, and
    a task on a connection the server has closed fails with an OperationalError, which invalidates the pool
    and is retried (the worker's TRANSIENT). The worker's engine is relaxed; the API's and the CLI's are not
    (their records, an operator's retry, must last, and a request is not retried)."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        text = "postgresql+psycopg://" + text.split("://", 1)[1]
    if text.startswith("postgresql"):
        options = {"connect_args": {"options": "-c synchronous_commit=off"}} if relaxed else {}
        engine = sa.create_engine(text, pool_size=pool_size, pool_pre_ping=not relaxed, **options, **JSON_CODEC)
        if relaxed:
            sa.event.listen(engine, "connect", lambda _dbapi, record: record.info.__setitem__(RELAXED, True))
        return engine
    if not text.startswith("sqlite"):
        text = f"sqlite:///{Path(text).resolve()}"
    engine = sa.create_engine(text, connect_args={"check_same_thread": False, "timeout": 30}, **JSON_CODEC)

    @sa.event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")
        # a deleted or rewritten row is overwritten on disk, not left in a free page: an erased person's rows
        # (R-PRIVACY-ERASE) must not be recoverable from the file
        dbapi_connection.execute("PRAGMA secure_delete=ON")

    @sa.event.listens_for(engine, "begin")
    def _begin_immediate(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
