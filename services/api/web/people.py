"""A person's file: the timeline of what the log holds, and the next steps as forms for those who may take them.

A posted form goes through the one use case, `services.commands.people.record_person_step` (walls, facts
from the log, decide, append, doorbell): the page is another face of the same command, never a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.person.records import PersonState
from eventstore import IdempotencyKeyReused, RecordedEvent, WrongExpectedVersion
from services.api.platform.metrics import RULE_REFUSALS
from services.api.platform.problems import FILED_ELSEWHERE_VI, not_found
from services.commands.actors import Actor
from services.commands.people import allowed_steps, record_person_step, step_request, visible_person, visible_records
from services.commands.person_steps import STEPS
from services.commands.results import Recorded
from services.commands.walls import FiledElsewhere
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, page
from .forms import FormProblem, body_from_form, form_fields
from .labels import event_label
from .session import PREFIX, Context
from .vote_results import vote_result_vi

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
BY_OPERATION = {s.operation_id: s for s in STEPS}


@dataclass(frozen=True)
class Entry:
    """One line of the timeline: the paper's date and the recording moment are both shown (two clocks)."""

    position: int
    version: int
    label: str
    occurred_on: date
    recorded_at: datetime
    actor: str
    role: str
    document_ref: str | None
    rule_set: str
    result: str | None = None


@dataclass(frozen=True)
class Refusal:
    rule_id: str | None
    message: str


def _entry(event: RecordedEvent) -> Entry:
    meta = event.metadata
    return Entry(
        event.position,
        event.stream_version,
        event_label(event.event_type),
        event.occurred_on,
        event.recorded_at,
        str(meta.get("actor", "")),
        str(meta.get("role", "")),
        meta.get("document_ref"),
        str(meta.get("rule_set") or event.data.get("rule_set", "")),
        vote_result_vi(event.event_type, event.data),
    )


def _person_page(
    ledger: Ledger,
    viewer: Actor,
    person_id: str,
    *,
    refusal: Refusal | None = None,
    recorded: int | None = None,
    status_code: int = 200,
    open_step: str | None = None,
    values: dict[str, str] | None = None,
) -> Template:
    tree = ledger.tree()
    state, records = visible_records(ledger, viewer, person_id)
    assert state.cell_id is not None
    return page(
        "person.html",
        viewer,
        status_code=status_code,
        state=state,
        name=state.particulars.full_name if state.particulars else person_id,
        crumbs=breadcrumbs(tree, viewer, state.cell_id),
        timeline=[_entry(e) for e in reversed(records)],
        steps=[(s, form_fields(s)) for s in allowed_steps(state, viewer)],
        refusal=refusal,
        recorded=recorded,
        request_key=uuid.uuid4().hex,
        open_step=open_step,
        values=values or {},
        prefix=PREFIX,
    )


@get("/people/{person_id:str}", sync_to_thread=True)
def person(
    person_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    recorded: Annotated[int | None, QueryParameter(ge=0)] = None,
) -> Template:
    return _person_page(ledger, viewer, person_id, recorded=recorded)


def _refusal(exc: Exception) -> Refusal:
    """What an officer reads when the rules or the record say no, in Vietnamese with the rule's id."""
    if isinstance(exc, RuleViolation):
        RULE_REFUSALS.labels(rule_id=exc.rule_id).inc()
        return Refusal(exc.rule_id, exc.message_vi)
    if isinstance(exc, InvalidCommand):
        return Refusal(None, f"Trường “{exc.field}”: {exc.message_vi}")
    if isinstance(exc, DomainError):
        return Refusal(None, exc.message_vi)
    if isinstance(exc, WrongExpectedVersion):
        return Refusal(None, "Hồ sơ đã thay đổi kể từ khi trang được mở; hãy xem lại rồi ghi lại bước này.")
    if isinstance(exc, IdempotencyKeyReused):
        return Refusal(None, "Biểu mẫu này đã được gửi với nội dung khác; hãy mở lại trang.")
    return Refusal(None, str(exc))


def attempt(record: Callable[[], Recorded]) -> Recorded | Refusal:
    """Run one step; what the rules, the record or the form refuse comes back as what the officer reads."""
    try:
        return record()
    except (DomainError, WrongExpectedVersion, IdempotencyKeyReused) as exc:
        return _refusal(exc)
    except FiledElsewhere:
        return Refusal(None, FILED_ELSEWHERE_VI)
    except ValueError as exc:
        return Refusal(None, str(exc) if isinstance(exc, FormProblem) else "Dữ liệu biểu mẫu không hợp lệ.")


@post("/people/{person_id:str}/steps/{operation_id:str}", sync_to_thread=True, status_code=303)
def take_step(
    person_id: FromPath[str], operation_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Record one step from its form; a refusal comes back on the same page, nothing recorded."""
    step = BY_OPERATION.get(operation_id)
    state: PersonState = visible_person(ledger, viewer, person_id)
    if step is None or step.creates or step not in allowed_steps(state, viewer):
        raise not_found()

    def record() -> Recorded:
        body = body_from_form(step, data, int(data.get("expected_version", "")))
        key = data.get("request_key") or uuid.uuid4().hex
        return record_person_step(ledger, step_request(viewer, step, person_id, body, key))

    outcome = attempt(record)
    if isinstance(outcome, Recorded):
        return Redirect(f"{PREFIX}/people/{person_id}?recorded={outcome.last_position}", status_code=303)
    return _person_page(
        ledger, viewer, person_id, refusal=outcome, status_code=422, open_step=operation_id, values=data
    )
