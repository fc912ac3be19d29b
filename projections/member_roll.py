"""The unit's roll of party members, probationary and official (DOMAIN.md §2.9–§4).

Rows: `m:<stream id>` → `MemberRow`. A member is on the roll of the unit holding their membership; one on a
temporary transfer stays on the home roll with `temporary_unit_id` set (R-TRANSFER). The row leaves when the
member moves to another unit or leaves the party, and `exits:<yyyy>` → `ExitsRow` keeps who left that year
and how, in log order. An expulsion overturned on appeal puts the member back.

`outgoing` → `OutgoingRow` lists the unit's members with a transfer introduced and not yet presented
(version 2): the receiving unit never sees the introduction in its own partition, so its page of incoming
transfers reads these small rows instead of every member row of every unit.
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from domain.person.events import AdmissionCeremonyHeld, EntryRetracted, MovedByReorganisation, ParticularsUpdated
from domain.person.member_events import (
    AdmissionAnnulled,
    ExpulsionAppealResolved,
    MemberDisciplined,
    MemberEnrolled,
    MemberRated,
    MemberStruckOff,
    MemberTransferIntroduced,
    MemberTransferPresented,
    NewMemberCourseCompleted,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    TemporaryTransferEnded,
    VoluntaryExitGranted,
)
from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES, Stage
from domain.privacy import NotPersonal, Personal, Sensitive, Subject

from .base import Applied, event_names
from .person_view import Identity, MemberStatus, exit_type, identity, own, undone
from .row_kinds import RowKind
from .rows import UnitRows

name = "member_roll"
version = 2
OUTGOING = "outgoing"
event_types: frozenset[str] | None = event_names(
    AdmissionCeremonyHeld,
    MemberEnrolled,
    ParticularsUpdated,
    NewMemberCourseCompleted,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    MemberTransferIntroduced,
    MemberTransferPresented,
    MovedByReorganisation,
    TemporaryTransferEnded,
    MemberDisciplined,
    ExpulsionAppealResolved,
    MemberStruckOff,
    VoluntaryExitGranted,
    MemberRated,
    AdmissionAnnulled,
    EntryRetracted,
)


class PendingTransfer(TypedDict):
    kind: Annotated[str, NotPersonal.PROCEDURE]
    to_unit_id: Annotated[str, NotPersonal.UNIT]


class Rating(TypedDict):
    """The rating of the latest year rated."""

    year: Annotated[int, NotPersonal.PROCEDURE]
    grade: Annotated[str, Sensitive.PARTY_STANDING]


class MemberRow(Identity):
    """A member: dates are ISO text; party seniority counts from `admitted_on` (the decision)."""

    stream_id: Annotated[str, Personal.PERSON_ID]
    status: Annotated[MemberStatus, Sensitive.PARTY_STANDING]
    cell_id: Annotated[str | None, NotPersonal.UNIT]
    admitted_on: Annotated[str, NotPersonal.PROCEDURE]
    ceremony_on: Annotated[str, NotPersonal.PROCEDURE]
    probation_ends_on: Annotated[str, NotPersonal.PROCEDURE]
    official_from: Annotated[str | None, NotPersonal.PROCEDURE]
    mentor_id: Annotated[str | None, Personal.PERSON_ID.of(Subject.HELPER)]
    course_completed: Annotated[bool, NotPersonal.PROCEDURE]
    temporary_unit_id: Annotated[str | None, NotPersonal.UNIT]
    pending_transfer: PendingTransfer | None
    rating: Rating | None
    penalties: Annotated[list[str], Sensitive.PARTY_STANDING]
    readmitted: Annotated[bool, Sensitive.PARTY_STANDING]


class ExitEntry(TypedDict):
    """`kind` is an exit type (`person_view.exit_type`) or the event's type, or `transferred_out` (then
    `to_unit_id` is set)."""

    stream_id: Annotated[str, Personal.PERSON_ID]
    full_name: Annotated[str | None, Personal.NAME]
    left_on: Annotated[str, NotPersonal.PROCEDURE]
    kind: Annotated[str, Sensitive.PARTY_STANDING]
    to_unit_id: Annotated[str | None, NotPersonal.UNIT]


class ExitsRow(TypedDict):
    entries: list[ExitEntry]


OutgoingRow = Annotated[dict[str, str], Personal.PERSON_ID]
"""Stream id → the receiving unit's id."""


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"m:{applied.envelope.stream_id}"
    mine = own(applied) is not None
    retraction = isinstance(applied.event, EntryRetracted)
    if retraction:
        _take_back_exits(rows, applied)
    if mine and person.membership is not None and person.stage in MEMBER_STAGES:
        before = rows.get(key, MemberRow)
        if before is not None and isinstance(applied.event, MemberRated):
            before["rating"] = _latest_rating(person)  # a rating changes nothing else on the row
            rows.put(key, before)
            return
        row = _row(person, applied)
        rows.put(key, row)
        _outgoing(rows, applied.envelope.stream_id, row["pending_transfer"])
        return
    before = rows.get(key, MemberRow)
    if before is None:
        return
    rows.delete(key)
    _outgoing(rows, applied.envelope.stream_id, None)
    if retraction:
        return  # a retracted ceremony or move in: the member was never on this roll
    envelope = applied.envelope
    entry: ExitEntry = {
        "stream_id": envelope.stream_id,
        "full_name": before["full_name"],
        "left_on": envelope.occurred_on.isoformat(),
        "kind": (exit_type(applied) or envelope.event_type) if mine else "transferred_out",
        "to_unit_id": None if mine else person.cell_id,
    }
    rows.edit(f"exits:{envelope.occurred_on.year}", ExitsRow).setdefault("entries", []).append(entry)


def _take_back_exits(rows: UnitRows, applied: Applied) -> None:
    """R-RETRACT: a retracted exit (or move away) leaves the year's exits; the member is back on the roll."""
    stream = applied.envelope.stream_id
    for item in undone(applied):
        on = item.envelope.occurred_on
        exits = rows.get(f"exits:{on.year}", ExitsRow)
        if exits is None:
            continue
        left = [e for e in exits["entries"] if e["stream_id"] == stream and e["left_on"] == on.isoformat()]
        if left:
            kept = [e for e in exits["entries"] if e is not left[-1]]
            if kept:
                rows.put(f"exits:{on.year}", {"entries": kept})
            else:
                rows.delete(f"exits:{on.year}")


def _outgoing(rows: UnitRows, stream_id: str, pending: PendingTransfer | None) -> None:
    """Keep the member in (or out of) the unit's `outgoing` row; unchanged, it is not rewritten."""
    to_unit = pending["to_unit_id"] if pending is not None else None
    listed = rows.get(OUTGOING, OutgoingRow)
    if (listed or {}).get(stream_id) == to_unit:
        return
    row = rows.edit(OUTGOING, OutgoingRow)
    if to_unit is not None:
        row[stream_id] = to_unit
        return
    row.pop(stream_id, None)
    if not row:
        rows.delete(OUTGOING)


def _latest_rating(person: PersonState) -> Rating | None:
    """The rating of the latest year rated (years may be rated out of order)."""
    if not person.ratings:
        return None
    latest = max(person.ratings, key=lambda r: r.year)
    return {"year": latest.year, "grade": latest.grade.value}


def _row(person: PersonState, applied: Applied) -> MemberRow:
    m = person.membership
    assert m is not None
    pending: PendingTransfer | None = None
    if m.pending_transfer is not None:
        pending = {"kind": m.pending_transfer.kind.value, "to_unit_id": m.pending_transfer.to_unit_id}
    return {
        "stream_id": applied.envelope.stream_id,
        **identity(person),
        "status": "official" if person.stage is Stage.OFFICIAL else "probationary",
        "cell_id": person.cell_id,
        "admitted_on": m.admitted_on.isoformat(),
        "ceremony_on": m.ceremony_on.isoformat(),
        "probation_ends_on": m.probation_ends_on.isoformat(),
        "official_from": m.official_from.isoformat() if m.official_from else None,
        "mentor_id": m.mentor_id,
        "course_completed": m.course_completed,
        "temporary_unit_id": m.temporary_unit_id,
        "pending_transfer": pending,
        "rating": _latest_rating(person),
        "penalties": [penalty.value for penalty in m.penalties],
        "readmitted": person.readmissions > 0,
    }


ROWS = (
    RowKind("m:<stream id>", MemberRow, Personal.PERSON_ID),
    RowKind("exits:<year>", ExitsRow, NotPersonal.PROCEDURE),
    RowKind(OUTGOING, OutgoingRow, NotPersonal.PROCEDURE),
)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
