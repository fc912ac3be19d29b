"""Who audits, and the record of what they read: auditors (inspection committees) and the provincial
administrator read; every other role is answered like a missing thing (I8). A read of personal data is recorded
before it is answered (see `access`): the record is the price of the answer."""

from __future__ import annotations

from typing import Any, Final

import sqlalchemy as sa

from services.audit.access import record_read
from services.commands.actors import Actor, Role
from services.commands.walls import require_role

AUDIT_ROLES: Final = (Role.AUDITOR, Role.PROVINCIAL_ADMIN)


def require_auditor(principal: Actor) -> None:
    require_role(principal, *AUDIT_ROLES)


def record(engine: sa.Engine, principal: Actor, operation: str, subject: str, **detail: Any) -> None:
    """Who read what, when: written before the answer leaves (auditing the auditors)."""
    shown = ", ".join(f"{k}={v}" for k, v in sorted(detail.items()) if v not in (None, "", [], False))
    record_read(
        engine,
        user_id=principal.user_id,
        role=str(principal.role),
        acting_unit=principal.unit_id,
        operation=operation,
        subject=subject,
        detail=shown,
    )
