"""Deadlines and breaches per unit, and papers about to go stale (DOMAIN.md §2.8–§2.11, §3, §4).

Rows: `d:<stream id>:<clock>` → `DeadlineRow`, the latest clock of its kind for the person. `clock` is the
rule id, with the step for rules that run two clocks (`R-RECOGNISE-DEADLINE:vote` / `:decision`,
`R-TRANSFER:present`). A row is `open` while running; `met` when the awaited step was taken; `breached` when
the domain recorded a `DeadlineBreached` for it (lateness in working days as the domain counted it). A clock
that stops without its step (a returned dossier, a withdrawal, a departure) is removed. A breach of a clock
that was never carried by an event (introducing a transfer late) gets its own `…:<rule id>:<due date>` row.

`kind: "stale_paper"` rows are the awareness certificate (R-TRAIN-VALID, 60 months) and the sponsors'
letters (R-PAPERS-STALE, 12 months) of a file not yet voted on by the cell; `due_on` is their last valid day.

How urgent anything is *today* is computed by the query, never stored: rows depend only on the events.
`p:<stream id>` → `BookRow` lists the person's rows, so they all leave with a person who moves away.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal, TypedDict

from domain.person.events import (
    AdmissionCeremonyHeld,
    AdmissionDecided,
    AdmissionDecisionReceived,
    AwarenessTrainingCertified,
    CandidateNominated,
    CandidateRejected,
    CandidateWithdrawn,
    CellApproved,
    DeadlineBreached,
    DecisionDeadlineExtended,
    DossierReturned,
    EntryRetracted,
    ParticularsUpdated,
    SponsorsRecorded,
)
from domain.person.member_events import (
    AdmissionAnnulled,
    ExpulsionAppealResolved,
    MemberDisciplined,
    MemberStruckOff,
    MemberTransferIntroduced,
    MemberTransferPresented,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    RecognitionEscalated,
    RecognitionVoteHeld,
    VoluntaryExitGranted,
)
from domain.person.records import PersonState
from domain.privacy import NotPersonal, Personal

from .base import Applied, event_names
from .person_view import (
    CEREMONY,
    DECIDE,
    MOVES,
    RECOGNISE_DECISION,
    RECOGNISE_VOTE,
    TRANSFER_PRESENT,
    Clock,
    open_clocks,
    own,
    undone,
)
from .row_kinds import RowKind
from .rows import UnitRows

name = "deadlines"
version = 1
event_types: frozenset[str] | None = MOVES | event_names(
    CandidateNominated,
    AwarenessTrainingCertified,
    SponsorsRecorded,
    CellApproved,
    DecisionDeadlineExtended,
    AdmissionDecided,
    AdmissionDecisionReceived,
    CandidateRejected,
    DossierReturned,
    CandidateWithdrawn,
    AdmissionCeremonyHeld,
    DeadlineBreached,
    ParticularsUpdated,
    RecognitionVoteHeld,
    RecognitionEscalated,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    MemberTransferIntroduced,
    MemberDisciplined,
    ExpulsionAppealResolved,
    MemberStruckOff,
    VoluntaryExitGranted,
    AdmissionAnnulled,
    EntryRetracted,
)

MEETS: Final[dict[str, frozenset[str]]] = {
    DECIDE: event_names(AdmissionDecided, CandidateRejected),
    CEREMONY: event_names(AdmissionCeremonyHeld),
    RECOGNISE_VOTE: event_names(RecognitionVoteHeld),
    RECOGNISE_DECISION: event_names(OfficialRecognised, ProbationaryMemberStruckOff),
    TRANSFER_PRESENT: event_names(MemberTransferPresented),
}
"""The steps that answer each clock; any other end of a clock cancels it."""


class DeadlineRow(TypedDict):
    """A clock: dates are ISO text; `started_on` None when it started in another unit; `met_on` the day the
    awaited step was taken (or the breach recorded), `late_by_working_days` 0 unless breached."""

    kind: Annotated[Literal["deadline", "stale_paper"], NotPersonal.PROCEDURE]
    clock: Annotated[str, NotPersonal.PROCEDURE]
    rule_id: Annotated[str, NotPersonal.PROCEDURE]
    stream_id: Annotated[str, Personal.PERSON_ID]
    full_name: Annotated[str | None, Personal.NAME]
    started_on: Annotated[str | None, NotPersonal.PROCEDURE]
    due_on: Annotated[str, NotPersonal.PROCEDURE]
    extensions_left: Annotated[int, NotPersonal.PROCEDURE]
    status: Annotated[Literal["open", "met", "breached"], NotPersonal.PROCEDURE]
    met_on: Annotated[str | None, NotPersonal.PROCEDURE]
    late_by_working_days: Annotated[int, NotPersonal.PROCEDURE]


class BookRow(TypedDict):
    """A person's `d:` row keys here (sorted), and the names of their clocks still running."""

    keys: Annotated[list[str], Personal.PERSON_ID]
    open: Annotated[list[str], NotPersonal.PROCEDURE]


def apply(rows: UnitRows, applied: Applied) -> None:
    stream = applied.envelope.stream_id
    book_key = f"p:{stream}"
    book = rows.get(book_key, BookRow)
    person = own(applied)
    if person is None:
        if book is not None:
            for key in book["keys"]:
                rows.delete(key)
            rows.delete(book_key)
        return
    keys: set[str] = set(book["keys"]) if book is not None else set()
    was_open: list[str] = book["open"] if book is not None else []
    event = applied.event
    for item in undone(applied):  # R-RETRACT: a breach recorded with the retracted step goes with it
        if isinstance(item.event, DeadlineBreached):
            orphan = f"d:{stream}:{item.event.rule_id}:{item.event.due_on.isoformat()}"
            if orphan in keys:
                rows.delete(orphan)
                keys.discard(orphan)
    if isinstance(event, DeadlineBreached):
        keys.add(_breach(rows, applied, event, person, keys))
        now_open = was_open
    else:
        now_open = _track(rows, applied, person, was_open, keys)
    if isinstance(event, ParticularsUpdated):
        _rename(rows, keys, person)
    listed = sorted(keys)
    if book is None or now_open != was_open or listed != book["keys"]:
        written: BookRow = {"keys": listed, "open": now_open}
        rows.put(book_key, written)


def _track(rows: UnitRows, applied: Applied, person: PersonState, was_open: list[str], keys: set[str]) -> list[str]:
    """Close the clocks that stopped, open or update the ones running; returns the running clocks' names."""
    stream, on = applied.envelope.stream_id, applied.envelope.occurred_on
    clocks = open_clocks(person, on)
    running = [clock.name for clock in clocks]
    for clock_name in was_open:
        if clock_name not in running:
            key = f"d:{stream}:{clock_name}"
            if applied.envelope.event_type in MEETS.get(clock_name, ()):
                met = rows.edit(key, DeadlineRow)
                met["status"], met["met_on"] = "met", on.isoformat()
            else:
                rows.delete(key)
                keys.discard(key)
    for clock in clocks:
        key = f"d:{stream}:{clock.name}"
        keys.add(key)
        _open(rows, key, clock, person, applied)
    return running


def _open(rows: UnitRows, key: str, clock: Clock, person: PersonState, applied: Applied) -> None:
    """Write a running clock; unchanged clocks are not rewritten."""
    row = rows.get(key, DeadlineRow)
    due = clock.due_on.isoformat()
    running = row is not None and row["status"] == "open"
    if running and row is not None and row["due_on"] == due and row["extensions_left"] == clock.extensions_left:
        return
    if clock.counts_from is not None:
        started_on: str | None = clock.counts_from.isoformat()
    elif running and row is not None:
        started_on = row["started_on"]
    else:
        started_on = None if applied.envelope.event_type in MOVES else applied.envelope.occurred_on.isoformat()
    opened: DeadlineRow = {
        "kind": "stale_paper" if clock.stale_paper else "deadline",
        "clock": clock.name,
        "rule_id": clock.rule_id,
        "stream_id": applied.envelope.stream_id,
        "full_name": _name(person),
        "started_on": started_on,
        "due_on": due,
        "extensions_left": clock.extensions_left,
        "status": "open",
        "met_on": None,
        "late_by_working_days": 0,
    }
    rows.put(key, opened)


def _breach(rows: UnitRows, applied: Applied, event: DeadlineBreached, person: PersonState, keys: set[str]) -> str:
    """Mark the clock just met as breached; returns its key (a new row if no such clock was tracked)."""
    stream = applied.envelope.stream_id
    due, late = event.due_on.isoformat(), event.late_by_working_days
    for key in sorted(keys):
        met = rows.get(key, DeadlineRow)
        if met is not None and met["status"] == "met" and (met["rule_id"], met["due_on"]) == (event.rule_id, due):
            breached = rows.edit(key, DeadlineRow)
            breached["status"], breached["late_by_working_days"] = "breached", late
            return key
    key = f"d:{stream}:{event.rule_id}:{due}"
    row: DeadlineRow = {
        "kind": "deadline",
        "clock": event.rule_id,
        "rule_id": event.rule_id,
        "stream_id": stream,
        "full_name": _name(person),
        "started_on": None,
        "due_on": due,
        "extensions_left": 0,
        "status": "breached",
        "met_on": applied.envelope.occurred_on.isoformat(),
        "late_by_working_days": late,
    }
    rows.put(key, row)
    return key


def _rename(rows: UnitRows, keys: set[str], person: PersonState) -> None:
    full_name = _name(person)
    for key in sorted(keys):
        if (row := rows.get(key, DeadlineRow)) is not None and row["full_name"] != full_name:
            rows.edit(key, DeadlineRow)["full_name"] = full_name


def _name(person: PersonState) -> str | None:
    return person.particulars.full_name if person.particulars is not None else None


ROWS = (
    RowKind("d:<stream id>:<clock>", DeadlineRow, Personal.PERSON_ID),
    RowKind("p:<stream id>", BookRow, Personal.PERSON_ID),
)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
