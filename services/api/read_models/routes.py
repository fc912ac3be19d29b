"""Queries: every read model for a unit and its subtree, as the caller may see it (DESIGN §6).

Each answer says the log position it reflects and how stale it is; `min_position` waits (bounded) until the
read models have applied that position, so a client reads its own writes (see `freshness`). Every list is
paged by an opaque cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from litestar import Controller, Response, get
from litestar.params import FromQuery, QueryParameter
from litestar.types import BeforeRequestHookHandler

from domain.person.stages import Stage
from projections import queries
from projections.queries import Dashboard, FilesPage, MemberRoll, MemberStatus, Statistics
from projections.queries.reading import decode_cursor
from services.api.platform.freshness import FRESHNESS_HEADERS, answer
from services.api.platform.params import MAX_NUMBER, Caller, Context, Term, UnitIdPath, Year, term_of, unusable
from services.api.platform.responses import BOUNDED_READ_PROBLEMS, READ_PROBLEMS
from services.api.platform.security import SECURITY, authenticate
from services.api.read_models.deadline_pages import DeadlinePage, page_of
from services.commands.actors import Actor
from services.commands.walls import today
from services.ledger import Ledger
from services.reads import read_snapshot, units_in_view

MinPosition = Annotated[
    int, QueryParameter(ge=0, le=MAX_NUMBER, description="Wait until the read models reflect this position")
]
Wait = Annotated[float, QueryParameter(ge=0, le=5, description="Seconds to wait for min_position (at most 5)")]
On = Annotated[date | None, QueryParameter(description="The unit tree as it stood on this date (default today)")]
Cursor = Annotated[str | None, QueryParameter(max_length=500)]
DeadlineCursor = Annotated[str | None, QueryParameter(max_length=2000)]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]

T = TypeVar("T")


def _cursor(cursor: str | None) -> str | None:
    """A cursor this API did not give is the caller's mistake (422 naming it), never a failed query (500)."""
    if cursor is not None:
        try:
            decode_cursor(cursor)
        except ValueError as exc:
            raise unusable("cursor", "is not the next_cursor of a previous page") from exc
    return cursor


def _units(ledger: Ledger, principal: Actor, unit_id: str, on: date | None) -> list[str]:
    return units_in_view(ledger.tree(), principal, unit_id, on)


def _read(ledger: Ledger, reader: Actor, query: Callable[..., T], *args: Any) -> Callable[[], T]:
    """The answer as `reader`'s role may see it (`services.reads.as_reader_may_see`)."""
    return read_snapshot(ledger.engine, query, *args, reader=reader)


class ReadModelController(Controller):
    path = "/units/{unit_id:str}"
    tags = ["read models"]  # noqa: RUF012  # Litestar reads these as class attributes
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY
    response_headers = FRESHNESS_HEADERS

    @get("/dashboard", operation_id="getDashboard", sync_to_thread=True, responses=BOUNDED_READ_PROBLEMS)
    def dashboard(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        year: Year,
        term: Term = "2020-2025",
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[Dashboard]:
        """Funnel, members, term targets and the year's figures, rolled up over the unit's subtree; the funnel
        and the members as they stood at the end of `year` (today for the current year)."""
        units = _units(ledger, principal, unit_id, on)
        read = _read(ledger, principal, queries.dashboard, units, year, term_of(term), today().year)
        return answer(ledger, read, units, min_position, wait, reader=principal)

    @get("/files", operation_id="listFiles", sync_to_thread=True, responses=BOUNDED_READ_PROBLEMS)
    def files(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        stage: FromQuery[Stage | None] = None,
        cursor: Cursor = None,
        limit: Limit = 50,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[FilesPage]:
        """The candidates' files in the unit's subtree, optionally at one stage, a page at a time. A named
        person's `ethnicity` is null for a role that may not read sensitive data (only the roles that record
        particulars do); `getStatistics` counts by ethnicity for every role."""
        units = _units(ledger, principal, unit_id, on)
        read = _read(ledger, principal, queries.files, units, stage, _cursor(cursor), limit)
        return answer(ledger, read, units, min_position, wait, reader=principal)

    @get("/deadlines", operation_id="listDeadlines", sync_to_thread=True, responses=BOUNDED_READ_PROBLEMS)
    def deadlines(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        cursor: DeadlineCursor = None,
        limit: Limit = 100,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[DeadlinePage]:
        """Running clocks by urgency in working days, breaches, and papers about to go stale; `limit` per list."""
        units = _units(ledger, principal, unit_id, on)
        board = _read(ledger, principal, queries.deadlines, units, on or today(), ledger.calendar())
        return answer(ledger, lambda: page_of(board(), cursor, limit), units, min_position, wait, reader=principal)

    @get("/members", operation_id="listMembers", sync_to_thread=True, responses=BOUNDED_READ_PROBLEMS)
    def members(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        status: FromQuery[MemberStatus | None] = None,
        cursor: Cursor = None,
        limit: Limit = 100,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[MemberRoll]:
        """The members on the roll of the unit's subtree, optionally probationary or official only, a page at a
        time; seniority counts from `admitted_on`, probation from `ceremony_on`."""
        units = _units(ledger, principal, unit_id, on)
        read = _read(ledger, principal, queries.member_roll, units, status, _cursor(cursor), limit)
        return answer(ledger, read, units, min_position, wait, reader=principal)

    @get("/statistics", operation_id="getStatistics", sync_to_thread=True, responses=READ_PROBLEMS)
    def statistics(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        year: Year,
        on: On = None,
        min_position: MinPosition = 0,
        wait: Wait = 5.0,
    ) -> Response[Statistics]:
        """Admissions, exits and ratings by the HD 11 breakdowns."""
        units = _units(ledger, principal, unit_id, on)
        return answer(
            ledger,
            _read(ledger, principal, queries.statistics, units, year),
            units,
            min_position,
            wait,
            reader=principal,
        )
