"""Auditors' pages on the audit backend: verification and seals, a unit's history with each event's
chain status, and the unit's figures "as of" a date on both clocks side by side. Every read is recorded, as
the API records auditors' reads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from litestar import get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from eventstore.history import HistoryFilter, read_history
from projections.queries import subtree_units
from services.api.platform.audit_params import after_position, bounded
from services.audit.asof import dashboard_as_of, file_as_of
from services.audit.auditors import record, require_auditor
from services.audit.clocks import Clock, Cut, end_of_day, start_of_day
from services.audit.history_view import history_page
from services.audit.person_reads import ReadKind, record_list_read, record_person_read
from services.audit.unit_verify import verify_unit
from services.audit.verifying import kept_form
from services.commands.people import visible_person
from services.commands.walls import today
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, page, visible_unit
from .format import parse_day
from .labels import event_label
from .pages import term_of
from .session import Context

SHOWN_SEALS: Final = 50
PAGE: Final = 100
PROBLEM_KINDS_VI: Final = {
    "changed": "một sự kiện đã bị sửa",
    "removed": "một sự kiện đã bị xóa",
    "inserted": "một sự kiện đã bị chèn thêm",
    "seal": "dấu niêm phong không khớp với sổ",
}
CHAIN_VI: Final = {"ok": "khớp", **PROBLEM_KINDS_VI}
Text = Annotated[str, QueryParameter(max_length=20)]


def _audit(ledger: Ledger, viewer: Viewer, verify: bool) -> Template:
    require_auditor(viewer)
    report = verify_unit(ledger, viewer, viewer.unit_id) if verify else None
    if verify:
        record(ledger.engine, viewer, "web:verifyLog", viewer.unit_id)
    seals = list(reversed(ledger.store.seals()))[:SHOWN_SEALS]
    return page(
        "audit.html",
        viewer,
        seals=[(s, kept_form(s)) for s in seals],
        report=report,
        head=ledger.store.head_position(),
        problem_kinds=PROBLEM_KINDS_VI,
    )


@get("/audit", sync_to_thread=True)
def audit_page(viewer: Viewer, ledger: Context) -> Template:
    """The latest seals, to compare with the printed copies kept outside the system."""
    return _audit(ledger, viewer, verify=False)


@post("/audit/verification", sync_to_thread=True, status_code=200)
def audit_verify(viewer: Viewer, ledger: Context) -> Template:
    """Re-read the caller's part of the log and check every hash chain and seal (slow on a big log)."""
    return _audit(ledger, viewer, verify=True)


def _days(*texts: str) -> list[date | None]:
    """The page's dates, dd/mm/yyyy; a date that is not one is simply not applied."""
    days = []
    for text in texts:
        try:
            days.append(bounded(parse_day(text), "date"))
        except ValueError:
            days.append(None)
    return days


@get("/audit/units/{unit_id:str}/history", sync_to_thread=True)
def unit_history(
    unit_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    occurred_from: Text = "",
    occurred_to: Text = "",
    recorded_from: Text = "",
    recorded_to: Text = "",
    cursor: FromQuery[str | None] = None,
) -> Template:
    """The subtree's events in log order, filtered by dates on either clock, with each one's chain status."""
    require_auditor(viewer)
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    o_from, o_to, r_from, r_to = _days(occurred_from, occurred_to, recorded_from, recorded_to)
    chosen = HistoryFilter(
        units=subtree_units(tree, unit_id, today()),
        occurred_from=o_from,
        occurred_to=o_to,
        recorded_from=start_of_day(r_from) if r_from else None,
        recorded_before=end_of_day(r_to) if r_to else None,
    )
    record(ledger.engine, viewer, "web:listUnitHistory", unit_id, cursor=cursor)
    events = read_history(ledger.store, chosen, after_position=after_position(cursor), limit=PAGE)
    history = history_page(ledger.store, events, PAGE)
    record_list_read(ledger.engine, viewer, [unit_id], history)  # the people its events name (I13)
    return page(
        "audit_history.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        history=history,
        label=event_label,
        chain_vi=CHAIN_VI,
        filters={"occurred_from": occurred_from, "occurred_to": occurred_to,
                 "recorded_from": recorded_from, "recorded_to": recorded_to},
    )  # fmt: skip


@get("/audit/units/{unit_id:str}/as-of", sync_to_thread=True)
def unit_as_of(unit_id: FromPath[str], viewer: Viewer, ledger: Context, on: Text = "") -> Template:
    """The unit's figures replayed from the log as of a day: true on that day (date on the paper) beside what
    the ledger said that day (date recorded), and the papers that make them differ."""
    require_auditor(viewer)
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    day = _days(on)[0] or today()
    record(ledger.engine, viewer, "web:getDashboardAsOf", unit_id, on=day.isoformat())
    clocks = {
        clock: dashboard_as_of(ledger.store, unit_id, Cut(day, clock), day.year, term_of(day.year))
        for clock in (Clock.OCCURRED, Clock.RECORDED)
    }
    record_list_read(ledger.engine, viewer, [unit_id], list(clocks.values()))  # the differences name people (I13)
    return page(
        "audit_as_of.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        day=day,
        true_on=clocks[Clock.OCCURRED],
        ledger_on=clocks[Clock.RECORDED],
        label=event_label,
    )


@get("/audit/people/{person_id:str}/as-of", sync_to_thread=True)
def person_as_of(person_id: FromPath[str], viewer: Viewer, ledger: Context, on: Text = "") -> Template:
    """A person's file as of a day on both clocks: the stage it had by the papers, and the stage the ledger
    showed that day."""
    require_auditor(viewer)
    tree = ledger.tree()
    state = visible_person(ledger, viewer, person_id)
    day = _days(on)[0] or today()
    record_person_read(ledger.engine, viewer, ReadKind.AS_OF, person_id)  # for the person's unit (I13)
    record(ledger.engine, viewer, "web:getPersonAsOf", person_id, on=day.isoformat())
    true_on, ledger_on = (file_as_of(ledger.store, person_id, Cut(day, c)) for c in (Clock.OCCURRED, Clock.RECORDED))
    return page(
        "audit_person.html",
        viewer,
        name=state.particulars.full_name if state.particulars else person_id,
        person_id=person_id,
        crumbs=breadcrumbs(tree, viewer, state.cell_id or viewer.unit_id),
        day=day,
        true_on=true_on,
        ledger_on=ledger_on,
        label=event_label,
    )
