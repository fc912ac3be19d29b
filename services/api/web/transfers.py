"""The receiving side of a member's transfer: the cell sees who was introduced to it and records the presentation.

Until the presentation the member is the home unit's, so the person's page is not the receiving cell's to read
(I8); the API still lets the receiving unit record `presentTransfer` (its wall is the unit the transfer goes
to), and this page offers exactly that step, sent through the one use case `record_person_step`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Final

from litestar import get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from domain.person.records import PersonState
from projections import queries
from projections.queries import MemberEntry
from services.api.platform.problems import not_found
from services.commands.actors import Actor
from services.commands.people import record_person_step, step_request
from services.commands.person_ids import PERSON_ID
from services.commands.person_steps import STEPS
from services.commands.results import Recorded
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, freshness, page, snapshot, subtree, unit_names, visible_unit
from .forms import FormField, body_from_form, form_fields
from .labels import choice_label
from .people import Form, Refusal, attempt, named
from .session import PREFIX, Context

Position = Annotated[int | None, QueryParameter(ge=0)]
PRESENT: Final = next(s for s in STEPS if s.operation_id == "presentTransfer")


@dataclass(frozen=True)
class Incoming:
    """One member on the way in, with the stream version a presentation is decided on."""

    member: MemberEntry
    version: int
    kind_vi: str


def _incoming_to(ledger: Ledger, units: list[str], person_id: str) -> PersonState | None:
    """The person, if a transfer to one of `units` is pending; anyone else is not this page's to name."""
    if not PERSON_ID.fullmatch(person_id):
        return None
    state = ledger.people.load(ledger.store, person_id)
    pending = state.membership.pending_transfer if state.membership else None
    return state if pending is not None and pending.to_unit_id in units else None


def _rows(ledger: Ledger, units: list[str], found: tuple[MemberEntry, ...]) -> list[Incoming]:
    rows = []
    for member in found:
        state = _incoming_to(ledger, units, member.stream_id)
        pending = state.membership.pending_transfer if state and state.membership else None
        if state is not None and pending is not None:
            rows.append(Incoming(member, state.version, choice_label(pending.kind)))
    return rows


def _page(
    ledger: Ledger,
    viewer: Actor,
    unit_id: str,
    *,
    min_position: int = 0,
    recorded: int | None = None,
    refusal: Refusal | None = None,
    open_person: str | None = None,
    values: dict[str, str] | None = None,
) -> Template:
    """The list, with one presentation form per member for the roles that take the step."""
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    units = subtree(tree, viewer, unit_id)
    found = snapshot(ledger, queries.incoming_transfers, units, reader=viewer, units=units, min_position=min_position)
    fields: list[FormField] = form_fields(PRESENT) if viewer.role in PRESENT.roles else []
    return page(
        "transfers.html",
        viewer,
        status_code=422 if refusal else 200,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        rows=_rows(ledger, units, found.members),
        may_present=viewer.role in PRESENT.roles,
        fields=fields,
        names=unit_names(tree),
        fresh=freshness(ledger, found.position, units),
        request_key=uuid.uuid4().hex,
        prefix=PREFIX,
        values=values or {},
        open_person=open_person,
        refusal=refusal,
        recorded=recorded,
    )


@get("/units/{unit_id:str}/transfers", sync_to_thread=True)
def incoming_transfers(
    unit_id: FromPath[str],
    viewer: Viewer,
    ledger: Context,
    recorded: Position = None,
    min_position: Position = None,
) -> Template:
    """Members introduced to this unit (or a unit below it) and not yet presented; waits (bounded) for a write."""
    return _page(ledger, viewer, unit_id, min_position=max(recorded or 0, min_position or 0), recorded=recorded)


@post("/units/{unit_id:str}/transfers/{person_id:str}", sync_to_thread=True, status_code=303)
def present_transfer(
    unit_id: FromPath[str], person_id: FromPath[str], data: Form, viewer: Viewer, ledger: Context
) -> Redirect | Template:
    """Record the presentation; then the page of a member now on this cell's roll, or this list again."""
    tree = ledger.tree()
    units = subtree(tree, viewer, unit_id)
    if viewer.role not in PRESENT.roles or _incoming_to(ledger, units, person_id) is None:
        raise not_found()

    def record() -> Recorded:
        body = body_from_form(PRESENT, data, int(data.get("expected_version", "")))
        key = data.get("request_key") or uuid.uuid4().hex
        return record_person_step(ledger, step_request(viewer, PRESENT, person_id, body, key))

    outcome = attempt(record)
    if isinstance(outcome, Refusal):
        refused = named(outcome, ledger, tree, viewer)
        return _page(ledger, viewer, unit_id, refusal=refused, open_person=person_id, values=data)
    cell = ledger.people.load(ledger.store, person_id).cell_id
    if cell in units:
        return Redirect(f"{PREFIX}/people/{person_id}?recorded={outcome.last_position}", status_code=303)
    return Redirect(f"{PREFIX}/units/{unit_id}/transfers?recorded={outcome.last_position}", status_code=303)
