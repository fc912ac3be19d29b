"""Working-calendar declarations: the province's declarations from the log, walls, decide, append (habit 4).

The declarations live in one stream (`calendar-province`) filed under the province, so every decision and
projection builds the same calendar (`domain.calendar.calendar_from_declarations`). Only a provincial
administrator at the province declares (I8: the calendar belongs to the province, above every other unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.calendar import (
    CALENDAR_STREAM_ID,
    DayDeclaration,
    DayDeclarationWithdrawn,
    DayOffDeclared,
    WorkingCalendar,
    WorkingDayDeclared,
    calendar_from_declarations,
)
from domain.codec import EVENTS
from domain.paper import check_date, check_not_future, check_paper
from domain.units.refusals import clean_reference
from eventstore import AppendResult, EventStore, NewEvent, RecordedEvent

from .actors import Actor, Role
from .context import CommandContext
from .idempotency import scoped_key
from .results import Recorded
from .units import command_metadata
from .versions import decide_at
from .walls import WallDenied, require_role, today

DECLARATION_TYPES: Final = (DayOffDeclared, WorkingDayDeclared, DayDeclarationWithdrawn)


def _declared(events: list[RecordedEvent]) -> list[DayDeclaration]:
    decoded = [EVENTS.decode(e.event_type, e.schema_version, e.data) for e in events]
    return [d for d in decoded if isinstance(d, DECLARATION_TYPES)]


def load_declarations(store: EventStore, up_to_version: int | None = None) -> tuple[list[DayDeclaration], int]:
    """The declarations in log order, optionally as the stream stood at an earlier version, and that version."""
    events = store.read_stream(CALENDAR_STREAM_ID)
    if up_to_version is not None:
        events = events[:up_to_version]
    return _declared(events), len(events)


def changes_nothing(calendar: WorkingCalendar, declaration: DayDeclaration) -> bool:
    """Declaring what is already declared (or withdrawing what is not) records nothing, like a repeated rename."""
    day = declaration.day
    if isinstance(declaration, DayOffDeclared):
        return day in calendar.extra_days_off
    if isinstance(declaration, WorkingDayDeclared):
        return day in calendar.extra_working_days
    return day not in calendar.extra_days_off and day not in calendar.extra_working_days


def handle_day_declaration(
    store: EventStore,
    declaration: DayDeclaration,
    *,
    province_id: str,
    occurred_on: date,
    actor: Actor,
    idempotency_key: str | None = None,
    document_ref: str | None = None,
    expected_version: int | None = None,
    correlation_id: str | None = None,
) -> AppendResult | None:
    """Decide against the calendar at `expected_version` (`decide_at`); None when it changes nothing."""
    check_date(occurred_on, "occurred_on")
    check_paper(declaration)  # before "changes nothing", which must not accept what a change would refuse
    document_ref = clean_reference(document_ref) if document_ref and document_ref.strip() else None
    events = store.read_stream(CALENDAR_STREAM_ID)

    def decide(declared: list[DayDeclaration]) -> list[DayDeclaration]:
        return [] if changes_nothing(calendar_from_declarations(declared), declaration) else [declaration]

    _, decided = decide_at(CALENDAR_STREAM_ID, len(events), expected_version, lambda v: _declared(events[:v]), decide)
    if not decided:
        return None
    metadata = command_metadata(actor, occurred_on, correlation_id, document_ref)
    event_type, schema_version, data = EVENTS.encode(declaration)
    event = NewEvent(event_type, data, occurred_on, province_id, metadata, schema_version)
    version = len(events) if expected_version is None else expected_version
    return store.append(CALENDAR_STREAM_ID, [event], expected_version=version, idempotency_key=idempotency_key)


@dataclass(frozen=True)
class DayRequest:
    """A typed request to declare (or withdraw) a day: who, what, on which paper, at which calendar version."""

    actor: Actor
    declaration: DayDeclaration
    occurred_on: date
    expected_version: int
    idempotency_key: str
    document_ref: str | None = None


def declare_day(ctx: CommandContext, request: DayRequest) -> Recorded:
    """Walls (an administrator at the province, the root of the tree), then decide, append and ring."""
    require_role(request.actor, Role.PROVINCIAL_ADMIN)
    unit = ctx.tree().latest(request.actor.unit_id)
    if unit is None or unit.parent_id is not None:
        raise WallDenied("only the province declares days")
    check_not_future(request.occurred_on, today())  # R-DATE-FUTURE
    result = handle_day_declaration(
        ctx.store,
        request.declaration,
        province_id=unit.unit_id,
        occurred_on=request.occurred_on,
        actor=request.actor,
        idempotency_key=scoped_key(request.actor, request.idempotency_key),
        document_ref=request.document_ref,
        expected_version=request.expected_version,
    )
    return ctx.recorded(result, CALENDAR_STREAM_ID, [unit.unit_id])
