"""The report to the unit before a retention erasure (R-PRIVACY-RETAIN; issue 20 item 4): "Hồ sơ hết thời hạn lưu
trữ" of a unit's subtree, for the committees' officers and the province's administrator.

It lists what the daily retention run (`services.privacy.retention_run`) will erase, and when: each closed file
past its period, with its outcome and the outcome's date, the day it fell due and the day it will be erased (a
notice period later), named — it is not erased yet, and the unit must know whose file it is to object in time.
Read from the log through the same function the run uses (`due_for_erasure`), so the page and the run never
disagree. A unit outside the caller's subtree, or a role that does not erase, reads as missing (I8).
"""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.response import Template

from domain.retention import DEFAULT_MONTHS
from services.api.platform.problems import not_found
from services.commands.erasure import ERASERS
from services.commands.walls import today
from services.privacy.outcomes import scan_log
from services.privacy.retention import rules_from
from services.privacy.retention_run import due_for_erasure

from .common import Viewer, breadcrumbs, page, subtree, unit_names, visible_unit
from .session import PREFIX, Context


@get("/units/{unit_id:str}/retention", sync_to_thread=True)
def retention_page(unit_id: FromPath[str], viewer: Viewer, ledger: Context) -> Template:
    """The subtree's files due for erasure, soonest first, with the retention periods in force."""
    if viewer.role not in ERASERS:
        raise not_found()
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    units = subtree(tree, viewer, unit_id)
    settings = ledger.settings
    rules = rules_from(settings.retention_months)
    day = today()
    due = due_for_erasure(scan_log(ledger.store).people, rules, day, settings.retention_notice_days, units)
    return page(
        "retention.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        due=due,
        rules=[rules[outcome] for outcome in DEFAULT_MONTHS],
        notice_days=settings.retention_notice_days,
        today=day,
        names=unit_names(tree),
        prefix=PREFIX,
    )
