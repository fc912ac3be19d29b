"""What happened to accounts and their roles: a public contract like every event (never renamed or repurposed).

All of them live in one stream (`accounts-province`) so a login is unique against one version of every
account. No password, hash or session is ever an event: credentials are kept beside the log
(`services/credentials.py`), and can be replaced or forgotten without touching the legal record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, ClassVar, Final

from domain.codec import EVENTS
from domain.privacy import NotPersonal, Personal, Subject

_OFFICER_ID = Personal.PERSON_ID.of(Subject.OFFICER)
_UNIT = NotPersonal.UNIT
_WHEN = NotPersonal.PROCEDURE

ACCOUNTS_STREAM: Final = "accounts-province"


@EVENTS.register
@dataclass(frozen=True)
class UserCreated:
    """A person may sign in under `login`; `unit_id` is the unit whose officers manage the account."""

    event_type: ClassVar[str] = "UserCreated"
    schema_version: ClassVar[int] = 1

    user_id: Annotated[str, _OFFICER_ID]
    login: Annotated[str, _OFFICER_ID]
    full_name: Annotated[str, Personal.NAME.of(Subject.OFFICER)]
    contact: Annotated[str, Personal.CONTACT.of(Subject.OFFICER)]
    unit_id: Annotated[str, _UNIT]


@EVENTS.register
@dataclass(frozen=True)
class UserDeactivated:
    """The account acts no more from `occurred_on`: every assignment stops holding with it."""

    event_type: ClassVar[str] = "UserDeactivated"
    schema_version: ClassVar[int] = 1

    user_id: Annotated[str, _OFFICER_ID]
    unit_id: Annotated[str, _UNIT]
    reason: Annotated[str, Personal.NOTE.of(Subject.OFFICER)]


@EVENTS.register
@dataclass(frozen=True)
class RoleAssigned:
    """A user holds `role` at `unit_id` from `valid_from` to `valid_until` (inclusive; None: until ended), by the
    decision `decision_ref`, given by `assigned_by` (R-ACCT-GRANT)."""

    event_type: ClassVar[str] = "RoleAssigned"
    schema_version: ClassVar[int] = 1

    assignment_id: Annotated[str, _WHEN]
    user_id: Annotated[str, _OFFICER_ID]
    role: Annotated[str, _WHEN]
    unit_id: Annotated[str, _UNIT]
    valid_from: Annotated[date, _WHEN]
    valid_until: Annotated[date | None, _WHEN]
    decision_ref: Annotated[str, Personal.PAPER.of(Subject.OFFICER)]
    assigned_by: Annotated[str, _OFFICER_ID]


@EVENTS.register
@dataclass(frozen=True)
class AssignmentEnded:
    """An assignment holds no more after `last_day` (inclusive)."""

    event_type: ClassVar[str] = "AssignmentEnded"
    schema_version: ClassVar[int] = 1

    assignment_id: Annotated[str, _WHEN]
    user_id: Annotated[str, _OFFICER_ID]
    unit_id: Annotated[str, _UNIT]
    last_day: Annotated[date, _WHEN]
    reason: Annotated[str, Personal.NOTE.of(Subject.OFFICER)]


AccountEvent = UserCreated | UserDeactivated | RoleAssigned | AssignmentEnded
