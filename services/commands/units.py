"""Unit commands: the tree from the log, walls, decide with the domain, append, ring (STYLE habit 4).

All unit events live in one stream, so a check that spans units (no cycle after a move, one province) is
decided against one version of the whole tree and a concurrent change is a version conflict, not a
broken tree. The shape of the tree and the delegation are the provincial administrator's; a unit's targets
and plans are recorded by its officers or by an officer above it (as the province generator does).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

from domain.codec import EVENTS
from domain.paper import check_not_future
from domain.rules.registry import rules_in_force
from domain.units.aggregate import decide
from domain.units.commands import (
    DissolveUnit,
    MergeUnit,
    MoveUnit,
    RegisterUnit,
    SetTermTarget,
    SetYearlyPlan,
    SplitUnit,
    UnitCommand,
)
from domain.units.events import UnitEvent
from domain.units.refusals import clean_reference
from domain.units.tree import UnitTree
from eventstore import AppendResult, EventMetadata, EventStore, NewEvent

from .actors import Actor, Role
from .context import CommandContext
from .idempotency import scoped_key
from .reorganisation import follow_reorganisations
from .results import Recorded
from .tree_log import UNIT_TREE_STREAM, tree_of
from .versions import decide_at
from .walls import require_role, require_within, today

ADMIN: Final = frozenset({Role.PROVINCIAL_ADMIN})
OFFICERS: Final = frozenset({Role.CELL_SECRETARY, Role.GRASSROOTS_OFFICER, Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN})


def command_metadata(
    actor: Actor, occurred_on: date, correlation_id: str | None, document_ref: str | None
) -> EventMetadata:
    """Who decided, under which rule set (by the paper's date, I11), in which request."""
    return EventMetadata(
        actor=actor.user_id,
        acting_unit=actor.unit_id,
        role=str(actor.role),
        rule_set=rules_in_force(occurred_on).rule_set_id,
        correlation_id=correlation_id or str(uuid.uuid4()),
        document_ref=document_ref,
    )


def handle_unit_command(
    store: EventStore,
    command: UnitCommand,
    *,
    occurred_on: date,
    actor: Actor,
    idempotency_key: str | None = None,
    document_ref: str | None = None,
    expected_version: int | None = None,
    correlation_id: str | None = None,
    known_tree: tuple[UnitTree, int] | None = None,
) -> AppendResult | None:
    """Decide a unit command against the tree at `expected_version` (`decide_at`); None when it changes nothing.

    `known_tree` is a caller's tree at the version it already holds (the generator follows the stream itself):
    no replay of the whole stream per command, and the store still refuses the append if that version is stale.
    """
    document_ref = clean_reference(document_ref) if document_ref and document_ref.strip() else None
    if known_tree is not None:
        tree, current = known_tree

        def load_at(version: int) -> UnitTree:
            return tree
    else:
        events = store.read_stream(UNIT_TREE_STREAM)
        current = events[-1].stream_version if events else 0

        def load_at(version: int) -> UnitTree:
            return tree_of(events[:version])

    _, decided = decide_at(
        UNIT_TREE_STREAM, current, expected_version, load_at, lambda at: decide(command, at, occurred_on)
    )
    if not decided:
        return None
    metadata = command_metadata(actor, occurred_on, correlation_id, document_ref)
    new_events = unit_envelopes(decided, occurred_on, metadata)
    version = current if expected_version is None else expected_version
    return store.append(UNIT_TREE_STREAM, new_events, expected_version=version, idempotency_key=idempotency_key)


def unit_envelopes(decided: Iterable[UnitEvent], occurred_on: date, metadata: EventMetadata) -> list[NewEvent]:
    """Decided unit events in their envelopes, each filed under its own unit."""
    envelopes = []
    for event in decided:
        event_type, schema_version, data = EVENTS.encode(event)
        envelopes.append(NewEvent(event_type, data, occurred_on, event.unit_id, metadata, schema_version))
    return envelopes


@dataclass(frozen=True)
class UnitChange:
    """A typed request to change the tree: who asks, what, on which paper, at which tree version."""

    actor: Actor
    command: UnitCommand
    occurred_on: date
    expected_version: int
    idempotency_key: str
    document_ref: str | None = None


def _named(*units: str | None) -> list[str]:
    return list(dict.fromkeys(u for u in units if u))


def units_named(command: UnitCommand) -> list[str]:
    """Every unit a command names: itself, a new parent, successors (typed per command: a rename fails mypy)."""
    match command:
        case RegisterUnit():
            return _named(command.parent_id, command.unit_id)
        case MoveUnit():
            return _named(command.unit_id, command.parent_id)
        case MergeUnit() | DissolveUnit():
            return _named(command.unit_id, command.successor_id)
        case SplitUnit():
            return _named(command.unit_id, *command.successor_ids, command.files_successor_id)
    return [command.unit_id]


def roles_for(command: UnitCommand) -> frozenset[Role]:
    """The tree's shape and delegation are the administrator's; targets and plans, any officer's (R-UNIT-TREE)."""
    return OFFICERS if isinstance(command, SetTermTarget | SetYearlyPlan) else ADMIN


def change_unit(ctx: CommandContext, request: UnitChange) -> Recorded:
    """Walls for the role and every unit named (on today's tree: a back-dated paper does not reach a unit that has
    left the caller's subtree, I8), then decide, append and ring the named units."""
    require_role(request.actor, *roles_for(request.command))
    named = units_named(request.command)
    tree = ctx.tree()
    for unit_id in named:
        if isinstance(request.command, RegisterUnit) and unit_id == request.command.unit_id:
            continue  # the new unit is not in the tree yet: its parent is the wall
        require_within(tree, request.actor, unit_id)  # I8: today's tree, whatever the paper's date
    check_not_future(request.occurred_on, today())  # R-DATE-FUTURE
    result = handle_unit_command(
        ctx.store,
        request.command,
        occurred_on=request.occurred_on,
        actor=request.actor,
        idempotency_key=scoped_key(request.actor, request.idempotency_key),
        document_ref=request.document_ref,
        expected_version=request.expected_version,
    )
    answer = ctx.recorded(result, UNIT_TREE_STREAM, named)
    if result is not None and isinstance(request.command, MergeUnit | SplitUnit | DissolveUnit):
        follow_reorganisations(ctx, request.actor, only=request.command.unit_id, reference=request.command.reference)
    return answer
