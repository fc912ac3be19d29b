"""Unit walls (I8): a caller acts and reads only in its unit's subtree, and a thing outside it is answered
exactly like a thing that does not exist."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.units.tree import UnitTree

from .auth import Principal, Role
from .denied import WallDenied

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today() -> date:
    """The date in Vietnam, where the papers are dated."""
    return datetime.now(VIETNAM).date()


def require_within(tree: UnitTree, principal: Principal, unit_id: str, on: date | None = None) -> None:
    """404 unless `unit_id` is the caller's unit or below it (on `on`, default today)."""
    when = on or today()
    if tree.state_on(unit_id, when) is None or not tree.is_within(unit_id, principal.unit_id, when):
        raise WallDenied(f"{unit_id[:80]} is not within {principal.unit_id} on {when.isoformat()}")


def require_role(principal: Principal, *roles: Role) -> None:
    """A step the caller's role may not take is refused like a missing thing: no hint what exists."""
    if principal.role not in roles:
        raise WallDenied(f"role {principal.role} may not take this step")
