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
from typing import Annotated, Final, Literal, TypedDict, TypeVar

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
    EntryRetracted,
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
from domain.privacy import NotPersonal, Personal, Sensitive

from .base import Applied, event_names
from .person_view import EXITS, MOVES, MemberStatus, exit_type, undone
from .row_kinds import RowKind
from .rows import UnitRows

name = "unit_dashboard"
version = 2

StageCounts = Annotated[dict[str, int], NotPersonal.AGGREGATE]
"""Stage (its value) → persons in it."""
MembersRow = Annotated[dict[MemberStatus, int], NotPersonal.AGGREGATE]
"""Members by status; a status with none is absent."""
DropoutsRow = Annotated[dict[str, dict[str, int]], NotPersonal.AGGREGATE]
"""Drop-out kind (`DROPOUTS`) → the stage left from → persons."""


class PlaceRow(TypedDict):
    """The stage a person is counted in here, and since when (None: they arrived from another unit)."""

    stage: Annotated[str, Sensitive.PARTY_STANDING]
    since: Annotated[str | None, NotPersonal.PROCEDURE]


class StageDays(TypedDict):
    count: int
    days: int


StageDaysRow = Annotated[dict[str, StageDays], NotPersonal.AGGREGATE]
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

    nominated: Annotated[int, NotPersonal.AGGREGATE]
    trained: Annotated[int, NotPersonal.AGGREGATE]
    sent_up: Annotated[int, NotPersonal.AGGREGATE]
    admitted: Annotated[int, NotPersonal.AGGREGATE]
    ceremonies: Annotated[int, NotPersonal.AGGREGATE]
    recognised: Annotated[int, NotPersonal.AGGREGATE]
    enrolled: Annotated[int, NotPersonal.AGGREGATE]
    transferred_in: Annotated[int, NotPersonal.AGGREGATE]
    transferred_out: Annotated[int, NotPersonal.AGGREGATE]
    reinstated: Annotated[int, NotPersonal.AGGREGATE]
    exits: Annotated[dict[str, int], NotPersonal.AGGREGATE]
    dropouts: Annotated[dict[str, int], NotPersonal.AGGREGATE]
    breaches: Annotated[dict[str, int], NotPersonal.AGGREGATE]
    screening: Annotated[dict[str, int], NotPersonal.AGGREGATE]
    stages: Annotated[dict[str, int], NotPersonal.AGGREGATE]


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
    EntryRetracted,
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
    taken_back = undone(applied)
    if taken_back:
        _unplace(rows, key, before, person.stage.value if mine else None, applied, taken_back[0])
        for item in taken_back:
            _count(rows, item, person.stage.value, -1)
        _prune(rows, {f"year:{item.envelope.occurred_on.year}" for item in taken_back})
        return
    _place(rows, key, before, person.stage.value if mine else None, applied)
    if mine:
        _count(rows, applied, left_from)


def _unplace(
    rows: UnitRows, key: str, before: PlaceRow | None, stage: str | None, applied: Applied, entry: Applied
) -> None:
    """R-RETRACT: put the person back in the bucket they were in before the entry, taking back the days the
    entry counted in the stage it ended and a move in or out it counted."""
    old = before["stage"] if before is not None else None
    if old == stage:
        return
    entry_on = entry.envelope.occurred_on
    if old is not None:
        _bump(rows, old, -1)
        _net(rows, entry_on.year, old, -1)
    if stage is None:
        rows.delete(key)
        _add(rows, entry_on.year, "transferred_in", -1)
        return
    _bump(rows, stage, 1)
    _net(rows, entry_on.year, stage, 1)
    since = applied.person.stage_since if applied.person is not None else None
    if before is not None and stage in _TIMED and since is not None:
        _stage_time(rows, stage, since, entry_on, -1)
    if before is None:
        _add(rows, entry_on.year, "transferred_out", -1)
    place: PlaceRow = {"stage": stage, "since": since.isoformat() if since is not None else None}
    rows.put(key, place)


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


def _count(rows: UnitRows, applied: Applied, left_from: str, sign: int = 1) -> None:
    """Add the step to its year's figures, and to the drop-outs if it ends the person's path here; a retracted
    step's figures are taken back (`sign` −1, R-RETRACT)."""
    event, event_type, year = applied.event, applied.envelope.event_type, applied.envelope.occurred_on.year
    counter = STEP_COUNTERS.get(event_type)
    if counter is not None:
        _add(rows, year, counter, sign)
    elif isinstance(event, CellApproved) and event.grassroots_cell:
        _add(rows, year, "sent_up", sign)
    elif isinstance(event, ExpulsionAppealResolved) and not event.upheld:
        _add(rows, year, "reinstated", sign)
    elif isinstance(event, ScreeningOutcomeRecorded):
        _add_kind(rows, event.year, "screening", str(event.outcome), sign)
    elif isinstance(event, DeadlineBreached):
        _add_kind(rows, year, "breaches", event.rule_id, sign)
    leaving = exit_type(applied)
    if leaving is not None:
        _add_kind(rows, year, "exits", leaving, sign)
    dropout = DROPOUTS.get(event_type)
    if dropout is not None:
        _add_kind(rows, year, "dropouts", dropout, sign)
        _change(rows.edit("dropouts", DropoutsRow).setdefault(dropout, {}), left_from, sign)


def _add(rows: UnitRows, year: int, counter: YearCounter, sign: int = 1) -> None:
    row = rows.edit(f"year:{year}", YearRow)
    _change(row, counter, sign)  # type: ignore[arg-type]  # a YearRow's counters are ints


def _add_kind(rows: UnitRows, year: int, breakdown: YearBreakdown, kind: str, sign: int = 1) -> None:
    _change(rows.edit(f"year:{year}", YearRow).setdefault(breakdown, {}), kind, sign)


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


def _prune(rows: UnitRows, years: set[str]) -> None:
    """After a retraction (R-RETRACT), drop what was taken back to nothing, so the rows are as if the entry had
    never been recorded: empty breakdowns, buckets and rows."""
    for key in sorted(years | {"funnel", "members", "closed", "dropouts", "stage_days"}):
        row = rows.get(key, dict)
        if row is None:
            continue
        kept = {k: v for k, v in row.items() if v not in ({}, {"count": 0, "days": 0})}
        if not kept:
            rows.delete(key)
        elif kept != row:
            rows.put(key, kept)


def _stage_time(rows: UnitRows, stage: str, since: date, until: date, sign: int = 1) -> None:
    spent = rows.edit("stage_days", StageDaysRow).setdefault(stage, {"count": 0, "days": 0})
    spent["count"] += sign
    spent["days"] += sign * (until - since).days


ROWS = (
    RowKind("funnel", StageCounts, NotPersonal.PROCEDURE),
    RowKind("closed", StageCounts, NotPersonal.PROCEDURE),
    RowKind("members", MembersRow, NotPersonal.PROCEDURE),
    RowKind("dropouts", DropoutsRow, NotPersonal.PROCEDURE),
    RowKind("stage_days", StageDaysRow, NotPersonal.PROCEDURE),
    RowKind("year:<yyyy>", YearRow, NotPersonal.PROCEDURE),
    RowKind("p:<stream id>", PlaceRow, Personal.PERSON_ID),
)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
