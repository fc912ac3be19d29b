"""What the audit endpoints share: who may call them, bounded dates, cursors, and recording every read.

Auditors (inspection committees) and the provincial administrator read; nobody writes here. Every other
role is answered like a missing thing (I8). A read of personal data is recorded before it is answered
(see services.audit.access); the record is the price of the answer.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar.exceptions import ValidationException
from litestar.params import QueryParameter

from services.audit.access import record_read
from services.audit.clocks import Clock
from services.commands.actors import Actor, Role
from services.commands.walls import require_role
from services.ledger import Ledger

AUDIT_ROLES = (Role.AUDITOR, Role.PROVINCIAL_ADMIN)
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)

ClockParam = Annotated[Clock, QueryParameter(description="occurred: true on the date; recorded: the ledger on it")]
Cursor = Annotated[str | None, QueryParameter(pattern=r"^[0-9]{1,19}$", description="next_cursor of the previous page")]
Limit = Annotated[int, QueryParameter(ge=1, le=500)]


def require_auditor(principal: Actor) -> None:
    require_role(principal, *AUDIT_ROLES)


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


def record(ledger: Ledger, principal: Actor, operation: str, subject: str, **detail: Any) -> None:
    """Who read what, when: written before the answer leaves (auditing the auditors)."""
    shown = ", ".join(f"{k}={v}" for k, v in sorted(detail.items()) if v not in (None, "", [], False))
    record_read(
        ledger.engine,
        user_id=principal.user_id,
        role=str(principal.role),
        acting_unit=principal.unit_id,
        operation=operation,
        subject=subject,
        detail=shown,
    )
