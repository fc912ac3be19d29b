"""The parameters the auditors' endpoints and pages share: the clock, bounded dates and history cursors
(who may call them and the record of every read are `services.audit.auditors`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

import msgspec
from litestar.exceptions import ValidationException
from litestar.openapi.spec import Example
from litestar.params import QueryParameter

from services.api.platform.params import INT64_MAX, unusable
from services.audit.clocks import Clock

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)

ClockParam = Annotated[Clock, QueryParameter(description="occurred: true on the date; recorded: the ledger on it")]
Cursor = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[0-9]{1,19}$",
        description="next_cursor of the previous page",
        examples=[Example(summary="After position 1024", value="1024")],
    ),
]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]
EVENT_TYPE: Final = r"^[A-Z][A-Za-z0-9]{0,79}$"
EventTypes = Annotated[
    list[Annotated[str, msgspec.Meta(pattern=EVENT_TYPE)]] | None,
    QueryParameter(
        max_items=50,
        description="Only events of these types (repeat the parameter)",
        schema_extra={"items": {"type": "string", "pattern": EVENT_TYPE}},  # Litestar documents no item pattern
    ),
]
UserId = Annotated[
    str | None,
    QueryParameter(
        pattern=r"^[^\x00-\x1f\x7f]{1,200}$",
        description="A user id (no control characters)",
        examples=[Example(summary="A cell secretary", value="user-secretary-cell-1")],
    ),
]


def bounded(value: date | None, name: str) -> date | None:
    """Dates the log can hold (1900–2200): any other is a date the ledger cannot answer for (422 naming it),
    not a server error."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise unusable(name, "must be a date between 1900-01-01 and 2200-12-31")
    return value


def after_position(cursor: str | None) -> int:
    """A cursor is the last position of the previous page, as the answer gave it; one beyond every position
    the log can hold is past the end (an empty page), not a number the database cannot bind."""
    if cursor is None:
        return 0
    if not cursor.isdigit() or len(cursor) > 19:
        raise ValidationException(
            "cursor must be the next_cursor of a previous page", extra=[{"key": "cursor", "source": "query"}]
        )
    return min(int(cursor), INT64_MAX)
