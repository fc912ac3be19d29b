"""The province's working calendar over HTTP: what is declared, and the administrator's declarations.

Deadlines in working days (R-DECIDE-DEADLINE, R-CEREMONY-DEADLINE, …) count Monday–Friday minus the holidays
the `holidays` library knows, changed by one-off declarations in the stream `calendar-province`. Every caller
reads the calendar (every deadline depends on it); only a provincial administrator at the province declares
(I8: the calendar belongs to the province, above every other unit). Declarations go through
`services.commands.calendar.declare_day` at the stream version the caller saw (`GET /calendar`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Final

import msgspec
from litestar import Controller, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Example
from litestar.types import BeforeRequestHookHandler

from domain.calendar import (
    DayDeclaration,
    calendar_from_declarations,
    declare_day_off,
    declare_working_day,
    withdraw_day_declaration,
)
from services.api.platform.examples import with_example
from services.api.platform.params import Caller, Context, IdempotencyKey
from services.api.platform.responses import READ_PROBLEMS, RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURITY, authenticate
from services.commands.actors import Actor
from services.commands.calendar import DayRequest, declare_day, load_declarations
from services.commands.results import Recorded
from services.ledger import Ledger


class CalendarRead(msgspec.Struct, frozen=True):
    """The declared days (the library's holidays are not listed) and the stream version to send back."""

    version: int
    days_off: list[date]
    working_days: list[date]


class DayBody(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    day: date
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500, description="The decree or the closure")]
    occurred_on: date
    expected_version: Annotated[int, msgspec.Meta(ge=0, description="The calendar's version (GET /calendar)")]
    document_ref: Annotated[str, msgspec.Meta(max_length=200)] | None = None


DECLARED: Final = ResponseSpec(
    data_container=CalendarRead,
    generate_examples=False,
    description="The declared days and the calendar's version",
    examples=[
        Example(
            summary="A bridge day off, worked back on a Saturday",
            value={"version": 2, "days_off": ["2025-05-02"], "working_days": ["2025-04-26"]},
        )
    ],
)


def _declare(
    ledger: Ledger, principal: Actor, make: Callable[[date, str], DayDeclaration], body: DayBody, key: str
) -> Recorded:
    """The body's day, paper and version around the declaration, through the one use case."""
    declaration = make(body.day, body.reason)
    request = DayRequest(principal, declaration, body.occurred_on, body.expected_version, key, body.document_ref)
    return declare_day(ledger, request)


def _route(path: str, operation_id: str, summary: str) -> HTTPRouteHandler:
    return post(
        path,
        operation_id=operation_id,
        summary=summary,
        status_code=201,
        response_description=RECORDED,
        sync_to_thread=True,
        responses=WRITE_PROBLEMS,
    )


class CalendarController(Controller):
    path = "/calendar"
    tags = ["calendar"]  # noqa: RUF012  # Litestar reads these as class attributes
    before_request: BeforeRequestHookHandler | None = authenticate
    security = SECURITY

    @get("/", operation_id="getCalendar", sync_to_thread=True, responses={**READ_PROBLEMS, 200: DECLARED})
    def calendar(self, ledger: Context, principal: Caller) -> CalendarRead:
        """The days declared off or working, as every deadline counts them now."""
        declared, version = load_declarations(ledger.store)
        working = calendar_from_declarations(declared)
        return CalendarRead(version, sorted(working.extra_days_off), sorted(working.extra_working_days))

    @_route("/days-off", "declareDayOff", "Công bố ngày nghỉ")
    def day_off(
        self,
        data: Annotated[DayBody, with_example(DayBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """A one-off day off (a decree moved a holiday, a provincial closure): deadlines skip it."""
        return _declare(ledger, principal, declare_day_off, data, idempotency_key)

    @_route("/working-days", "declareWorkingDay", "Công bố ngày làm việc bù")
    def working_day(
        self,
        data: Annotated[DayBody, with_example(DayBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """A day worked (a Saturday worked in exchange for a bridge day off): deadlines count it."""
        return _declare(ledger, principal, declare_working_day, data, idempotency_key)

    @_route("/withdrawals", "withdrawDayDeclaration", "Hủy công bố ngày nghỉ hoặc ngày làm việc")
    def withdraw(
        self,
        data: Annotated[DayBody, with_example(DayBody)],
        ledger: Context,
        principal: Caller,
        idempotency_key: IdempotencyKey,
    ) -> Recorded:
        """A mistaken declaration withdrawn: the day is again what the holiday library says."""
        return _declare(ledger, principal, withdraw_day_declaration, data, idempotency_key)
