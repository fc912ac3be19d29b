"""Unit commands: load the tree from the log, decide with the domain, append (STYLE habit 4).

All unit events live in one stream, so a check that spans units (no cycle after a move, one province) is
decided against one version of the whole tree and a concurrent change is a version conflict, not a
broken tree.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.codec import EVENTS
from domain.errors import DomainError
from domain.rules.registry import rules_in_force
from domain.units import events as unit_events  # noqa: F401  # registers the unit event types
from domain.units.aggregate import decide
from domain.units.commands import UnitCommand
from domain.units.refusals import clean_reference
from domain.units.tree import UnitTree
from eventstore import AppendResult, EventMetadata, EventStore, NewEvent, WrongExpectedVersion

UNIT_TREE_STREAM = "unittree-province"


@dataclass(frozen=True)
class Actor:
    """Who acts, for which unit, in which role (I8)."""

    user_id: str
    unit_id: str
    role: str


def load_tree(store: EventStore, up_to_version: int | None = None) -> tuple[UnitTree, int]:
    """The tree from the log, optionally as it stood at an earlier version of its stream."""
    events = store.read_stream(UNIT_TREE_STREAM)
    if up_to_version is not None:
        events = events[:up_to_version]
    tree = UnitTree.from_events((EVENTS.decode(e.event_type, e.schema_version, e.data), e.occurred_on) for e in events)
    return tree, events[-1].stream_version if events else 0


def refuse_if_stale(store: EventStore, stream_id: str, expected_version: int | None) -> None:
    """A refusal or a no-op judged on an old version may not hold on the current one: the caller must re-read
    (I2). Appends check their version in the store; this is for the answers that append nothing."""
    if expected_version is not None:
        current = store.stream_version(stream_id)
        if current != expected_version:
            raise WrongExpectedVersion(stream_id, expected_version, current)


def command_metadata(
    actor: Actor, occurred_on: date, correlation_id: str | None, document_ref: str | None
) -> EventMetadata:
    """Who decided, under which rule set (by the paper's date, I11), in which request."""
    return EventMetadata(
        actor=actor.user_id,
        acting_unit=actor.unit_id,
        role=actor.role,
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
    """Decide a unit command against the tree as the log has it; None when it changes nothing.

    `expected_version` is the tree version the caller decided on (I2). The command is decided against the
    tree as it stood at that version, so a retried request decides exactly as the first one did and the
    store answers with the first result (I3), while a stale new request is refused as a conflict — also when
    the old tree would refuse it or find nothing to change, as the current one may not.
    `correlation_id` ties the events to the caller's request or run (a fresh one when not given).
    `known_tree` is a caller's tree at a version it already holds (the seed follows the stream itself): no
    replay of the whole stream per command, and the store still refuses the append if that version is stale.
    """
    document_ref = clean_reference(document_ref) if document_ref and document_ref.strip() else None
    tree, version = known_tree if known_tree is not None else load_tree(store, expected_version)
    if expected_version is not None and version != expected_version:
        raise WrongExpectedVersion(UNIT_TREE_STREAM, expected_version, version)
    try:
        decided = decide(command, tree, occurred_on)
    except DomainError:
        refuse_if_stale(store, UNIT_TREE_STREAM, expected_version)
        raise
    if not decided:
        refuse_if_stale(store, UNIT_TREE_STREAM, expected_version)
        return None
    metadata = command_metadata(actor, occurred_on, correlation_id, document_ref)
    new_events = []
    for event in decided:
        event_type, schema_version, data = EVENTS.encode(event)
        new_events.append(NewEvent(event_type, data, occurred_on, event.unit_id, metadata, schema_version))
    return store.append(UNIT_TREE_STREAM, new_events, expected_version=version, idempotency_key=idempotency_key)
