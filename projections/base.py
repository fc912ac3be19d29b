"""What a read model is: a name, a version, the event types it reads, and a pure `apply`."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec

from domain.codec import DomainEvent
from eventstore import Envelope

from .rows import UnitRows


class Applied(msgspec.Struct, frozen=True):
    """An event as a projection sees it: its envelope (metadata and hashes left out) and the domain event.

    `person` is the person's file state right after this event (domain `evolve` over the stream up to it),
    so read models never re-implement the domain's stage logic. `partition` is the unit whose rows are being
    built: an event that moves a person between units (its envelope names both `unit_id` and
    `also_unit_id`) is applied in both partitions, and each decides from `person` whether the person is
    still its own. A frozen Struct, as the envelope is: one is made for every event a rebuild reads.
    """

    envelope: Envelope
    event: Any
    person: Any | None = None
    partition: str = ""


class Projection(Protocol):
    """A read model kept per party unit. Bump `version` when `apply` changes meaning: it is rebuilt beside."""

    name: str
    version: int
    event_types: frozenset[str] | None
    """The event types `apply` reads; None for all. Others only move the checkpoint."""

    def apply(self, rows: UnitRows, applied: Applied) -> None: ...


def event_names(*classes: type[DomainEvent]) -> frozenset[str]:
    """The types the log stores these events under: the name each class registered with the codec, so a
    projection's `event_types` name classes, and a renamed class cannot leave a stale string behind."""
    return frozenset(cls.event_type for cls in classes)


class PoisonEvent(Exception):
    """An event this projection cannot apply: the unit's projection is parked at it (other units go on)."""

    def __init__(self, position: int, error: BaseException) -> None:
        super().__init__(f"event at position {position}: {type(error).__name__}: {error}")
        self.position = position
        self.error = error
