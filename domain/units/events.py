"""What happened to party organisations: a public contract (never renamed; a new shape gets a new version).

Structural changes that take effect on a set date (R-UNIT-REORG) carry `effective_on`; the others take effect
on the envelope's `occurred_on` (the date of the decision). `reference` is the number and date of the
decision or resolution ("Quyết định số 123-QĐ/TU ngày 30/6/2025").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, ClassVar, Final

from domain.codec import EVENTS
from domain.privacy import NotPersonal
from domain.units.kinds import UnitKind


class TargetMetric(StrEnum):
    """What a term target or a yearly plan counts (§5 of DOMAIN.md)."""

    ADMISSIONS = "admissions"
    OFFICIAL_RECOGNITIONS = "official_recognitions"
    AWARENESS_TRAINEES = "awareness_trainees"
    SOURCE_POOL = "source_pool"

    @property
    def label_vi(self) -> str:
        return _METRIC_LABELS_VI[self]


_METRIC_LABELS_VI: Final[dict[TargetMetric, str]] = {
    TargetMetric.ADMISSIONS: "Kết nạp đảng viên",
    TargetMetric.OFFICIAL_RECOGNITIONS: "Công nhận đảng viên chính thức",
    TargetMetric.AWARENESS_TRAINEES: "Cử đi học lớp bồi dưỡng nhận thức về Đảng",
    TargetMetric.SOURCE_POOL: "Quần chúng ưu tú trong danh sách nguồn",
}


@EVENTS.register
@dataclass(frozen=True)
class UnitRegistered:
    """A party organisation exists from `occurred_on` (its founding, or its first entry in the ledger)."""

    event_type: ClassVar[str] = "UnitRegistered"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    code: Annotated[str, NotPersonal.UNIT]
    name: Annotated[str, NotPersonal.UNIT]
    kind: Annotated[UnitKind, NotPersonal.UNIT]
    parent_id: Annotated[str | None, NotPersonal.UNIT]
    admission_delegated: Annotated[bool, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True)
class UnitRenamed:
    event_type: ClassVar[str] = "UnitRenamed"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    name: Annotated[str, NotPersonal.UNIT]


@EVENTS.register
@dataclass(frozen=True)
class AdmissionDelegationChanged:
    """R-AUTH-ADMIT: the upper level gave a grassroots committee the power to admit, or took it back."""

    event_type: ClassVar[str] = "AdmissionDelegationChanged"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    admission_delegated: Annotated[bool, NotPersonal.UNIT]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class UnitReclassified:
    """A unit changed kind, e.g. a grassroots cell grown into a grassroots committee (R-UNIT-TREE)."""

    event_type: ClassVar[str] = "UnitReclassified"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    kind: Annotated[UnitKind, NotPersonal.UNIT]
    effective_on: Annotated[date, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class UnitMoved:
    """R-UNIT-REORG: the unit sits under another parent from `effective_on`."""

    event_type: ClassVar[str] = "UnitMoved"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    parent_id: Annotated[str, NotPersonal.UNIT]
    effective_on: Annotated[date, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class UnitMerged:
    """R-UNIT-REORG: the unit ceased on `effective_on`, merged into `successor_id`, which takes its files."""

    event_type: ClassVar[str] = "UnitMerged"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    successor_id: Annotated[str, NotPersonal.UNIT]
    effective_on: Annotated[date, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class UnitSplit:
    """R-UNIT-REORG: the unit ceased, split into `successor_ids`; open files go to `files_successor_id`."""

    event_type: ClassVar[str] = "UnitSplit"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    successor_ids: Annotated[tuple[str, ...], NotPersonal.UNIT]
    files_successor_id: Annotated[str, NotPersonal.UNIT]
    effective_on: Annotated[date, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class UnitDissolved:
    """R-UNIT-REORG: the unit ceased without a merger; `successor_id` takes its members and open files."""

    event_type: ClassVar[str] = "UnitDissolved"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    successor_id: Annotated[str, NotPersonal.UNIT]
    effective_on: Annotated[date, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class TermTargetSet:
    """A target of the congress resolution for a term ("2020-2025": admit 5); a later one replaces it."""

    event_type: ClassVar[str] = "TermTargetSet"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    term: Annotated[str, NotPersonal.PROCEDURE]
    metric: Annotated[TargetMetric, NotPersonal.PROCEDURE]
    target: Annotated[int, NotPersonal.PROCEDURE]
    reference: Annotated[str, NotPersonal.PROCEDURE]


@EVENTS.register
@dataclass(frozen=True)
class YearlyPlanSet:
    """A yearly plan figure; a later one for the same year and metric replaces it."""

    event_type: ClassVar[str] = "YearlyPlanSet"
    schema_version: ClassVar[int] = 1

    unit_id: Annotated[str, NotPersonal.UNIT]
    year: Annotated[int, NotPersonal.PROCEDURE]
    metric: Annotated[TargetMetric, NotPersonal.PROCEDURE]
    planned: Annotated[int, NotPersonal.PROCEDURE]


UnitCeased = UnitMerged | UnitSplit | UnitDissolved
UnitStructureEvent = UnitReclassified | UnitMoved | UnitMerged | UnitSplit | UnitDissolved
UnitEvent = (
    UnitRegistered
    | UnitRenamed
    | AdmissionDelegationChanged
    | UnitReclassified
    | UnitMoved
    | UnitMerged
    | UnitSplit
    | UnitDissolved
    | TermTargetSet
    | YearlyPlanSet
)
UNIT_EVENT_TYPES: Final[tuple[type[UnitEvent], ...]] = (
    UnitRegistered,
    UnitRenamed,
    AdmissionDelegationChanged,
    UnitReclassified,
    UnitMoved,
    UnitMerged,
    UnitSplit,
    UnitDissolved,
    TermTargetSet,
    YearlyPlanSet,
)


def effective_date(event: UnitEvent, occurred_on: date) -> date:
    """When a change shows in "as of" queries: `effective_on` for structural changes, else `occurred_on`."""
    if isinstance(event, UnitReclassified | UnitMoved | UnitMerged | UnitSplit | UnitDissolved):
        return event.effective_on
    return occurred_on
