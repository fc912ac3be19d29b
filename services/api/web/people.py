"""A person's file: the timeline of what the log holds, and the next steps as forms for those who may take them.

A posted form goes through the one use case, `services.commands.people.record_person_step` (walls, facts
from the log, decide, append, doorbell): the page is another face of the same command, never a second one.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Annotated, Final

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, QueryParameter
from litestar.response import Redirect, Template

from domain.errors import DomainError, InvalidCommand, RuleViolation
from domain.person.records import PersonState
from domain.units.tree import UnitTree
from eventstore import IdempotencyKeyReused, RecordedEvent, WrongExpectedVersion
from services.api.platform.metrics import RULE_REFUSALS
from services.api.platform.problems import FILED_ELSEWHERE_VI, not_found
from services.audit.person_reads import ReadKind, read_person_records
from services.commands.actors import Actor, Role
from services.commands.erasure import ERASERS
from services.commands.next_steps import next_steps
from services.commands.people import record_person_step, step_request, visible_person
from services.commands.person_steps import STEPS, Step
from services.commands.results import Recorded
from services.commands.retractions import retractable_entry
from services.commands.walls import FiledElsewhere, today
from services.ledger import Ledger

from .cell_pickers import FIND, with_found
from .common import Viewer, breadcrumbs, page, unit_names
from .file_view import name_ids, person_choices, person_namer, summary
from .forms import FormField, FormProblem, body_from_form, current_values, form_fields, on_fields, with_choices
from .labels import event_label, field_label
from .person_reads import ON_FILE_PAGE, may_list_reads, reads_shown
from .session import PREFIX, Context
from .vote_results import vote_result_vi

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
BY_OPERATION = {s.operation_id: s for s in STEPS}
ERASED_FILE_VI: Final = "Hồ sơ đã xóa dữ liệu cá nhân"
"""The heading of an erased file (R-PRIVACY-ERASED), whose name is no longer known."""


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
    """What the officer reads: the rule's id and message, and each refused field's own message."""

    rule_id: str | None
    message: str
    fields: dict[str, str] = field(default_factory=dict)


def _entry(event: RecordedEvent, units: Mapping[str, str]) -> Entry:
    """The recorder is shown by role and unit ("Bí thư chi bộ · Chi bộ …"); login ids are for auditors."""
    meta = event.metadata
    role = str(meta.get("role", ""))
    who = Role(role).label_vi if role in Role.__members__.values() else role
    unit = units.get(str(meta.get("acting_unit", "")), "")
    return Entry(
        event.position,
        event.stream_version,
        event_label(event.event_type),
        event.occurred_on,
        event.recorded_at,
        f"{who} · {unit}" if unit else who,
        role,
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
    searched: str = "",
) -> Template:
    """The file and its steps' forms; `open_step`'s form shown again with `values` (refused, or after "Tìm" on
    its picker `searched`, whose matches it then lists)."""
    tree = ledger.tree()
    state, records = read_person_records(ledger, ledger.engine, viewer, person_id, ReadKind.FILE)
    assert state.cell_id is not None
    units = unit_names(tree)
    steps = next_steps(tree, state, viewer, today())
    choices = person_choices(ledger, tree, viewer, state, steps, values) if steps else None
    forms = [(s, with_choices(form_fields(s), choices)) for s in steps] if choices else []
    if open_step and values is not None:
        forms, values = _shown_again(forms, open_step, values, searched)
    prefilled = {s.operation_id: current_values(f, state.particulars, "particulars") for s, f in forms}
    if refusal is not None:
        refusal = named(refusal, ledger, tree, viewer)
        shown = next((f for s, f in forms if s.operation_id == open_step), [])
        refusal = replace(refusal, fields=on_fields(refusal.fields, shown))
    return page(
        "person.html",
        viewer,
        status_code=status_code,
        state=state,
        name=ERASED_FILE_VI if state.erased else state.particulars.full_name if state.particulars else "Hồ sơ",
        crumbs=breadcrumbs(tree, viewer, state.cell_id),
        cell_name=units.get(state.cell_id, ""),
        file=summary(state, viewer, person_namer(ledger, tree, viewer)),
        timeline=[_entry(e, units) for e in reversed(records)],
        steps=forms,
        prefilled=prefilled,
        subject_name=choices.subject_name if choices else "",
        subject_year=choices.subject_year if choices else "",
        retractable=retractable_entry(ledger, viewer, state),
        reads=reads_shown(ledger, viewer, person_id, None, ON_FILE_PAGE) if may_list_reads(viewer) else None,
        may_erase=viewer.role in ERASERS and not state.erased,
        refusal=refusal,
        recorded=recorded,
        request_key=uuid.uuid4().hex,
        open_step=open_step,
        values=values or {},
        prefix=PREFIX,
    )


def _shown_again(
    forms: list[tuple[Step, list[FormField]]], open_step: str, values: dict[str, str], searched: str
) -> tuple[list[tuple[Step, list[FormField]]], dict[str, str]]:
    """The open step's form as posted: the matches of the cells typed in it listed first (`with_found`)."""
    again = []
    for step, fields in forms:
        if step.operation_id == open_step:
            fields, values = with_found(fields, values, searched)
        again.append((step, fields))
    return again, values


@get("/people/{person_id:str}", sync_to_thread=True)
def person(
    person_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    recorded: Annotated[int | None, QueryParameter(ge=0)] = None,
) -> Template:
    return _person_page(ledger, viewer, person_id, recorded=recorded)


RULE_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "R-DATE-FUTURE": ("occurred_on",),
    "R-STAGE-ORDER": (),
    "R-HELPER-OFFICIAL": ("helper_id", "mentor_id"),
    "R-SPONSORS": ("sponsors",),
    "R-SPONSOR-COWORK": ("sponsors",),
    "R-VOTE-TWOTHIRDS": ("yes", "votes_in_favour"),
    "R-CELL-QUORUM": ("yes", "no", "exempt_absent_ids"),
    "R-AUTH-OVER60": ("provincial_consent_ref", "provincial_consent_on"),
    "R-READMIT": ("provincial_consent_ref", "conviction_cleared_on"),
    "R-ELIG-EDU": ("education_exemption",),
    "R-RATING": ("grade", "score"),
    "R-STRIKEOFF-GROUNDS": ("ground", "evidence_months"),
}
"""The inputs a rule's refusal is about: its message is shown next to them too (and on top with its id)."""


def _refusal(exc: Exception) -> Refusal:
    """What an officer reads when the rules or the record say no, in Vietnamese with the rule's id."""
    if isinstance(exc, RuleViolation):
        RULE_REFUSALS.labels(rule_id=exc.rule_id).inc()
        return Refusal(exc.rule_id, exc.message_vi, dict.fromkeys(RULE_FIELDS.get(exc.rule_id, ()), exc.message_vi))
    if isinstance(exc, InvalidCommand):
        name = exc.field.rpartition(".")[2]
        return Refusal(None, f"Trường “{field_label(name)}”: {exc.message_vi}", {exc.field: exc.message_vi})
    if isinstance(exc, DomainError):
        return Refusal(None, exc.message_vi)
    if isinstance(exc, WrongExpectedVersion):
        return Refusal(None, "Hồ sơ đã thay đổi kể từ khi trang được mở; hãy xem lại rồi ghi lại bước này.")
    if isinstance(exc, IdempotencyKeyReused):
        return Refusal(None, "Biểu mẫu này đã được gửi với nội dung khác; hãy mở lại trang.")
    return Refusal(None, str(exc))


def named(refusal: Refusal, ledger: Ledger, tree: UnitTree, viewer: Actor) -> Refusal:
    """The refusal with units and people named, never by id (the domain's messages carry ids)."""
    namer = person_namer(ledger, tree, viewer)
    fields = {name: name_ids(text, tree, namer) for name, text in refusal.fields.items()}
    return replace(refusal, message=name_ids(refusal.message, tree, namer), fields=fields)


def attempt(record: Callable[[], Recorded]) -> Recorded | Refusal:
    """Run one step; what the rules, the record or the form refuse comes back as what the officer reads."""
    try:
        return record()
    except (DomainError, WrongExpectedVersion, IdempotencyKeyReused) as exc:
        return _refusal(exc)
    except FiledElsewhere:
        return Refusal(None, FILED_ELSEWHERE_VI, {"citizen_id": FILED_ELSEWHERE_VI})
    except FormProblem as problem:
        return Refusal(None, problem.message_vi, problem.fields)
    except ValueError:
        return Refusal(None, "Trang đã cũ; hãy tải lại trang rồi nhập lại.")


@post("/people/{person_id:str}/steps/{operation_id:str}", sync_to_thread=True, status_code=303)
def take_step(
    person_id: FromPath[str], operation_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Record one step from its form; a refusal comes back on the same page, nothing recorded. The form's "Tìm"
    button (`FIND`, naming its picker) posts it to search for a cell instead: the page comes back with the
    form as typed and the cells found, so it works without scripts and loses nothing typed."""
    step = BY_OPERATION.get(operation_id)
    state: PersonState = visible_person(ledger, viewer, person_id)
    tree = ledger.tree()
    if step is None or step not in next_steps(tree, state, viewer, today()):
        raise not_found()

    searched = data.get(FIND, "")
    if searched:  # "Tìm" beside a picker: the form comes back with what its text matches, nothing recorded
        return _person_page(ledger, viewer, person_id, open_step=operation_id, values=data, searched=searched)

    def record() -> Recorded:
        choices = person_choices(ledger, tree, viewer, state, [step], data)
        body = body_from_form(step, data, int(data.get("expected_version", "")), choices)
        key = data.get("request_key") or uuid.uuid4().hex
        return record_person_step(ledger, step_request(viewer, step, person_id, body, key))

    outcome = attempt(record)
    if isinstance(outcome, Recorded):
        return Redirect(f"{PREFIX}/people/{person_id}?recorded={outcome.last_position}", status_code=303)
    return _person_page(
        ledger, viewer, person_id, refusal=outcome, status_code=422, open_step=operation_id, values=data
    )
