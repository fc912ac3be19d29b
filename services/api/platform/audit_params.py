"""The parameters the auditors' endpoints and pages share: the clock, bounded dates and history cursors
(who may call them and the record of every read are `services.audit.auditors`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from services.audit.clocks import Clock

EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)

ClockParam = Annotated[Clock, QueryParameter(description="occurred: true on the date; recorded: the ledger on it")]
Cursor = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{1,19}$", description="next_cursor of the previous page")]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]


def bounded(value: date | None, name: str) -> date | None:
    """Dates the log can hold (1900–2200): anything else is a malformed request, not a server error."""
    if value is not None and not EARLIEST <= value <= LATEST:
        raise ValidationException(f"{name} must be a date between 1900-01-01 and 2200-12-31")
    return value


def after_position(cursor: str | None) -> int:
    """A cursor is the last position of the previous page, as the answer gave it."""
    if cursor is None:
        return 0
    if not cursor.isdigit() or len(cursor) > 19:
        raise ValidationException("cursor must be the next_cursor of a previous page")
    return int(cursor)
