"""The state of one party organisation and the one function that changes it (decide, then evolve)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from domain.records import replaced
from domain.units.events import (
    AdmissionDelegationChanged,
    TargetMetric,
    TermTargetSet,
    UnitDissolved,
    UnitEvent,
    UnitMerged,
    UnitMoved,
    UnitReclassified,
    UnitRegistered,
    UnitRenamed,
    UnitSplit,
    YearlyPlanSet,
)
from domain.units.kinds import UnitKind


class UnitStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    SPLIT = "split"
    DISSOLVED = "dissolved"

    @property
    def label_vi(self) -> str:
        return _STATUS_LABELS_VI[self]


_STATUS_LABELS_VI: Final[dict[UnitStatus, str]] = {
    UnitStatus.ACTIVE: "đang hoạt động",
    UnitStatus.MERGED: "đã hợp nhất",
    UnitStatus.SPLIT: "đã chia tách",
    UnitStatus.DISSOLVED: "đã giải thể",
}


@dataclass(frozen=True)
class Unit:
    """A party organisation; immutable, so a tree "as of" a date can share states with other dates."""

    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None
    admission_delegated: bool
    registered_on: date
    status: UnitStatus = UnitStatus.ACTIVE
    ceased_on: date | None = None
    successor_ids: tuple[str, ...] = ()
    files_successor_id: str | None = None
    term_targets: tuple[TermTargetSet, ...] = ()
    yearly_plans: tuple[YearlyPlanSet, ...] = ()

    @property
    def is_active(self) -> bool:
        return self.status is UnitStatus.ACTIVE

    def term_target(self, term: str, metric: TargetMetric) -> int | None:
        return next((t.target for t in self.term_targets if (t.term, t.metric) == (term, metric)), None)

    def yearly_plan(self, year: int, metric: TargetMetric) -> int | None:
        return next((p.planned for p in self.yearly_plans if (p.year, p.metric) == (year, metric)), None)


def evolve(state: Unit | None, event: UnitEvent, occurred_on: date) -> Unit:
    """Apply one event; never refuses a recorded fact, only impossible sequences (a bug, not a rule)."""
    if isinstance(event, UnitRegistered):
        if state is not None:
            raise ValueError(f"unit {event.unit_id} is registered twice")
        return Unit(
            unit_id=event.unit_id,
            code=event.code,
            name=event.name,
            kind=event.kind,
            parent_id=event.parent_id,
            admission_delegated=event.admission_delegated,
            registered_on=occurred_on,
        )
    if state is None:
        raise ValueError(f"{event.event_type} for unit {event.unit_id} before its UnitRegistered")
    return _apply(state, event)


def _apply(state: Unit, event: UnitEvent) -> Unit:
    match event:
        case UnitRenamed(name=name):
            return replaced(state, name=name)
        case AdmissionDelegationChanged(admission_delegated=delegated):
            return replaced(state, admission_delegated=delegated)
        case UnitReclassified(kind=kind):
            return replaced(state, kind=kind)
        case UnitMoved(parent_id=parent_id):
            return replaced(state, parent_id=parent_id)
        case UnitMerged(successor_id=successor, effective_on=on):
            return _ceased(state, UnitStatus.MERGED, on, (successor,), successor)
        case UnitSplit(successor_ids=successors, files_successor_id=files_to, effective_on=on):
            return _ceased(state, UnitStatus.SPLIT, on, successors, files_to)
        case UnitDissolved(successor_id=successor, effective_on=on):
            return _ceased(state, UnitStatus.DISSOLVED, on, (successor,), successor)
        case TermTargetSet():
            kept = tuple(t for t in state.term_targets if (t.term, t.metric) != (event.term, event.metric))
            return replaced(state, term_targets=(*kept, event))
        case YearlyPlanSet():
            kept_plans = tuple(p for p in state.yearly_plans if (p.year, p.metric) != (event.year, event.metric))
            return replaced(state, yearly_plans=(*kept_plans, event))
    raise TypeError(f"not a unit event: {event!r}")


def _ceased(state: Unit, status: UnitStatus, on: date, successors: tuple[str, ...], files_to: str) -> Unit:
    return replaced(state, status=status, ceased_on=on, successor_ids=successors, files_successor_id=files_to)
