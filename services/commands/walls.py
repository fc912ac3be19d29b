"""Unit walls (I8): a caller acts and reads only in its unit's subtree, and a thing outside it is answered
exactly like a thing that does not exist. Framework-free: each entry point renders `NotFound` its own way."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from domain.units.tree import UnitTree

from .actors import Actor, Role

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
NOT_FOUND_DETAIL = "No such resource in your units"


class NotFound(Exception):
    """No such thing for this caller: missing, or behind a wall (the answer is the same, I8)."""

    def __init__(self, reason: str = "missing") -> None:
        super().__init__(NOT_FOUND_DETAIL)
        self.reason = reason


class WallDenied(NotFound):
    """A wall refused: answered exactly like `NotFound`; `reason` is for the denial record only."""


class FiledElsewhere(Exception):
    """A citizen ID already filed with a unit outside the caller's subtree (I8): the caller learns that much and
    nothing more — not where, not the stage, not the name — and the attempt is recorded. Bringing the file over
    is a request the holding unit (or a committee above it) grants (R-FILE-REQUEST, `file_requests`)."""

    def __init__(self, reason: str) -> None:
        super().__init__("this citizen ID is filed with a unit outside yours")
        self.reason = reason


def today() -> date:
    """The date in Vietnam, where the papers are dated."""
    return datetime.now(VIETNAM).date()


def require_within(tree: UnitTree, actor: Actor, unit_id: str, on: date | None = None) -> None:
    """Refused unless `unit_id` is the caller's unit or below it (on `on`, default today)."""
    when = on or today()
    if tree.state_on(unit_id, when) is None or not tree.is_within(unit_id, actor.unit_id, when):
        raise WallDenied(f"{unit_id[:80]} is not within {actor.unit_id} on {when.isoformat()}")


def governs(tree: UnitTree, actor: Actor, unit_id: str) -> bool:
    """Whether the caller's subtree holds the unit today — or, for a unit that has ceased, the unit its files went
    to (R-UNIT-REORG: open files move to the successor)."""
    now = today()
    try:
        holder = tree.successor_of(unit_id, now)
    except ValueError:
        holder = unit_id
    return tree.state_on(holder, now) is not None and tree.is_within(holder, actor.unit_id, now)


def require_role(actor: Actor, *roles: Role) -> None:
    """A step the caller's role may not take is refused like a missing thing: no hint what exists."""
    if actor.role not in roles:
        raise WallDenied(f"role {actor.role} may not take this step")
