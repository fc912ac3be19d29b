"""Every account and assignment, folded from the accounts stream (decide, then evolve: only `evolve` changes it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from domain.accounts.events import AccountEvent, AssignmentEnded, RoleAssigned, UserCreated, UserDeactivated


@dataclass(frozen=True)
class Account:
    user_id: str
    login: str
    full_name: str
    contact: str
    unit_id: str
    created_on: date
    deactivated_on: date | None = None

    def active_on(self, on: date) -> bool:
        """Not before its creation only: an assignment entered today may record a role held for years."""
        return self.deactivated_on is None or on < self.deactivated_on


@dataclass(frozen=True)
class Assignment:
    assignment_id: str
    user_id: str
    role: str
    unit_id: str
    valid_from: date
    valid_until: date | None
    decision_ref: str
    assigned_by: str
    ended_last_day: date | None = None
    end_reason: str = ""

    @property
    def last_day(self) -> date | None:
        """The last day it may hold, by its own dates (a unit that ceases ends it earlier: `holders`)."""
        days = [d for d in (self.valid_until, self.ended_last_day) if d is not None]
        return min(days) if days else None

    def dated_on(self, on: date) -> bool:
        last = self.last_day
        return self.valid_from <= on and (last is None or on <= last)


@dataclass
class Accounts:
    """The accounts stream's state; `version` is the stream version it was folded to."""

    users: dict[str, Account] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    logins: dict[str, str] = field(default_factory=dict)
    version: int = 0

    def user_by_login(self, login: str) -> Account | None:
        user_id = self.logins.get(normal_login(login))
        return self.users.get(user_id) if user_id else None

    def assignments_of(self, user_id: str) -> list[Assignment]:
        return [a for a in self.assignments.values() if a.user_id == user_id]

    def has_admin(self) -> bool:
        return any(a.role == "provincial_admin" for a in self.assignments.values())


def normal_login(login: str) -> str:
    return login.strip().lower()


def evolve(state: Accounts, event: AccountEvent, occurred_on: date) -> Accounts:
    """One more event, in place (the state is only ever folded by its owner: `replay`)."""
    match event:
        case UserCreated():
            state.users[event.user_id] = Account(
                event.user_id, event.login, event.full_name, event.contact, event.unit_id, occurred_on
            )
            state.logins[normal_login(event.login)] = event.user_id
        case UserDeactivated():
            state.users[event.user_id] = replace(state.users[event.user_id], deactivated_on=occurred_on)
        case RoleAssigned():
            state.assignments[event.assignment_id] = Assignment(
                event.assignment_id,
                event.user_id,
                event.role,
                event.unit_id,
                event.valid_from,
                event.valid_until,
                event.decision_ref,
                event.assigned_by,
            )
        case AssignmentEnded():
            state.assignments[event.assignment_id] = replace(
                state.assignments[event.assignment_id], ended_last_day=event.last_day, end_reason=event.reason
            )
    state.version += 1
    return state


def replay(events: Iterable[tuple[AccountEvent, date]]) -> Accounts:
    state = Accounts()
    for event, occurred_on in events:
        evolve(state, event, occurred_on)
    return state


def day_before(on: date) -> date:
    return on - timedelta(days=1)
