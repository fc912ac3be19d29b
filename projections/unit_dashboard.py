"""The unit dashboard (DOMAIN.md §5): the funnel by stage, members, drop-outs, time per stage, yearly figures.

Every person whose file or membership is in the unit (see `person_view.own`) sits in exactly one bucket:
- `funnel` → `StageCounts` for the open-file stages (SourcePool … Admitted);
- `members` → `MembersRow`;
- `closed` → `StageCounts` for the off-ramps (Rejected, Withdrawn, StruckOff, Expelled, Exited, Annulled).
`p:<stream id>` → `PlaceRow` is the bookkeeping that moves a person from the old bucket to the new one;
a person who moves to another unit leaves every bucket here.

Cumulative: `dropouts` → `DropoutsRow`; `stage_days` → `StageDaysRow`, calendar days spent in a file stage or
on probation by those who moved on from it here.

`year:<yyyy>` → `YearRow`, the steps taken in the unit that year (the year of `occurred_on`). Its
`screening` is filed under the year the review is *for* (`ScreeningOutcomeRecorded.year`), which may be
recorded early the next year. Its `stages` is the year's net change of every bucket (stage → +/- persons, by
the date on the paper), so a past year's funnel and members are today's less the changes of the years since.
"""

from __future__ import annotations

from datetime import date
from typing import Final, Literal, TypedDict, TypeVar

from domain.person.events import (
    AdmissionCeremonyHeld,
    AdmissionDecided,
    ApplicationSubmitted,
    AwarenessTrainingCertified,
    CandidateNominated,
    CandidateRejected,
    CandidateWithdrawn,
    CellApproved,
    CommitteeApproved,
    DeadlineBreached,
    DossierReturned,
    SponsorsRecorded,
    VerificationCertified,
)
from domain.person.member_events import (
    AdmissionAnnulled,
    ExpulsionAppealResolved,
    MemberDisciplined,
    MemberEnrolled,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    ScreeningOutcomeRecorded,
)
from domain.person.stages import PIPELINE, Stage

from .base import Applied, event_names
from .person_view import EXITS, MOVES, MemberStatus, exit_type
from .rows import UnitRows

name = "unit_dashboard"
version = 2

StageCounts = dict[str, int]
"""Stage (its value) → persons in it."""
MembersRow = dict[MemberStatus, int]
"""Members by status; a status with none is absent."""
DropoutsRow = dict[str, dict[str, int]]
"""Drop-out kind (`DROPOUTS`) → the stage left from → persons."""


class PlaceRow(TypedDict):
    """The stage a person is counted in here, and since when (None: they arrived from another unit)."""

    stage: str
    since: str | None


class StageDays(TypedDict):
    count: int
    days: int


StageDaysRow = dict[str, StageDays]
"""Stage → how many moved on from it here, and the calendar days they spent in it in all."""

YearCounter = Literal[
    "nominated",
    "trained",
    "sent_up",
    "admitted",
    "ceremonies",
    "recognised",
    "enrolled",
    "transferred_in",
    "transferred_out",
    "reinstated",
]
YearBreakdown = Literal["exits", "dropouts", "breaches", "screening"]


class YearRow(TypedDict, total=False):
    """A year's figures: steps counted (absent when none), and {kind: n} for exits, drop-outs, breaches (by
    rule) and screening outcomes. `sent_up` is the committee's resolution, or a grassroots cell's own."""

    nominated: int
    trained: int
    sent_up: int
    admitted: int
    ceremonies: int
    recognised: int
    enrolled: int
    transferred_in: int
    transferred_out: int
    reinstated: int
    exits: dict[str, int]
    dropouts: dict[str, int]
    breaches: dict[str, int]
    screening: dict[str, int]
    stages: dict[str, int]


STEP_COUNTERS: Final[dict[str, YearCounter]] = {
    CandidateNominated.event_type: "nominated",
    AwarenessTrainingCertified.event_type: "trained",
    CommitteeApproved.event_type: "sent_up",
    AdmissionDecided.event_type: "admitted",
    AdmissionCeremonyHeld.event_type: "ceremonies",
    OfficialRecognised.event_type: "recognised",
    MemberEnrolled.event_type: "enrolled",
}
DROPOUTS: Final[dict[str, str]] = {
    CandidateRejected.event_type: "rejected",
    CandidateWithdrawn.event_type: "withdrawn",
    ProbationaryMemberStruckOff.event_type: "probationary_struck_off",
    AdmissionAnnulled.event_type: "annulled",
}
"""Leaving the admission path before becoming an official member, by kind (DOMAIN.md §3)."""

event_types: frozenset[str] | None = frozenset({*STEP_COUNTERS, *EXITS, *DROPOUTS, *MOVES}) | event_names(
    ApplicationSubmitted,
    VerificationCertified,
    SponsorsRecorded,
    CellApproved,
    DossierReturned,
    DeadlineBreached,
    MemberDisciplined,
    ExpulsionAppealResolved,
    ScreeningOutcomeRecorded,
)

_PIPELINE: Final = frozenset(s.value for s in PIPELINE)
_TIMED: Final = _PIPELINE | {Stage.PROBATIONARY.value}
"""Stages whose duration the dashboard reports: the path to membership, not years of membership."""
_MEMBERS: Final[dict[str, MemberStatus]] = {Stage.PROBATIONARY.value: "probationary", Stage.OFFICIAL.value: "official"}

K = TypeVar("K", bound=str)


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"p:{applied.envelope.stream_id}"
    before = rows.get(key, PlaceRow)
    mine = person.cell_id is not None and person.cell_id == applied.partition
    if before is None and not mine:
        return
    left_from: str = before["stage"] if before is not None else "unknown"
    _place(rows, key, before, person.stage.value if mine else None, applied)
    if mine:
        _count(rows, applied, left_from)


def _place(rows: UnitRows, key: str, before: PlaceRow | None, stage: str | None, applied: Applied) -> None:
    """Move the person from the bucket of their old stage to the new one (or out of the unit)."""
    old = before["stage"] if before is not None else None
    if old == stage:
        return
    on = applied.envelope.occurred_on
    if old is not None:
        _bump(rows, old, -1)
        _net(rows, on.year, old, -1)
    if stage is None:
        rows.delete(key)
        _add(rows, on.year, "transferred_out")
        return
    _bump(rows, stage, 1)
    _net(rows, on.year, stage, 1)
    if before is not None and before["since"] is not None and old in _TIMED:
        _stage_time(rows, old or "", date.fromisoformat(before["since"]), on)
    arrived = before is None and applied.envelope.event_type in MOVES
    place: PlaceRow = {"stage": stage, "since": None if arrived else on.isoformat()}
    rows.put(key, place)
    if arrived and not isinstance(applied.event, MemberEnrolled):
        _add(rows, on.year, "transferred_in")


def _count(rows: UnitRows, applied: Applied, left_from: str) -> None:
    """Add the step to its year's figures, and to the drop-outs if it ends the person's path here."""
    event, event_type, year = applied.event, applied.envelope.event_type, applied.envelope.occurred_on.year
    counter = STEP_COUNTERS.get(event_type)
    if counter is not None:
        _add(rows, year, counter)
    elif isinstance(event, CellApproved) and event.grassroots_cell:
        _add(rows, year, "sent_up")
    elif isinstance(event, ExpulsionAppealResolved) and not event.upheld:
        _add(rows, year, "reinstated")
    elif isinstance(event, ScreeningOutcomeRecorded):
        _add_kind(rows, event.year, "screening", str(event.outcome))
    elif isinstance(event, DeadlineBreached):
        _add_kind(rows, year, "breaches", event.rule_id)
    leaving = exit_type(applied)
    if leaving is not None:
        _add_kind(rows, year, "exits", leaving)
    dropout = DROPOUTS.get(event_type)
    if dropout is not None:
        _add_kind(rows, year, "dropouts", dropout)
        dropouts = rows.edit("dropouts", DropoutsRow).setdefault(dropout, {})
        dropouts[left_from] = dropouts.get(left_from, 0) + 1


def _add(rows: UnitRows, year: int, counter: YearCounter) -> None:
    row = rows.edit(f"year:{year}", YearRow)
    row[counter] = row.get(counter, 0) + 1


def _add_kind(rows: UnitRows, year: int, breakdown: YearBreakdown, kind: str) -> None:
    inner = rows.edit(f"year:{year}", YearRow).setdefault(breakdown, {})
    inner[kind] = inner.get(kind, 0) + 1


def _net(rows: UnitRows, year: int, stage: str, delta: int) -> None:
    """The year's net change of a stage's bucket; a change that nets to zero is dropped."""
    row = rows.edit(f"year:{year}", YearRow)
    _change(row.setdefault("stages", {}), stage, delta)
    if not row["stages"]:
        del row["stages"]


def _bump(rows: UnitRows, stage: str, delta: int) -> None:
    """Change the count of the bucket a stage is counted in."""
    status = _MEMBERS.get(stage)
    if status is not None:
        _change(rows.edit("members", MembersRow), status, delta)
    else:
        _change(rows.edit("funnel" if stage in _PIPELINE else "closed", StageCounts), stage, delta)


def _change(row: dict[K, int], field: K, delta: int) -> None:
    """A count that falls to zero is dropped, so rows hold only what is there."""
    count = row.get(field, 0) + delta
    if count:
        row[field] = count
    else:
        row.pop(field, None)


def _stage_time(rows: UnitRows, stage: str, since: date, until: date) -> None:
    spent = rows.edit("stage_days", StageDaysRow).setdefault(stage, {"count": 0, "days": 0})
    spent["count"] += 1
    spent["days"] += (until - since).days
