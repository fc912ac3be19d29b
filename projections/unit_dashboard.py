"""The unit dashboard (DOMAIN.md §5): the funnel by stage, members, drop-outs, time per stage, yearly figures.

Every person whose file or membership is in the unit (see `person_view.own`) sits in exactly one bucket:
- `funnel` → {stage: persons} for the open-file stages (SourcePool … Admitted);
- `members` → {"probationary": n, "official": n};
- `closed` → {stage: persons} for the off-ramps (Rejected, Withdrawn, StruckOff, Expelled, Exited, Annulled).
`p:<stream id>` → {stage, since} is the bookkeeping that moves a person from the old bucket to the new one;
a person who moves to another unit leaves every bucket here.

Cumulative: `dropouts` → {kind: {stage left from: n}}; `stage_days` → {stage: {count, days}}, calendar days
spent in a file stage or on probation by those who moved on from it here.

`year:<yyyy>` → counters of the steps taken in the unit that year (the year of `occurred_on`):
nominated, trained (certificates), sent_up (the committee's resolution, or a grassroots cell's own),
admitted (decisions), ceremonies, recognised, enrolled, transferred_in, transferred_out, reinstated, and
{kind: n} maps exits, dropouts, breaches (by rule). `screening` → {outcome: n} is filed under the year the
review is *for* (`ScreeningOutcomeRecorded.year`), which may be recorded early the next year.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from domain.person.stages import MEMBER_STAGES, PIPELINE, Stage

from .base import Applied
from .person_view import EXITS, MOVES, exit_type
from .rows import Row, UnitRows

name = "unit_dashboard"
version = 1

STEP_COUNTERS: Final[dict[str, str]] = {
    "CandidateNominated": "nominated",
    "AwarenessTrainingCertified": "trained",
    "CommitteeApproved": "sent_up",
    "AdmissionDecided": "admitted",
    "AdmissionCeremonyHeld": "ceremonies",
    "OfficialRecognised": "recognised",
    "MemberEnrolled": "enrolled",
}
DROPOUTS: Final[dict[str, str]] = {
    "CandidateRejected": "rejected",
    "CandidateWithdrawn": "withdrawn",
    "ProbationaryMemberStruckOff": "probationary_struck_off",
    "AdmissionAnnulled": "annulled",
}
"""Leaving the admission path before becoming an official member, by kind (DOMAIN.md §3)."""

event_types: frozenset[str] | None = frozenset(
    {*STEP_COUNTERS, *EXITS, *DROPOUTS, *MOVES}
    | {
        "ApplicationSubmitted",
        "VerificationCertified",
        "SponsorsRecorded",
        "CellApproved",
        "DossierReturned",
        "DeadlineBreached",
        "MemberDisciplined",
        "ExpulsionAppealResolved",
        "ScreeningOutcomeRecorded",
    }
)

_PIPELINE: Final = frozenset(s.value for s in PIPELINE)
_TIMED: Final = _PIPELINE | {Stage.PROBATIONARY.value}
"""Stages whose duration the dashboard reports: the path to membership, not years of membership."""
_MEMBERS: Final = {s.value: s.value.lower() for s in MEMBER_STAGES}


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"p:{applied.envelope.stream_id}"
    before = rows.get(key)
    mine = person.cell_id is not None and person.cell_id == applied.partition
    if before is None and not mine:
        return
    left_from: str = before["stage"] if before is not None else "unknown"
    _place(rows, key, before, person.stage.value if mine else None, applied)
    if mine:
        _count(rows, applied, left_from)


def _bucket(stage: str) -> tuple[str, str]:
    if stage in _MEMBERS:
        return "members", _MEMBERS[stage]
    return ("funnel" if stage in _PIPELINE else "closed"), stage


def _place(rows: UnitRows, key: str, before: Row | None, stage: str | None, applied: Applied) -> None:
    """Move the person from the bucket of their old stage to the new one (or out of the unit)."""
    old = before["stage"] if before is not None else None
    if old == stage:
        return
    on, event_type = applied.envelope.occurred_on, applied.envelope.event_type
    if old is not None:
        _bump(rows, *_bucket(old), -1)
    if stage is None:
        rows.delete(key)
        _add(rows, on.year, "transferred_out")
        return
    _bump(rows, *_bucket(stage), 1)
    if before is not None and before["since"] is not None and old in _TIMED:
        _stage_time(rows, old or "", date.fromisoformat(before["since"]), on)
    arrived = before is None and event_type in MOVES
    rows.put(key, {"stage": stage, "since": None if arrived else on.isoformat()})
    if arrived and event_type != "MemberEnrolled":
        _add(rows, on.year, "transferred_in")


def _count(rows: UnitRows, applied: Applied, left_from: str) -> None:
    """Add the step to its year's figures, and to the drop-outs if it ends the person's path here."""
    event, event_type, year = applied.event, applied.envelope.event_type, applied.envelope.occurred_on.year
    counter = STEP_COUNTERS.get(event_type)
    if counter is not None:
        _add(rows, year, counter)
    elif event_type == "CellApproved" and event.grassroots_cell:
        _add(rows, year, "sent_up")
    elif event_type == "ExpulsionAppealResolved" and not event.upheld:
        _add(rows, year, "reinstated")
    elif event_type == "ScreeningOutcomeRecorded":
        _add(rows, event.year, "screening", str(event.outcome))
    elif event_type == "DeadlineBreached":
        _add(rows, year, "breaches", event.rule_id)
    leaving = exit_type(applied)
    if leaving is not None:
        _add(rows, year, "exits", leaving)
    dropout = DROPOUTS.get(event_type)
    if dropout is not None:
        _add(rows, year, "dropouts", dropout)
        dropouts = rows.edit("dropouts").setdefault(dropout, {})
        dropouts[left_from] = dropouts.get(left_from, 0) + 1


def _add(rows: UnitRows, year: int, field: str, kind: str | None = None) -> None:
    row = rows.edit(f"year:{year}")
    if kind is None:
        row[field] = row.get(field, 0) + 1
    else:
        inner: dict[str, Any] = row.setdefault(field, {})
        inner[kind] = inner.get(kind, 0) + 1


def _bump(rows: UnitRows, row_key: str, field: str, delta: int) -> None:
    """Change a bucket's count; a count that falls to zero is dropped, so rows hold only what is there."""
    row = rows.edit(row_key)
    count = row.get(field, 0) + delta
    if count:
        row[field] = count
    else:
        row.pop(field, None)


def _stage_time(rows: UnitRows, stage: str, since: date, until: date) -> None:
    spent = rows.edit("stage_days").setdefault(stage, {"count": 0, "days": 0})
    spent["count"] += 1
    spent["days"] += (until - since).days
