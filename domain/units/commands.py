"""What an administrator asks of the unit tree; `decide` turns each into events or a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.units.events import TargetMetric
from domain.units.kinds import UnitKind


@dataclass(frozen=True)
class RegisterUnit:
    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None
    admission_delegated: bool = False


@dataclass(frozen=True)
class RenameUnit:
    unit_id: str
    name: str


@dataclass(frozen=True)
class ChangeAdmissionDelegation:
    unit_id: str
    admission_delegated: bool
    reference: str


@dataclass(frozen=True)
class ReclassifyUnit:
    unit_id: str
    kind: UnitKind
    effective_on: date
    reference: str


@dataclass(frozen=True)
class MoveUnit:
    unit_id: str
    parent_id: str
    effective_on: date
    reference: str


@dataclass(frozen=True)
class MergeUnit:
    unit_id: str
    successor_id: str
    effective_on: date
    reference: str


@dataclass(frozen=True)
class SplitUnit:
    unit_id: str
    successor_ids: tuple[str, ...]
    files_successor_id: str
    effective_on: date
    reference: str


@dataclass(frozen=True)
class DissolveUnit:
    unit_id: str
    successor_id: str
    effective_on: date
    reference: str


@dataclass(frozen=True)
class SetTermTarget:
    unit_id: str
    term: str
    metric: TargetMetric
    target: int
    reference: str


@dataclass(frozen=True)
class SetYearlyPlan:
    unit_id: str
    year: int
    metric: TargetMetric
    planned: int


UnitCommand = (
    RegisterUnit
    | RenameUnit
    | ChangeAdmissionDelegation
    | ReclassifyUnit
    | MoveUnit
    | MergeUnit
    | SplitUnit
    | DissolveUnit
    | SetTermTarget
    | SetYearlyPlan
)
