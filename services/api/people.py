"""People: one POST per step of a person's file and membership (DOMAIN.md §2–§4), and what the caller may see.

Each step is DTO → command → load → facts → decide → append (STYLE habit 4). The command is decided against
the person's stream as it stood at the body's `expected_version`, exactly as `services.units` does: a retry
decides as the first request did and the store answers with the first result (I3); a stale new request is
a 409 (I2). The walls (I8): the person's current cell must be in the caller's subtree and the step one the
caller's role takes, else 404 — the same answer as for a person who does not exist.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec
from litestar import Router, get, post
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, JSONBody

from domain.calendar import WorkingCalendar
from domain.errors import DomainError
from domain.identity import parse_citizen_id, person_stream_id
from domain.person.commands import PersonCommand
from domain.person.events import PersonEvent
from domain.person.facts import PersonFacts
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.state import initial_state
from domain.person.values import RejectionLevel
from domain.units.tree import UnitTree
from eventstore import RecordedEvent, WrongExpectedVersion
from services.people import append_decided, metadata_for, replay_records
from services.units import Actor

from .auth import Principal
from .context import Ledger
from .people_facts import FactContext, build_facts
from .people_steps import LEVEL_ROLES, STEPS, Step, to_command
from .problems import not_found
from .responses import READ_PROBLEMS, WRITE_PROBLEMS
from .security import SECURED
from .units import Caller, Context, IdempotencyKey, Recorded
from .walls import require_role, require_within

PERSON_ID = re.compile(r"person-[0-9a-f]{32}")

FACTS_NOTE = (
    "Facts from other streams (the cell's roll, sponsors, helpers, the competent body, rating counts) are "
    "derived from the log as of `occurred_on`. `committee_size`, votes, consents, exemptions and excused "
    "absentees are facts of the resolution or document, in no stream: the request states them."
)


JSON_BODY: Any = JSONBody
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


class NextStep(msgspec.Struct, frozen=True):
    operation_id: str
    method: str
    path: str
    step_vi: str


def _wall_unit(step: Step, current: PersonState, body: Any) -> str:
    """The unit whose subtree the caller must govern: where the person is, or is going, or is to be."""
    if step.creates:
        return str(getattr(body, "cell_id", None) or "")  # a nomination's cell is the caller's own unit
    pending = current.membership.pending_transfer if current.membership else None
    if step.at_destination and pending is not None:
        return pending.to_unit_id
    return current.cell_id or ""


def _check_walls(tree: UnitTree, principal: Principal, step: Step, current: PersonState, body: Any) -> None:
    """I8: role, then the person's unit (and a candidate's new cell), each refused as 404."""
    require_role(principal, *step.roles)
    level = getattr(body, "level", None)
    if isinstance(level, RejectionLevel):
        require_role(principal, *LEVEL_ROLES[level])
    if current.version == 0 and not step.creates:
        raise not_found()
    unit_id = _wall_unit(step, current, body)
    if unit_id:
        require_within(tree, principal, unit_id)
    to_cell = getattr(body, "to_cell_id", None)
    if to_cell:
        require_within(tree, principal, to_cell)


def _decided_on(records: list[RecordedEvent], person_id: str, expected: int) -> PersonState:
    """The stream as it stood at the version the caller saw; a version it never had is a conflict."""
    before = replay_records(person_id, records[:expected])
    if before.version != expected:
        raise WrongExpectedVersion(person_id, expected, len(records))
    return before


def _decide(
    before: PersonState, command: PersonCommand, facts: PersonFacts, calendar: WorkingCalendar, current_version: int
) -> list[PersonEvent]:
    """Decide; a refusal judged on a stale version is a conflict (I2): the caller must read the person again."""
    try:
        return handle(before, command, calendar, facts)[1]
    except DomainError:
        if before.version != current_version:
            raise WrongExpectedVersion(command.person_id, before.version, current_version) from None
        raise


def record_step(ledger: Ledger, principal: Principal, step: Step, person_id: str, body: Any, key: str) -> Recorded:
    """Walls → decide at `expected_version` with log-derived facts → append → ring the doorbell."""
    tree, calendar, known = ledger.for_command(person_id if PERSON_ID.fullmatch(person_id) else None)
    current = known or initial_state(person_id)  # a malformed id names no one, as in `_read_person`
    _check_walls(tree, principal, step, current, body)
    before = (
        current
        if body.expected_version == current.version
        else _decided_on(_read_person(ledger, person_id), person_id, body.expected_version)
    )
    command = to_command(step, body, person_id, principal.unit_id)
    facts = build_facts(step.facts, FactContext(ledger.store, tree, before, command, body))
    events = _decide(before, command, facts, calendar, current_version=current.version)
    if not events:
        return Recorded(person_id, before.version, 0, 0, duplicate=True)
    metadata = metadata_for(command, events[0], Actor(principal.user_id, principal.unit_id, str(principal.role)))
    result, units = append_decided(ledger.store, before, command, events, metadata, f"{principal.user_id}:{key}")
    ledger.doorbell.ring(units)
    return Recorded(
        result.stream_id, result.stream_version, result.first_position, result.last_position, result.duplicate
    )


def _person_of(body: Any) -> str:
    """A new person's stream id from the identity number (never the number itself in a URL)."""
    return person_stream_id(parse_citizen_id(body.citizen_id))


def _description(step: Step) -> str:
    return f"{step.command.__doc__ or ''}\n\nVietnamese: {step.command.step_vi}.\n\n{FACTS_NOTE}"


def _handler(step: Step) -> HTTPRouteHandler:
    """A POST handler for one step; annotations are set as objects so OpenAPI documents the step's body."""

    def create(data: Any, ledger: Ledger, principal: Principal, idempotency_key: str) -> Recorded:
        require_role(principal, *step.roles)  # before the identity number is even parsed
        return record_step(ledger, principal, step, _person_of(data), data, idempotency_key)

    def act(person_id: str, data: Any, ledger: Ledger, principal: Principal, idempotency_key: str) -> Recorded:
        return record_step(ledger, principal, step, person_id, data, idempotency_key)

    fn: Any = create if step.creates else act
    fn.__annotations__ = {
        **({} if step.creates else {"person_id": FromPath[str]}),
        "data": JSON_BODY[step.body],
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
        sync_to_thread=True,
        summary=step.command.step_vi,
        description=_description(step),
        responses=WRITE_PROBLEMS,
    )
    return decorator(fn)


def _current(ledger: Ledger, person_id: str) -> PersonState:
    """The person's state now (cached by stream version); a malformed id names no one, as in `_read_person`."""
    if not PERSON_ID.fullmatch(person_id):
        return initial_state(person_id)
    return ledger.people.load(ledger.store, person_id)


def _read_person(ledger: Ledger, person_id: str) -> list[RecordedEvent]:
    """A malformed id names no one: the same empty history (hence 404) as an unknown person, not a 400."""
    if not PERSON_ID.fullmatch(person_id):
        return []
    return ledger.store.read_stream(person_id)


def visible_records(ledger: Ledger, principal: Principal, person_id: str) -> tuple[PersonState, list[RecordedEvent]]:
    """The person and the stream it was replayed from, if the person's cell is within the caller's walls."""
    records = _read_person(ledger, person_id)
    return _within(ledger, principal, replay_records(person_id, records)), records


def visible_person(ledger: Ledger, principal: Principal, person_id: str) -> PersonState:
    """The person (from the state cache), if the person's cell is within the caller's walls."""
    return _within(ledger, principal, _current(ledger, person_id))


def _within(ledger: Ledger, principal: Principal, state: PersonState) -> PersonState:
    """No such person, or one outside the caller's walls: the same 404 (I8)."""
    if state.version == 0 or state.cell_id is None:
        raise not_found()
    require_within(ledger.tree(), principal, state.cell_id)
    return state


@get("/people/{person_id:str}", operation_id="getPerson", sync_to_thread=True, responses=READ_PROBLEMS)
def get_person(person_id: FromPath[str], ledger: Context, principal: Caller) -> PersonRead:
    """The person's stage (with its Vietnamese label), cell and stream version — to send as expected_version."""
    state = visible_person(ledger, principal, person_id)
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
    )


@get("/people/{person_id:str}/next-steps", operation_id="listNextSteps", sync_to_thread=True, responses=READ_PROBLEMS)
def next_steps(person_id: FromPath[str], ledger: Context, principal: Caller) -> list[NextStep]:
    """The steps the person's stage allows and the caller's role takes; the rules may still refuse one."""
    state = visible_person(ledger, principal, person_id)
    return [
        NextStep(s.operation_id, "POST", s.route.replace("{person_id}", person_id), s.command.step_vi)
        for s in allowed_steps(state, principal)
    ]


def allowed_steps(state: PersonState, principal: Principal) -> list[Step]:
    """The steps the person's stage allows and the caller's role takes (the dashboard offers the same)."""
    return [s for s in STEPS if state.stage in s.stages and principal.role in s.roles]


people_router = Router(
    path="/", route_handlers=[get_person, next_steps, *(_handler(s) for s in STEPS)], tags=["people"], **SECURED
)
