"""Who could act for a unit on a date (I8: "by an assignment valid today"), from the accounts and the unit tree.

An assignment holds on a day when its own dates cover it, its user is active, and its unit is live that day:
a unit dissolved, merged or split ends every assignment at it by itself (R-ACCT-REORG), without an event.
Someone assigned at a unit above acts for it too (its subtree holds the unit), and is listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.accounts.state import Account, Accounts, Assignment
from domain.units.tree import UnitTree


@dataclass(frozen=True)
class Holding:
    """One assignment that holds on a day; `direct` when it is at the unit asked about, not above it."""

    assignment: Assignment
    user: Account
    direct: bool


def holds_on(accounts: Accounts, tree: UnitTree, assignment: Assignment, on: date) -> bool:
    user = accounts.users.get(assignment.user_id)
    return (
        user is not None
        and user.active_on(on)
        and assignment.dated_on(on)
        and tree.live_on(assignment.unit_id, on) is not None
    )


def holders(accounts: Accounts, tree: UnitTree, unit_id: str, on: date) -> list[Holding]:
    """Everyone who could act for `unit_id` on `on`: at the unit first, then from the units above it."""
    if tree.live_on(unit_id, on) is None:
        return []
    found = [
        Holding(a, accounts.users[a.user_id], a.unit_id == unit_id)
        for a in accounts.assignments.values()
        if holds_on(accounts, tree, a, on) and (a.unit_id == unit_id or tree.is_within(unit_id, a.unit_id, on))
    ]
    return sorted(found, key=lambda h: (not h.direct, h.user.login, h.assignment.role))


def current_assignments(accounts: Accounts, tree: UnitTree, user_id: str, on: date) -> list[Assignment]:
    """The user's assignments that hold on `on` (what a session may act in)."""
    return sorted(
        (a for a in accounts.assignments_of(user_id) if holds_on(accounts, tree, a, on)),
        key=lambda a: (a.valid_from, a.assignment_id),
    )
