"""A person's step, once for every caller: walls → the stream at the caller's version → facts from the log →
decide → append → ring (DOMAIN.md §2–§4, STYLE habit 4).

The JSON API, the web forms and any other adapter build a `PersonStepRequest` from what they received and
call `record_person_step`. The walls (I8): the step's role, the person's current cell (or the cell a new file
opens in, or where a pending transfer goes) and every other unit the command names must be within the
caller's subtree, else `WallDenied` — answered like a person who does not exist. A new file for a citizen ID
already filed outside the caller's subtree is `FiledElsewhere`: nothing about that file is revealed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from domain.errors import InvalidCommand
from domain.paper import check_not_future
from domain.person.commands import PersonCommand
from domain.person.events import PersonEvent
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.state import initial_state
from domain.units.tree import UnitTree
from eventstore import RecordedEvent

from .actors import Actor
from .context import CommandContext
from .idempotency import scoped_key
from .person_facts import FactContext, Reads, StatedFacts, build_facts, stated_in
from .person_ids import PERSON_ID
from .person_log import append_decided, replay_records
from .person_steps import LEVEL_ROLES, STEPS, Step, command_fields
from .results import Recorded
from .versions import decide_at
from .walls import FiledElsewhere, NotFound, governs, require_role, require_within, today


@dataclass(frozen=True)
class PersonStepRequest:
    """A typed request for one step: who asks, which step, the command, what the papers state, and the
    person stream's version the caller saw (I2); the key makes a retry return the first result (I3)."""

    actor: Actor
    step: Step
    command: PersonCommand
    stated: StatedFacts
    expected_version: int
    idempotency_key: str


def step_request(actor: Actor, step: Step, person_id: str, body: Any, key: str) -> PersonStepRequest:
    """The request a step's body (`step.body`, as the API and the web forms decode it) asks for."""
    values = {name: getattr(body, name) for name, _, _ in command_fields(step.command)}
    command = step.command(person_id=person_id, acting_unit_id=actor.unit_id, **values)
    return PersonStepRequest(actor, step, command, stated_in(body, step.facts), body.expected_version, key)


def _wall_unit(step: Step, current: PersonState, reads: Reads) -> str:
    """The unit whose subtree the caller must govern: where the person is, or is going, or is to be."""
    if step.creates:
        return reads.cell_id
    pending = current.membership.pending_transfer if current.membership else None
    if step.at_destination and pending is not None:
        return pending.to_unit_id
    return current.cell_id or ""


def check_walls(tree: UnitTree, request: PersonStepRequest, current: PersonState) -> Reads:
    """I8: role, then the person's unit (and every other unit the command names); answers what the step reads."""
    step, actor = request.step, request.actor
    require_role(actor, *step.roles)
    reads = step.reads(request.command)
    if reads.level is not None:
        require_role(actor, *LEVEL_ROLES[reads.level])
    if current.version == 0 and not step.creates:
        raise NotFound("no such person")
    if step.creates and current.cell_id and not governs(tree, actor, current.cell_id):
        raise FiledElsewhere(f"{current.person_id} is filed with {current.cell_id}")
    unit_id = _wall_unit(step, current, reads)
    if unit_id:
        require_within(tree, actor, unit_id)
    for named in reads.units:
        require_within(tree, actor, named)
    return reads


def check_destination(tree: UnitTree, unit_id: str) -> None:
    """R-TRANSFER: a transfer goes to a cell (chi bộ, of either kind) active today; a code or a name typed where
    the unit belongs was logged once and left the member stuck in a transfer no page showed (issue 22)."""
    unit = tree.state_on(unit_id, today())
    if unit is None or not unit.is_active or not unit.kind.holds_members:
        raise InvalidCommand(
            "to_unit_id",
            "is not a unit of the province that keeps a roll",
            "nơi chuyển đến phải là một chi bộ đang hoạt động trong tỉnh",
        )


def _history(ctx: CommandContext, person_id: str) -> list[RecordedEvent]:
    """A malformed id names no one: the same empty history (hence not found) as an unknown person."""
    return ctx.store.read_stream(person_id) if PERSON_ID.fullmatch(person_id) else []


def record_person_step(ctx: CommandContext, request: PersonStepRequest) -> Recorded:
    """Walls → decide at `expected_version` with log-derived facts → append → ring the units' doorbells."""
    person_id = request.command.person_id
    tree, calendar, known = ctx.for_command(person_id if PERSON_ID.fullmatch(person_id) else None)
    current = known or initial_state(person_id)
    reads = check_walls(tree, request, current)
    check_not_future(request.command.occurred_on, today())  # R-DATE-FUTURE, once the walls have held
    if reads.destination:
        check_destination(tree, reads.destination)

    def load_at(version: int) -> PersonState:
        return current if version == current.version else replay_records(person_id, _history(ctx, person_id)[:version])

    def decide(before: PersonState) -> list[PersonEvent]:
        facts = build_facts(
            request.step.facts, FactContext(ctx.store, tree, before, request.command, reads, request.stated)
        )
        return handle(before, request.command, calendar, facts)[1]

    before, events = decide_at(person_id, current.version, request.expected_version, load_at, decide)
    if not events:
        return Recorded.unchanged(person_id, before.version)
    actor = request.actor
    key = scoped_key(actor, request.idempotency_key)
    result, units = append_decided(ctx.store, before, request.command, events, actor, idempotency_key=key)
    ctx.ring(units)
    return Recorded.of(result)


def visible_records(ctx: CommandContext, actor: Actor, person_id: str) -> tuple[PersonState, list[RecordedEvent]]:
    """The person and the stream it was replayed from, if the person's cell is within the caller's walls."""
    records = _history(ctx, person_id)
    return _within(ctx, actor, replay_records(person_id, records)), records


def visible_person(ctx: CommandContext, actor: Actor, person_id: str) -> PersonState:
    """The person (from the state cache), if the person's cell is within the caller's walls."""
    state = ctx.people.load(ctx.store, person_id) if PERSON_ID.fullmatch(person_id) else initial_state(person_id)
    return _within(ctx, actor, state)


def _within(ctx: CommandContext, actor: Actor, state: PersonState) -> PersonState:
    """No such person, or one outside the caller's walls: the same answer (I8)."""
    if state.version == 0 or state.cell_id is None:
        raise NotFound("no such person")
    require_within(ctx.tree(), actor, state.cell_id)
    return state


def allowed_steps(state: PersonState, actor: Actor) -> list[Step]:
    """The steps the person's stage allows and the caller's role takes (the dashboard offers the same)."""
    return [s for s in STEPS if state.stage in s.stages and actor.role in s.roles]
