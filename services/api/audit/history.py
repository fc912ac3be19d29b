"""Auditors' reads of people and units: history with each event's hash and chain status, and "as of" a date on
either clock (I9). Walls as everywhere (I8): outside the caller's subtree is the same 404 as a missing thing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Router, get
from litestar.params import FromQuery, QueryParameter

from eventstore.history import HistoryFilter, read_history
from projections.queries import subtree_units
from services.api.audit.log_checks import AuditLogController
from services.api.platform.audit_params import ClockParam, Cursor, EventTypes, Limit, UserId, after_position, bounded
from services.api.platform.params import Caller, Context, PersonIdPath, Term, UnitIdPath, term_of
from services.api.platform.problems import not_found
from services.api.platform.responses import BOUNDED_READ_PROBLEMS, READ_PROBLEMS
from services.api.platform.security import SECURED
from services.audit.asof import DashboardAsOf, FileAsOf, TreeAsOfAnswer, dashboard_as_of, file_as_of, tree_as_of
from services.audit.auditors import record, require_auditor
from services.audit.clocks import Clock, Cut, end_of_day, start_of_day
from services.audit.history_view import HistoryPage, history_page
from services.audit.person_reads import ReadKind, record_list_read, record_person_read
from services.commands.actors import Actor
from services.commands.people import visible_person
from services.commands.person_ids import PERSON_ID
from services.commands.walls import require_within, today
from services.ledger import Ledger

Day = Annotated[date | None, QueryParameter(description="Inclusive (dates in Vietnam for the recorded clock)")]


def _person(ledger: Ledger, principal: Actor, person_id: str) -> None:
    """The person's current cell must be in the caller's subtree (as for getPerson)."""
    if not PERSON_ID.fullmatch(person_id):
        raise not_found()
    visible_person(ledger, principal, person_id)


class AuditController(Controller):
    path = "/audit"
    tags = ["audit"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(
        "/people/{person_id:str}/history", operation_id="getPersonHistory", sync_to_thread=True, responses=READ_PROBLEMS
    )
    def person_history(
        self, person_id: PersonIdPath, ledger: Context, principal: Caller, cursor: Cursor = None, limit: Limit = 100
    ) -> HistoryPage:
        """Every event of the person's file with its hash and chain status, in log order."""
        require_auditor(principal)
        _person(ledger, principal, person_id)
        after = after_position(cursor)
        record_person_read(ledger.engine, principal, ReadKind.HISTORY, person_id)  # for the person's unit (I13)
        record(ledger.engine, principal, "getPersonHistory", person_id, cursor=cursor)
        chosen = HistoryFilter(stream_id=person_id)
        return history_page(ledger.store, read_history(ledger.store, chosen, after_position=after, limit=limit), limit)

    @get(
        "/units/{unit_id:str}/history",
        operation_id="listUnitHistory",
        sync_to_thread=True,
        responses=BOUNDED_READ_PROBLEMS,
    )
    def unit_history(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        subtree: FromQuery[bool] = False,
        event_type: EventTypes = None,
        actor: UserId = None,
        occurred_from: Day = None,
        occurred_to: Day = None,
        recorded_from: Day = None,
        recorded_to: Day = None,
        cursor: Cursor = None,
        limit: Limit = 100,
    ) -> HistoryPage:
        """The unit's events (or its subtree's), filtered by type, actor and dates on either clock."""
        require_auditor(principal)
        tree = ledger.tree()
        require_within(tree, principal, unit_id)
        after = after_position(cursor)
        recorded = (bounded(recorded_from, "recorded_from"), bounded(recorded_to, "recorded_to"))
        chosen = HistoryFilter(
            units=subtree_units(tree, unit_id, today()) if subtree else [unit_id],
            event_types=event_type,
            actor=actor,
            occurred_from=bounded(occurred_from, "occurred_from"),
            occurred_to=bounded(occurred_to, "occurred_to"),
            recorded_from=start_of_day(recorded[0]) if recorded[0] else None,
            recorded_before=end_of_day(recorded[1]) if recorded[1] else None,
        )
        record(ledger.engine, principal, "listUnitHistory", unit_id, subtree=subtree, cursor=cursor, actor=actor)
        found = history_page(ledger.store, read_history(ledger.store, chosen, after_position=after, limit=limit), limit)
        record_list_read(ledger.engine, principal, [unit_id], found)  # the people its events name (I13)
        return found

    @get(
        "/people/{person_id:str}/as-of",
        operation_id="getPersonAsOf",
        sync_to_thread=True,
        responses=BOUNDED_READ_PROBLEMS,
    )
    def person_as_of(
        self, person_id: PersonIdPath, ledger: Context, principal: Caller, on: FromQuery[date], clock: ClockParam
    ) -> FileAsOf:
        """The person's file as true on the date, or as the ledger stood on it, and the events that differ."""
        require_auditor(principal)
        _person(ledger, principal, person_id)
        cut = Cut(bounded(on, "on") or on, Clock(clock))
        record_person_read(ledger.engine, principal, ReadKind.AS_OF, person_id)  # for the person's unit (I13)
        record(ledger.engine, principal, "getPersonAsOf", person_id, on=on, clock=clock)
        answer = file_as_of(ledger.store, person_id, cut)
        if answer is None:
            raise not_found()
        return answer

    @get(
        "/units/{unit_id:str}/as-of/dashboard",
        operation_id="getDashboardAsOf",
        sync_to_thread=True,
        responses=BOUNDED_READ_PROBLEMS,
    )
    def dashboard_as_of(
        self,
        unit_id: UnitIdPath,
        ledger: Context,
        principal: Caller,
        on: FromQuery[date],
        clock: ClockParam,
        year: Annotated[int | None, QueryParameter(ge=1900, le=2200)] = None,
        term: Term = "2020-2025",
    ) -> DashboardAsOf:
        """The unit's dashboard replayed from the log as of the date on the chosen clock."""
        require_auditor(principal)
        require_within(ledger.tree(), principal, unit_id)
        cut = Cut(bounded(on, "on") or on, Clock(clock))
        record(ledger.engine, principal, "getDashboardAsOf", unit_id, on=on, clock=clock)
        found = dashboard_as_of(ledger.store, unit_id, cut, year or cut.on.year, term_of(term))
        record_list_read(ledger.engine, principal, [unit_id], found)  # its differences name people's steps (I13)
        return found

    @get(
        "/units/{unit_id:str}/as-of/tree",
        operation_id="getTreeAsOf",
        sync_to_thread=True,
        responses=BOUNDED_READ_PROBLEMS,
    )
    def tree_as_of(
        self, unit_id: UnitIdPath, ledger: Context, principal: Caller, on: FromQuery[date], clock: ClockParam
    ) -> TreeAsOfAnswer:
        """The unit and its subtree as they stood on the date, on the chosen clock."""
        require_auditor(principal)
        require_within(ledger.tree(), principal, unit_id)
        cut = Cut(bounded(on, "on") or on, Clock(clock))
        return tree_as_of(ledger.store, unit_id, cut)


audit_router = Router(path="/", route_handlers=[AuditController, AuditLogController], **SECURED)
