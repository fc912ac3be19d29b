"""The unit's roll of party members, probationary and official (DOMAIN.md §2.9–§4).

Rows: `m:<stream id>` → {stream_id, full_name, sex, date_of_birth, ethnicity, status, cell_id, admitted_on
(party seniority counts from the decision), ceremony_on, probation_ends_on, official_from, mentor_id,
course_completed, temporary_unit_id, pending_transfer, rating {year, grade} (the latest year rated),
penalties, readmitted}.

A member is on the roll of the unit holding their membership; one on a temporary transfer stays on the home
roll with `temporary_unit_id` set (R-TRANSFER). The row leaves when the member moves to another unit or
leaves the party, and `exits:<yyyy>` → {entries: [{stream_id, full_name, left_on, kind, to_unit_id}]} keeps
who left that year and how, in log order. An expulsion overturned on appeal puts the member back.

`outgoing` → {stream id: receiving unit id} lists the unit's members with a transfer introduced and not yet
presented (version 2): the receiving unit never sees the introduction in its own partition, so its page of
incoming transfers reads these small rows instead of every member row of every unit.
"""

from __future__ import annotations

from typing import Any

from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES, Stage

from .base import Applied
from .person_view import exit_type, identity, own
from .rows import Row, UnitRows

name = "member_roll"
version = 2
OUTGOING = "outgoing"
event_types: frozenset[str] | None = frozenset(
    {
        "AdmissionCeremonyHeld",
        "MemberEnrolled",
        "ParticularsUpdated",
        "NewMemberCourseCompleted",
        "OfficialRecognised",
        "ProbationaryMemberStruckOff",
        "MemberTransferIntroduced",
        "MemberTransferPresented",
        "TemporaryTransferEnded",
        "MemberDisciplined",
        "ExpulsionAppealResolved",
        "MemberStruckOff",
        "VoluntaryExitGranted",
        "MemberRated",
        "AdmissionAnnulled",
    }
)


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"m:{applied.envelope.stream_id}"
    mine = own(applied) is not None
    if mine and person.membership is not None and person.stage in MEMBER_STAGES:
        before = rows.get(key)
        if before is not None and applied.envelope.event_type == "MemberRated":
            before["rating"] = _latest_rating(person)  # a rating changes nothing else on the row
            rows.put(key, before)
            return
        row = _row(person, applied)
        rows.put(key, row)
        _outgoing(rows, applied.envelope.stream_id, row["pending_transfer"])
        return
    before = rows.get(key)
    if before is None:
        return
    rows.delete(key)
    _outgoing(rows, applied.envelope.stream_id, None)
    envelope = applied.envelope
    entry = {
        "stream_id": envelope.stream_id,
        "full_name": before["full_name"],
        "left_on": envelope.occurred_on.isoformat(),
        "kind": (exit_type(applied) or envelope.event_type) if mine else "transferred_out",
        "to_unit_id": None if mine else person.cell_id,
    }
    rows.update(f"exits:{envelope.occurred_on.year}", lambda row: row.setdefault("entries", []).append(entry))


def _outgoing(rows: UnitRows, stream_id: str, pending: dict[str, Any] | None) -> None:
    """Keep the member in (or out of) the unit's `outgoing` row; unchanged, it is not rewritten."""
    to_unit = pending["to_unit_id"] if pending is not None else None
    listed = rows.get(OUTGOING)
    if (listed or {}).get(stream_id) == to_unit:
        return
    row = rows.edit(OUTGOING)
    if to_unit is not None:
        row[stream_id] = to_unit
        return
    row.pop(stream_id, None)
    if not row:
        rows.delete(OUTGOING)


def _latest_rating(person: PersonState) -> dict[str, Any] | None:
    """The rating of the latest year rated (years may be rated out of order)."""
    if not person.ratings:
        return None
    latest = max(person.ratings, key=lambda r: r.year)
    return {"year": latest.year, "grade": latest.grade.value}


def _row(person: PersonState, applied: Applied) -> Row:
    m = person.membership
    assert m is not None
    pending: dict[str, Any] | None = None
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
