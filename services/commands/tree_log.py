"""The unit tree's stream: one stream for the whole province, replayed into a `UnitTree`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from domain.codec import EVENTS
from domain.units import events as unit_events  # noqa: F401  # registers the unit event types
from domain.units.tree import UnitTree
from eventstore import EventStore, RecordedEvent

UNIT_TREE_STREAM: Final = "unittree-province"


def tree_of(events: Iterable[RecordedEvent]) -> UnitTree:
    """The tree after these events of its stream (a prefix for an earlier version)."""
    return UnitTree.from_events((EVENTS.decode(e.event_type, e.schema_version, e.data), e.occurred_on) for e in events)


def load_tree(store: EventStore, up_to_version: int | None = None) -> tuple[UnitTree, int]:
    """The tree from the log, optionally as it stood at an earlier version of its stream."""
    events = store.read_stream(UNIT_TREE_STREAM)
    if up_to_version is not None:
        events = events[:up_to_version]
    return tree_of(events), events[-1].stream_version if events else 0
