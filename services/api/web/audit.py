"""The auditor's page on what the event store already offers: the seals and a verification of the hash chains.

History and "as of" pages wait for the audit backend (issue 6); this page uses only `eventstore.verify`.
"""

from __future__ import annotations

from litestar import get, post
from litestar.response import Template

from eventstore.verify import verify_store

from ..auth import Principal, Role
from ..context import Ledger
from ..walls import require_role
from .common import Viewer, page
from .session import Context

SHOWN_SEALS = 50
PROBLEM_KINDS_VI = {
    "changed": "một sự kiện đã bị sửa",
    "removed": "một sự kiện đã bị xóa",
    "inserted": "một sự kiện đã bị chèn thêm",
    "seal": "dấu niêm phong không khớp với sổ",
}


def _audit(ledger: Ledger, viewer: Principal, verified: bool) -> Template:
    require_role(viewer, Role.AUDITOR)
    seals = list(reversed(ledger.store.seals()))[:SHOWN_SEALS]
    report = verify_store(ledger.store) if verified else None
    return page(
        "audit.html",
        viewer,
        seals=seals,
        report=report,
        head=ledger.store.head_position(),
        problem_kinds=PROBLEM_KINDS_VI,
    )


@get("/audit", sync_to_thread=True)
def audit_page(viewer: Viewer, ledger: Context) -> Template:
    """The latest seals, to compare with the printed copies kept outside the system."""
    return _audit(ledger, viewer, verified=False)


@post("/audit/verification", sync_to_thread=True, status_code=200)
def audit_verify(viewer: Viewer, ledger: Context) -> Template:
    """Re-read the whole log and check every hash chain and seal (it takes a while on a big log)."""
    return _audit(ledger, viewer, verified=True)
