"""The report to the unit before a retention erasure (R-PRIVACY-RETAIN; issue 20 item 4): "Hồ sơ hết thời hạn lưu
trữ" of a unit's subtree, for the committees' officers and the province's administrator.

It lists what the daily retention run (`services.privacy.retention_run`) will erase, and when: each closed file
past its period, with its outcome and the outcome's date, the day it fell due and the day it will be erased (a
notice period later), named — it is not erased yet, and the unit must know whose file it is to object in time.
Read from the closed files' read model (`projections/retention.py`: a log scan per page took most of a minute on
a province) and judged by the same function and rules as the run (`due_for_erasure`), which reads the log.
A unit outside the caller's subtree, or a role that does not erase, reads as missing (I8).
"""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.response import Template

from domain.retention import DEFAULT_MONTHS
from projections import queries
from services.api.platform.problems import not_found
from services.commands.erasure import ERASERS
from services.commands.walls import today
from services.privacy.outcomes import PersonOutcome
from services.privacy.retention import rules_from
from services.privacy.retention_run import due_for_erasure

from .common import Viewer, breadcrumbs, freshness, page, snapshot, subtree, unit_names, visible_unit
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
    closed = snapshot(ledger, queries.closed_files, units, reader=viewer, units=units)
    people = [PersonOutcome(f.stream_id, f.unit_id, f.stage, f.closed_on, f.outcome, f.full_name) for f in closed.files]
    due = due_for_erasure(people, rules, day, settings.retention_notice_days, units)
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
        fresh=freshness(ledger, closed.position, units),
        prefix=PREFIX,
    )
