"""People: one POST per step of a person's file and membership (DOMAIN.md §2–§4), and what the caller may see.

A thin adapter (STYLE habit 4): each route decodes its step's body and calls the one use case,
`services.commands.people.record_person_step` (walls, facts from the log, decide at the caller's
`expected_version`, append, ring), which the web forms call too. A refused wall is a 404, the same answer
as for a person who does not exist (I8); a stale version a 409 (I2); a retry the first result (I3).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Router, get, post
from litestar.handlers import HTTPRouteHandler

from services.api.platform.audit_params import Cursor, Limit
from services.api.platform.examples import with_example
from services.api.platform.params import INT64_MAX, Caller, Context, IdempotencyKey, PersonIdPath
from services.api.platform.responses import READ_PROBLEMS, RECORDED, WRITE_PROBLEMS
from services.api.platform.security import SECURED
from services.audit.person_reads import ReadKind, read_person, reads_of_person
from services.commands.actors import Actor
from services.commands.next_steps import next_steps as steps_now
from services.commands.people import record_person_step, step_request
from services.commands.person_steps import STEPS, Step
from services.commands.results import Recorded
from services.commands.walls import require_role, today
from services.ledger import Ledger

FACTS_NOTE = (
    "Facts from other streams (the cell's roll, sponsors, helpers, the competent body, rating counts) are "
    "derived from the log as of `occurred_on`. `committee_size`, votes, consents, exemptions and excused "
    "absentees are facts of the resolution or document, in no stream: the request states them."
)


ANNOTATED: Any = Annotated
"""Subscripted with each step's body type at runtime (a type made at import time, which mypy cannot see)."""


class PersonRead(msgspec.Struct, frozen=True):
    """A person's state summary; never the citizen id (it stays in the log only)."""

    person_id: str
    stage: str
    stage_vi: str
    cell_id: str | None
    version: int
    last_step_on: str | None
    probation_ends_on: str | None
    official_from: str | None
    erased: bool = False
    """The file's personal data was erased (R-PRIVACY-ERASE): it is closed for good."""


class ReadOfPerson(msgspec.Struct, frozen=True):
    """One recorded read of the person's file: who (user, role, the unit they acted for), when (the database's
    clock), what (`person`: this API's summary or next steps; `file`: the dashboard's file page; `history`,
    `as_of`: an auditor's reads)."""

    read_id: int
    read_at: datetime
    user_id: str
    role: str
    acting_unit: str
    kind: str


class ReadsOfPerson(msgspec.Struct, frozen=True):
    """Newest first; `next_cursor` (when more remain) is the `cursor` of the next page."""

    reads: list[ReadOfPerson]
    next_cursor: str | None


class NextStep(msgspec.Struct, frozen=True):
    operation_id: str
    method: str
    path: str
    step_vi: str


def _description(step: Step) -> str:
    return f"{step.command.__doc__ or ''}\n\nVietnamese: {step.command.step_vi}.\n\n{FACTS_NOTE}"


def _handler(step: Step) -> HTTPRouteHandler:
    """A POST handler for one step; annotations are set as objects so OpenAPI documents the step's body."""

    def create(data: Any, ledger: Ledger, principal: Actor, idempotency_key: str) -> Recorded:
        require_role(principal, *step.roles)  # before the identity number is even parsed
        request = step_request(principal, step, ledger.person_id_of(data.citizen_id), data, idempotency_key)
        return record_person_step(ledger, request)

    def act(person_id: str, data: Any, ledger: Ledger, principal: Actor, idempotency_key: str) -> Recorded:
        return record_person_step(ledger, step_request(principal, step, person_id, data, idempotency_key))

    fn: Any = create if step.creates else act
    fn.__annotations__ = {
        **({} if step.creates else {"person_id": PersonIdPath}),
        "data": ANNOTATED[step.body, with_example(step.body)],
        "ledger": Context,
        "principal": Caller,
        "idempotency_key": IdempotencyKey,
        "return": Recorded,
    }
    fn.__name__ = fn.__qualname__ = step.operation_id
    route = step.route.replace("{person_id}", "{person_id:str}")
    decorator = post(
        route,
        operation_id=step.operation_id,
        status_code=201,
        response_description=RECORDED,
        sync_to_thread=True,
        summary=step.command.step_vi,
        description=_description(step),
        responses=WRITE_PROBLEMS,
    )
    return decorator(fn)


@get("/people/{person_id:str}", operation_id="getPerson", sync_to_thread=True, responses=READ_PROBLEMS)
def get_person(person_id: PersonIdPath, ledger: Context, principal: Caller) -> PersonRead:
    """The person's stage (with its Vietnamese label), cell and stream version — to send as expected_version.
    The read is recorded (who, when, which person: `listPersonReads`)."""
    state = read_person(ledger, ledger.engine, principal, person_id, ReadKind.PERSON)
    m = state.membership
    return PersonRead(
        person_id=state.person_id,
        stage=str(state.stage),
        stage_vi=state.stage.label_vi,
        cell_id=state.cell_id,
        version=state.version,
        last_step_on=state.last_step_on.isoformat() if state.last_step_on else None,
        probation_ends_on=m.probation_ends_on.isoformat() if m else None,
        official_from=m.official_from.isoformat() if m and m.official_from else None,
        erased=state.erased,
    )


@get("/people/{person_id:str}/next-steps", operation_id="listNextSteps", sync_to_thread=True, responses=READ_PROBLEMS)
def next_steps(person_id: PersonIdPath, ledger: Context, principal: Caller) -> list[NextStep]:
    """The steps this caller may take now: role, walls, stage and the unit the rules say acts (the dashboard
    offers the same); the rules may still refuse one for what its body says. The read is recorded, as for
    getPerson: the steps open say the person's stage."""
    state = read_person(ledger, ledger.engine, principal, person_id, ReadKind.PERSON)
    return [
        NextStep(s.operation_id, "POST", s.route.replace("{person_id}", person_id), s.command.step_vi)
        for s in steps_now(ledger.tree(), state, principal, today())
    ]


@get("/people/{person_id:str}/reads", operation_id="listPersonReads", sync_to_thread=True, responses=READ_PROBLEMS)
def person_reads(
    person_id: PersonIdPath, ledger: Context, principal: Caller, cursor: Cursor = None, limit: Limit = 100
) -> ReadsOfPerson:
    """Who read this person's file, and when, newest first (I13): for the officers and auditors whose units hold
    the person; anyone else is answered as for a person who does not exist. Lists that named the person
    (files, members) are recorded per list, by unit, and are not repeated here."""
    before = min(int(cursor), INT64_MAX) if cursor is not None else None
    found = reads_of_person(ledger, ledger.engine, principal, person_id, before=before, limit=limit + 1)
    shown = found[:limit]
    more = len(found) > limit
    return ReadsOfPerson(
        [ReadOfPerson(r.read_id, r.read_at, r.user_id, r.role, r.acting_unit, r.kind) for r in shown],
        str(shown[-1].read_id) if more else None,
    )


people_router = Router(
    path="/",
    route_handlers=[get_person, next_steps, person_reads, *(_handler(s) for s in STEPS)],
    tags=["people"],
    **SECURED,
)
