"""Who may read what, as the code enforces it today (I8 walls; the audit roles; the administrator's records).

Derived from the code, not written apart: the step table says who records which step, `AUDIT_ROLES` who reads
the log, and the read-model declarations which personal data the unit lists show to every role in the
subtree. Issue 20 item 5 narrows the latter (viewers see counts, not a named person's ethnicity).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.privacy import Kind, Level
from services.audit.auditors import AUDIT_ROLES
from services.audit.person_reads import RECORD_READERS
from services.commands.actors import Role
from services.commands.person_steps import STEPS
from services.privacy.catalogue import Entry, Source


@dataclass(frozen=True)
class RoleAccess:
    role: Role
    records: tuple[str, ...]
    """The steps (Vietnamese names) the role may record: every field of their events."""
    reads_lists: bool
    """Unit lists and dashboards in its subtree (every role)."""
    reads_log: bool
    """The events themselves, all fields, through the audit endpoints (each read recorded)."""
    reads_records: bool
    """Who read what and who was refused (the provincial administrator)."""
    reads_who_read: bool
    """Who read the file of a person of its subtree (`listPersonReads`: officers and auditors, I13)."""


def role_access() -> list[RoleAccess]:
    return [
        RoleAccess(
            role=role,
            records=tuple(dict.fromkeys(s.command.step_vi for s in STEPS if role in s.roles)),
            reads_lists=True,
            reads_log=role in AUDIT_ROLES,
            reads_records=role is Role.PROVINCIAL_ADMIN,
            reads_who_read=role in RECORD_READERS,
        )
        for role in Role
    ]


def kinds_in_lists(entries: Iterable[Entry]) -> list[Kind]:
    """The kinds of personal data the read models hold about named people (what `reads_lists` shows)."""
    kinds = {e.privacy.kind for e in entries if e.source is Source.READ_MODEL and e.level is not Level.NOT_PERSONAL}
    return sorted(kinds, key=list(Kind).index)
