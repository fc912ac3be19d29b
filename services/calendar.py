"""Working-calendar declarations: load the province's declarations, decide, append (STYLE habit 4).

The declarations live in one stream (`calendar-province`) filed under the province, so every decision and
projection builds the same calendar (`domain.calendar.calendar_from_declarations`). Shared by the API and any
command-line or generator caller, like `services.units.handle_unit_command`.
"""

from __future__ import annotations

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
from domain.paper import check_date, check_paper
from domain.units.refusals import clean_reference
from eventstore import AppendResult, EventStore, NewEvent, WrongExpectedVersion
from services.units import Actor, command_metadata, refuse_if_stale

DECLARATION_TYPES: Final = (DayOffDeclared, WorkingDayDeclared, DayDeclarationWithdrawn)


def load_declarations(store: EventStore, up_to_version: int | None = None) -> tuple[list[DayDeclaration], int]:
    """The declarations in log order, optionally as the stream stood at an earlier version, and that version."""
    events = store.read_stream(CALENDAR_STREAM_ID)
    if up_to_version is not None:
        events = events[:up_to_version]
    declared = [EVENTS.decode(e.event_type, e.schema_version, e.data) for e in events]
    return [d for d in declared if isinstance(d, DECLARATION_TYPES)], len(events)


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
    """Decide against the calendar as it stood at `expected_version` (I2, I3, as for units); None: no change."""
    check_date(occurred_on, "occurred_on")
    check_paper(declaration)  # before "changes nothing", which must not accept what a change would refuse
    document_ref = clean_reference(document_ref) if document_ref and document_ref.strip() else None
    declared, version = load_declarations(store, expected_version)
    if expected_version is not None and version != expected_version:
        raise WrongExpectedVersion(CALENDAR_STREAM_ID, expected_version, version)
    if changes_nothing(calendar_from_declarations(declared), declaration):
        refuse_if_stale(store, CALENDAR_STREAM_ID, expected_version)  # the current calendar may change it
        return None
    metadata = command_metadata(actor, occurred_on, correlation_id, document_ref)
    event_type, schema_version, data = EVENTS.encode(declaration)
    event = NewEvent(event_type, data, occurred_on, province_id, metadata, schema_version)
    return store.append(CALENDAR_STREAM_ID, [event], expected_version=version, idempotency_key=idempotency_key)
