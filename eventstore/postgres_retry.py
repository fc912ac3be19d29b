"""A statement whose connection broke is tried again on a fresh connection, when that is safe.

Found by the soak (tests/reliability): a backend terminated mid-request (an administrator's
pg_terminate_backend, a failover, a proxy restart) made the request fail although a second connection from the
pool would have served it. Reads are always safe to repeat. An append is repeated only with an idempotency
key: if the broken attempt had committed, the repeat finds the key and answers with the first result (I3); if
it had not, the repeat decides the append afresh. Without a key the outcome is unknown, so the error stands.
The pool discards the broken connection, so the next attempt gets another one.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

import psycopg

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 3
LOST = ("08", "57P")
"""SQLSTATE classes of a lost connection: connection exceptions, and the server shutting the backend down
(57P01 admin shutdown is pg_terminate_backend). A cancelled query (57014) is not repeated."""


def _connection_lost(exc: psycopg.OperationalError) -> bool:
    return exc.sqlstate is None or exc.sqlstate.startswith(LOST)


def _repeat(fn: Callable[P, R], args: Any, kwargs: Any) -> R:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return fn(*args, **kwargs)
        except psycopg.OperationalError as exc:
            if attempt == ATTEMPTS or not _connection_lost(exc):
                raise
            log.warning("%s: connection lost (%s); trying again on another", fn.__name__, str(exc).strip()[:120])
    raise AssertionError("unreachable")


def on_broken_connection(fn: Callable[P, R]) -> Callable[P, R]:
    """For reads: repeat on a lost connection."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        return _repeat(fn, args, kwargs)

    return wrapper


def keyed_on_broken_connection(fn: Callable[P, R]) -> Callable[P, R]:
    """For appends: repeat on a lost connection only when the call carries an idempotency key."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if kwargs.get("idempotency_key") is None:
            return fn(*args, **kwargs)
        return _repeat(fn, args, kwargs)

    return wrapper
