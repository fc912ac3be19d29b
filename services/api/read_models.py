"""Queries: every read model for a unit and its subtree, as the caller may see it (DESIGN §6).

Each answer says the log position it reflects; `min_position` waits (bounded) until the read models have
applied that position, so a client reads its own writes. Headers give the log's head, so a dashboard can say
how far behind it is.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter

from projections import queries
from projections.queries import Dashboard, DeadlineBoard, FilesPage, MemberRoll, Statistics

from .auth import Principal
from .context import Ledger
from .responses import READ_PROBLEMS
from .security import GUARDS, SECURITY
from .walls import require_within, today

Caller = NamedDependency[Principal]
Context = NamedDependency[Ledger]
MinPosition = Annotated[int, QueryParameter(ge=0, description="Wait until the read models reflect this position")]
Wait = Annotated[float, QueryParameter(ge=0, le=5, description="Seconds to wait for min_position (at most 5)")]
On = Annotated[date | None, QueryParameter(description="The unit tree as it stood on this date (default today)")]
Cursor = Annotated[str | None, QueryParameter(max_length=500)]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]

T = TypeVar("T")


def _answer(ledger: Ledger, read: Callable[[], T], min_position: int, wait: float) -> Response[T]:
    """Read; if the answer is older than `min_position`, read again until it is or `wait` runs out."""
    deadline = time.monotonic() + wait
    while True:
        result = read()
        position: int = getattr(result, "position")  # noqa: B009  # every query answer has one
        if position >= min_position or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    head = ledger.store.head_position()
    headers = {
        "X-Log-Position": str(position),
        "X-Log-Head": str(head),
        "X-Caught-Up": "true" if position >= max(min_position, head) else "false",
    }
    return Response(result, headers=headers)


def _units(ledger: Ledger, principal: Principal, unit_id: str, on: date | None) -> list[str]:
    tree = ledger.tree()
    when = on or today()
    require_within(tree, principal, unit_id, when)
    return queries.subtree_units(tree, unit_id, when)


def _read(ledger: Ledger, query: Callable[..., T], *args: Any, **kwargs: Any) -> Callable[[], T]:
    """One snapshot per answer: rows and the checkpoint position they are reported with must agree, or a
    worker committing between the two reads makes a stale answer claim a fresh position (seen in a test).
    SQLite's read transaction is already a snapshot (the engine begins IMMEDIATE)."""

    def run() -> T:
        with ledger.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ")
            return query(connection, *args, **kwargs)

    return run


class ReadModelController(Controller):
    path = "/units/{unit_id:str}"
    tags = ["read models"]  # noqa: RUF012  # Litestar reads these as class attributes
    guards = GUARDS
    security = SECURITY

    @get("/dashboard", operation_id="getDashboard", sync_to_thread=True, responses=READ_PROBLEMS)
    def dashboard(
        self,
        unit_id: FromPath[str],
        ledger: Context,
        principal: Caller,
        year: FromQuery[int],
        term: FromQuery[str] = "2020-2025",
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[Dashboard]:
        """Funnel, members, term targets and this year's figures, rolled up over the unit's subtree."""
        units = _units(ledger, principal, unit_id, on)
        return _answer(ledger, _read(ledger, queries.dashboard, units, year, term), min_position, wait)

    @get("/files", operation_id="listFiles", sync_to_thread=True, responses=READ_PROBLEMS)
    def files(
        self,
        unit_id: FromPath[str],
        ledger: Context,
        principal: Caller,
        stage: FromQuery[str | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[FilesPage]:
        units = _units(ledger, principal, unit_id, on)
        return _answer(ledger, _read(ledger, queries.files, units, stage, cursor, limit), min_position, wait)

    @get("/deadlines", operation_id="listDeadlines", sync_to_thread=True, responses=READ_PROBLEMS)
    def deadlines(
        self,
        unit_id: FromPath[str],
        ledger: Context,
        principal: Caller,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[DeadlineBoard]:
        """Running clocks by urgency in working days, breaches, and papers about to go stale."""
        units = _units(ledger, principal, unit_id, on)
        read = _read(ledger, queries.deadlines, units, on or today(), ledger.calendar())
        return _answer(ledger, read, min_position, wait)

    @get("/members", operation_id="listMembers", sync_to_thread=True, responses=READ_PROBLEMS)
    def members(
        self,
        unit_id: FromPath[str],
        ledger: Context,
        principal: Caller,
        status: FromQuery[str | None] = None,
        cursor: Cursor = None,
        limit: Limit = 100,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[MemberRoll]:
        units = _units(ledger, principal, unit_id, on)
        return _answer(ledger, _read(ledger, queries.member_roll, units, status, cursor, limit), min_position, wait)

    @get("/statistics", operation_id="getStatistics", sync_to_thread=True, responses=READ_PROBLEMS)
    def statistics(
        self,
        unit_id: FromPath[str],
        ledger: Context,
        principal: Caller,
        year: FromQuery[int],
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[Statistics]:
        """Admissions, exits and ratings by the HD 11 breakdowns."""
        units = _units(ledger, principal, unit_id, on)
        return _answer(ledger, _read(ledger, queries.statistics, units, year), min_position, wait)
