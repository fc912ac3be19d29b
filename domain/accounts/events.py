"""What happened to accounts and their roles: a public contract like every event (never renamed or repurposed).

All of them live in one stream (`accounts-province`) so a login is unique against one version of every
account. No password, hash or session is ever an event: credentials are kept beside the log
(`services/credentials.py`), and can be replaced or forgotten without touching the legal record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Final

from domain.codec import EVENTS

ACCOUNTS_STREAM: Final = "accounts-province"


@EVENTS.register
@dataclass(frozen=True)
class UserCreated:
    """A person may sign in under `login`; `unit_id` is the unit whose officers manage the account."""

    event_type: ClassVar[str] = "UserCreated"
    schema_version: ClassVar[int] = 1

    user_id: str
    login: str
    full_name: str
    contact: str
    unit_id: str


@EVENTS.register
@dataclass(frozen=True)
class UserDeactivated:
    """The account acts no more from `occurred_on`: every assignment stops holding with it."""

    event_type: ClassVar[str] = "UserDeactivated"
    schema_version: ClassVar[int] = 1

    user_id: str
    unit_id: str
    reason: str


@EVENTS.register
@dataclass(frozen=True)
class RoleAssigned:
    """A user holds `role` at `unit_id` from `valid_from` to `valid_until` (inclusive; None: until ended), by the
    decision `decision_ref`, given by `assigned_by` (R-ACCT-GRANT)."""

    event_type: ClassVar[str] = "RoleAssigned"
    schema_version: ClassVar[int] = 1

    assignment_id: str
    user_id: str
    role: str
    unit_id: str
    valid_from: date
    valid_until: date | None
    decision_ref: str
    assigned_by: str


@EVENTS.register
@dataclass(frozen=True)
class AssignmentEnded:
    """An assignment holds no more after `last_day` (inclusive)."""

    event_type: ClassVar[str] = "AssignmentEnded"
    schema_version: ClassVar[int] = 1

    assignment_id: str
    user_id: str
    unit_id: str
    last_day: date
    reason: str


AccountEvent = UserCreated | UserDeactivated | RoleAssigned | AssignmentEnded
