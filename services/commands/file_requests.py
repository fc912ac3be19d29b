"""R-FILE-REQUEST: bringing a person filed elsewhere into your cell is a request the holder grants, recorded.

A cell officer who was told `filed-elsewhere` (I8) files a request: the citizen ID, the cell it is for, a
reason. The request is its own stream (`file-request-…`), filed under the asking cell only, and filing it reads
nothing about the number: the answer, the work done and the time taken are the same whether the number is
filed somewhere, nowhere, or in the caller's own units.

The officers of the unit holding the file, or of any committee above it (a committee governing both units is
one of those), see the pending requests for files in their subtree (`inbox`) and answer each on the person's
own stream, as a domain command with its own event, judged on today's tree and the stream's version (I2):
a grant (`HandOverFile` → `FileHandedOver`) moves the closed file into the asking cell, filed under both
cells like any move, and the asking cell then opens its file (nominates, enrols) as for anyone of its own; a
refusal (`RefuseFileRequest` → `FileRequestRefused`) records the reason and changes nothing else. The asking
side sees its requests and their answers (`sent`), never where the file was.

A request's state is derived from the log alone (`RequestBook`, caught up like the citizen index), so it is
as durable and auditable as the steps themselves.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Final

from domain.codec import EVENTS
from domain.errors import InvalidCommand
from domain.identity import parse_citizen_id
from domain.person.commands import HandOverFile, RefuseFileRequest
from domain.person.detours import HANDED_OVER
from domain.person.events import FileRequested, PersonEvent
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.values import clean_text
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventMetadata, NewEvent

from .actors import Actor, Role
from .context import CommandContext
from .idempotency import scoped_key
from .person_log import append_decided, replay_records
from .request_book import FileRequest
from .results import Recorded
from .versions import decide_at
from .walls import NotFound, WallDenied, governs, require_role, require_within, today

RULE: Final = "R-FILE-REQUEST"
REQUEST_PREFIX: Final = "file-request-"
ASKERS: Final = frozenset({Role.CELL_SECRETARY, Role.GRASSROOTS_OFFICER, Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN})
"""The officers who open files (nominate, enrol) and so meet `filed-elsewhere`; they also answer requests."""
CELL_KINDS: Final = frozenset({UnitKind.CELL, UnitKind.GRASSROOTS_CELL})


@dataclass(frozen=True)
class RequestFiling:
    actor: Actor
    citizen_id: str
    cell_id: str
    reason: str
    idempotency_key: str


@dataclass(frozen=True)
class FiledRequest:
    """The whole answer to a filing: the same for any number (the id is the request's, from the caller's key)."""

    request_id: str
    status: str = "pending"


def _asking_cell(tree: UnitTree, actor: Actor, cell_id: str) -> None:
    require_within(tree, actor, cell_id)
    unit = tree.state_on(cell_id, today())
    if unit is None or unit.kind not in CELL_KINDS:
        raise InvalidCommand("cell_id", "a file is requested for a cell", "hồ sơ chỉ được đề nghị chuyển về một chi bộ")


def file_request(ctx: CommandContext, filing: RequestFiling) -> FiledRequest:
    """Record the request. Nothing about the number is read: no index, no stream, no tree beyond the caller's."""
    actor = filing.actor
    require_role(actor, *ASKERS)
    _asking_cell(ctx.tree(), actor, filing.cell_id)
    citizen = parse_citizen_id(filing.citizen_id)
    reason = clean_text(filing.reason, "reason")
    key = scoped_key(actor, filing.idempotency_key)
    request_id = REQUEST_PREFIX + hashlib.sha256(f"file-request:{key}".encode()).hexdigest()[:32]
    event = FileRequested(citizen_id=citizen.value, cell_id=filing.cell_id, reason=reason)
    metadata = EventMetadata(
        actor=actor.user_id, acting_unit=actor.unit_id, role=str(actor.role), rule_set=RULE,
        correlation_id=str(uuid.uuid4()),
    )  # fmt: skip
    name, version, data = EVENTS.encode(event)
    envelope = NewEvent(name, data, today(), filing.cell_id, metadata, version)
    ctx.store.append(request_id, [envelope], expected_version=0, idempotency_key=key)
    ctx.ring([filing.cell_id])
    return FiledRequest(request_id)


@dataclass(frozen=True)
class InboxItem:
    """A pending request for a file the caller's units hold: who, where, who asks, why."""

    request: FileRequest
    person: PersonState
    may_hand_over: bool


def _holder(ctx: CommandContext, tree: UnitTree, actor: Actor, request: FileRequest) -> PersonState | None:
    """The person the request names, if their file is in the caller's subtree today; else no one."""
    person_id = ctx.citizens.known(ctx.store, request.citizen_id)
    if person_id is None:
        return None
    state = ctx.people.load(ctx.store, person_id)
    if state.cell_id is None or state.cell_id == request.cell_id or not governs(tree, actor, state.cell_id):
        return None
    return state


def inbox(ctx: CommandContext, actor: Actor) -> list[InboxItem]:
    """Pending requests for files held in the caller's subtree, oldest first."""
    require_role(actor, *ASKERS)
    tree = ctx.tree()
    items = []
    for request in ctx.requests.all(ctx.store):
        if request.answer is not None:
            continue
        state = _holder(ctx, tree, actor, request)
        if state is not None:
            items.append(InboxItem(request, state, state.stage in HANDED_OVER))
    return items


def sent(ctx: CommandContext, actor: Actor) -> list[FileRequest]:
    """Requests made for cells in the caller's subtree, newest first, with their answers (never the holder)."""
    require_role(actor, *ASKERS)
    tree = ctx.tree()
    mine = [r for r in ctx.requests.all(ctx.store) if governs(tree, actor, r.cell_id)]
    return list(reversed(mine))


@dataclass(frozen=True)
class RequestAnswer:
    actor: Actor
    request_id: str
    grant: bool
    reason: str
    expected_version: int
    idempotency_key: str


def answer_request(ctx: CommandContext, answer: RequestAnswer) -> Recorded:
    """Grant (the file moves to the asking cell) or refuse, on the person's stream at the caller's version.

    A request that is unknown, already answered, or for a file outside the caller's subtree is `NotFound`.
    """
    actor = answer.actor
    require_role(actor, *ASKERS)
    reason = clean_text(answer.reason, "reason")  # the text's own faults first: they say nothing of any request
    request = ctx.requests.get(ctx.store, answer.request_id)
    if request is None or request.answer is not None:
        raise NotFound("no such pending request")
    tree = ctx.tree()
    current = _holder(ctx, tree, actor, request)
    if current is None:
        raise WallDenied(f"{answer.request_id} is for no file within {actor.unit_id}")
    if answer.grant and tree.state_on(request.cell_id, today()) is None:
        raise InvalidCommand("cell_id", "the asking cell no longer exists", "chi bộ đề nghị không còn hoạt động")
    person_id = current.person_id
    kind = HandOverFile if answer.grant else RefuseFileRequest
    command = kind(
        person_id=person_id,
        occurred_on=today(),
        acting_unit_id=actor.unit_id,
        to_cell_id=request.cell_id,
        request_id=request.request_id,
        reason=reason,
    )
    calendar = ctx.calendar()

    def load_at(version: int) -> PersonState:
        if version == current.version:
            return current
        return replay_records(person_id, ctx.store.read_stream(person_id)[:version])

    def decide(before: PersonState) -> list[PersonEvent]:
        return handle(before, command, calendar)[1]

    before, events = decide_at(person_id, current.version, answer.expected_version, load_at, decide)
    key = scoped_key(actor, answer.idempotency_key)
    result, units = append_decided(ctx.store, before, command, events, actor, idempotency_key=key)
    ctx.ring(units)
    return Recorded.of(result)
