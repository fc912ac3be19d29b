"""A database that dropped the connection or is down answers 503 with Retry-After, never a bare 500; so does a
sealed field the process holds no key for (a KEK rotated without `PARTYLEDGER_DATA_KEK_PREVIOUS`): the server
fails closed and says it is its own configuration, not the caller's request.

The outcome of an interrupted command is unknown to the server too; the caller retries with the same
Idempotency-Key and gets the first result if it was recorded, or a fresh decision if it was not (I3).
"""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy.exc
from litestar import Request, Response
from litestar.types import ExceptionHandlersMap
from psycopg_pool import PoolTimeout

from eventstore.field_cipher import SealBroken
from eventstore.subject_keys import KeyNotUnwrapped
from services.api.platform.problems import problem_response
from services.audit.person_reads import ReadNotRecorded

RETRY_AFTER_SECONDS = 1
UNAVAILABLE: tuple[type[Exception], ...] = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    PoolTimeout,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    ReadNotRecorded,  # a read of personal data is not answered unrecorded (I13)
)


def database_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    request.logger.warning("database unavailable on %s: %s", request.url.path, str(exc).splitlines()[0:1])
    return problem_response(
        "database-unavailable",
        "The database is unavailable",
        503,
        "The ledger lost its database connection. Retry with the same Idempotency-Key: a command that was "
        "recorded answers with its first result, one that was not is decided afresh.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


KEYS_UNAVAILABLE: tuple[type[Exception], ...] = (KeyNotUnwrapped, SealBroken)


def keys_unavailable(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    """No personal data leaves in the clear and nothing is guessed: the operator must give back the key. The
    log line names the KEK's id (not a secret, not personal) so the operator knows which one."""
    request.logger.error("sealed personal data did not open on %s: %s", request.url.path, exc)
    return problem_response(
        "keys-unavailable",
        "Personal data cannot be opened",
        503,
        "The server holds no key that opens this sealed personal data. An operator must restore the "
        "key-encryption key it was wrapped with (PARTYLEDGER_DATA_KEK_PREVIOUS after a rotation).",
    )


def outage_handlers() -> ExceptionHandlersMap:
    return {**dict.fromkeys(UNAVAILABLE, database_unavailable), **dict.fromkeys(KEYS_UNAVAILABLE, keys_unavailable)}
