"""Who read a person's file ("Ai đã xem hồ sơ này", I13): the newest reads on the file's page, every read on a
page of its own, a page at a time. Readers are named as people read them — the account's full name, the role
in Vietnamese and the unit's name — never by id; the record and its walls are `services.audit.person_reads`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Final

from litestar import get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from services.audit.person_reads import RECORD_READERS, ReadKind, read_person, reads_of_person
from services.commands.account_log import load_accounts
from services.commands.actors import Actor, Role
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, page, unit_names
from .session import Context

ON_FILE_PAGE: Final = 10
"""The newest reads the file's page shows; the rest are a click away."""
PAGE: Final = 50
NO_ACCOUNT: Final = "Tài khoản dịch vụ"
"""A token issued by the CLI (a service, a demo user) names no person: said so, never shown by its id."""


@dataclass(frozen=True)
class ReadLine:
    read_at: datetime
    reader: str
    role: str
    unit: str
    kind: str


@dataclass(frozen=True)
class ReadsShown:
    lines: list[ReadLine]
    next_cursor: int | None


def may_list_reads(viewer: Actor) -> bool:
    return viewer.role in RECORD_READERS


def reads_shown(ledger: Ledger, viewer: Actor, person_id: str, before: int | None, limit: int) -> ReadsShown:
    """The reads of the file, newest first, as the page names them."""
    found = reads_of_person(ledger, ledger.engine, viewer, person_id, before=before, limit=limit + 1)
    users = load_accounts(ledger.store).users
    units = unit_names(ledger.tree())
    lines = []
    for r in found[:limit]:
        account = users.get(r.user_id)
        role = Role(r.role).label_vi if r.role in Role.__members__.values() else r.role
        kind = ReadKind(r.kind).label_vi if r.kind in ReadKind.__members__.values() else r.kind
        lines.append(
            ReadLine(r.read_at, account.full_name if account else NO_ACCOUNT, role, units.get(r.acting_unit, "—"), kind)
        )
    more = len(found) > limit
    return ReadsShown(lines, found[limit - 1].read_id if more else None)


@get("/people/{person_id:str}/reads", sync_to_thread=True)
def person_reads_page(
    person_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    cursor: Annotated[int | None, QueryParameter(ge=1, le=2**63 - 1)] = None,
) -> Template:
    """Every recorded read of the file, a page at a time (the person's name heads it: that read is recorded too)."""
    shown = reads_shown(ledger, viewer, person_id, cursor, PAGE)  # the walls and the roles first
    state = read_person(ledger, ledger.engine, viewer, person_id, ReadKind.FILE)
    assert state.cell_id is not None
    return page(
        "person_reads.html",
        viewer,
        name=state.particulars.full_name if state.particulars else "Hồ sơ",
        person_id=person_id,
        crumbs=breadcrumbs(ledger.tree(), viewer, state.cell_id),
        reads=shown,
    )
