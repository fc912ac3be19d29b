"""Retracting an entry recorded by mistake (R-RETRACT): a confirmation page, then the one use case.

The person page links "Thu hồi" on the one entry this caller may retract now (`retractable_entry`, judged as
the step would be); this page names the entry, asks for the reason and posts `retractEntry` through
`record_person_step`, like every other step's form.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

import msgspec
from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from domain.errors import InvalidCommand
from domain.rules.retraction import RETRACT_WITHIN_DAYS
from eventstore import RecordedEvent
from services.api.platform.problems import not_found
from services.audit.person_reads import ReadKind, record_person_read
from services.commands.actors import Actor
from services.commands.people import record_person_step, step_request, visible_records
from services.commands.results import Recorded
from services.commands.retractions import RETRACT, retractable_entry
from services.commands.walls import today
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, page, unit_names
from .labels import event_label
from .people import Refusal, attempt
from .session import PREFIX, Context

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
NO_REASON_VI = "Hãy ghi lý do thu hồi (vì sao mục này bị ghi nhầm)."


@dataclass(frozen=True)
class Retracting:
    """The entry as the officer saw it on the timeline: what, the two dates, which unit recorded it."""

    labels: list[str]
    occurred_on: date
    recorded_at: datetime
    recorded_by: str
    document_ref: str | None


def _entry(records: list[RecordedEvent], version: int, names: Mapping[str, str]) -> Retracting:
    first = records[version - 1]
    same = [
        r for r in records[version - 1 :] if r.metadata.get("correlation_id") == first.metadata.get("correlation_id")
    ]
    unit = str(first.metadata.get("acting_unit", ""))
    return Retracting(
        [event_label(r.event_type) for r in same],
        first.occurred_on,
        first.recorded_at,
        names.get(unit, unit),
        first.metadata.get("document_ref"),
    )


def _confirm_page(
    ledger: Ledger,
    viewer: Actor,
    person_id: str,
    version: int,
    *,
    reason: str = "",
    field_error: str | None = None,
    refusal: Refusal | None = None,
    status_code: int = 200,
) -> Template:
    state, records = visible_records(ledger, viewer, person_id)
    if retractable_entry(ledger, viewer, state) != version:
        raise not_found()  # not this caller's to retract now: the same answer as an entry that never was
    record_person_read(ledger.engine, viewer, ReadKind.FILE, person_id)  # the page shows the name and the entry (I13)
    assert state.cell_id is not None
    tree = ledger.tree()
    return page(
        "retraction.html",
        viewer,
        status_code=status_code,
        state=state,
        name=state.particulars.full_name if state.particulars else "",
        crumbs=breadcrumbs(tree, viewer, state.cell_id),
        entry=_entry(records, version, unit_names(tree)),
        version=version,
        today=today(),
        within_days=RETRACT_WITHIN_DAYS,
        reason=reason,
        field_error=field_error,
        refusal=refusal,
        request_key=uuid.uuid4().hex,
        prefix=PREFIX,
    )


@get("/people/{person_id:str}/retractions/{version:int}", sync_to_thread=True)
def confirm_retraction(person_id: FromPath[str], version: FromPath[int], viewer: Viewer, ledger: Context) -> Template:
    """The confirmation form: which entry, why retract it (required), and what a retraction does."""
    return _confirm_page(ledger, viewer, person_id, version)


@post("/people/{person_id:str}/retractions/{version:int}", sync_to_thread=True, status_code=303)
def retract(
    person_id: FromPath[str], version: FromPath[int], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Record the retraction; a missing reason or a refusal comes back on the same form, nothing recorded."""
    reason = data.get("reason", "")

    def again(field_error: str | None = None, refusal: Refusal | None = None) -> Template:
        return _confirm_page(
            ledger, viewer, person_id, version, reason=reason, field_error=field_error, refusal=refusal, status_code=422
        )

    if not reason.strip():
        return again(field_error=NO_REASON_VI)
    fields = {
        "entry_version": version,
        "reason": reason,
        "occurred_on": today().isoformat(),
        "expected_version": data.get("expected_version", ""),
    }

    at_reason: list[str] = []

    def record() -> Recorded:
        body = msgspec.convert(fields, RETRACT.body, strict=False)
        key = data.get("request_key") or uuid.uuid4().hex
        try:
            return record_person_step(ledger, step_request(viewer, RETRACT, person_id, body, key))
        except InvalidCommand as exc:  # the reason itself (hidden characters, too long): said at the field
            if exc.field == "reason":
                at_reason.append(exc.message_vi)
            raise

    outcome = attempt(record)
    if isinstance(outcome, Recorded):
        return Redirect(f"{PREFIX}/people/{person_id}?recorded={outcome.last_position}", status_code=303)
    return again(field_error=at_reason[0]) if at_reason else again(refusal=outcome)
