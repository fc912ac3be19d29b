"""The admission files of a unit, open or closed, for the files list by stage (DOMAIN.md §2, §5).

Rows: `f:<stream id>` → `FileRow`, one per person whose file the unit holds or closed.

An open file is the unit's while its cell is this unit: a candidate transferred away takes the open file and
its row with them, and the new unit's row starts with `stage_since` and `opened_on` unknown (None), those
steps having been taken elsewhere. A closed file stays with the unit that closed it, showing its outcome
(Probationary after the ceremony, Rejected, Withdrawn, Annulled). The row of an admitted member then follows
their stage while they stay in this unit: recognised official, struck off, expelled, left, an expulsion
overturned on appeal, an annulled admission — so the files list's filters by those stages find them
(`stage_since` is the date of the paper that changed it). A member who moves to another unit keeps the stage
they had here; their later steps are the new unit's member roll. A new file for the same person
(readmission) replaces the row. No citizen id is ever stored (privacy).
"""

from __future__ import annotations

from typing import Annotated, TypedDict

from domain.person.events import (
    AdmissionCeremonyHeld,
    AdmissionDecided,
    AdmissionDecisionReceived,
    ApplicationSubmitted,
    AwarenessTrainingCertified,
    BackgroundFormSubmitted,
    CandidateNominated,
    CandidateRejected,
    CandidateTransferred,
    CandidateWithdrawn,
    CellApproved,
    CommitteeApproved,
    DeadlineBreached,
    DecisionDeadlineExtended,
    DossierReturned,
    EntryRetracted,
    LateCeremonyConsented,
    MovedByReorganisation,
    ParticularsUpdated,
    SponsorsRecorded,
    SubCommitteeAppraised,
    VerificationCertified,
    VerificationOpened,
    VerificationResultRecorded,
)
from domain.person.member_events import (
    AdmissionAnnulled,
    ExpulsionAppealResolved,
    MemberDisciplined,
    MemberStruckOff,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    VoluntaryExitGranted,
)
from domain.person.records import PersonState
from domain.person.stages import DEPARTED, MEMBER_STAGES, Stage
from domain.privacy import NotPersonal, Personal, Sensitive, Subject

from .base import Applied, event_names
from .person_view import MOVES, Identity, file_clock, identity
from .row_kinds import RowKind
from .rows import UnitRows

name = "files"
version = 2
event_types: frozenset[str] | None = event_names(
    CandidateNominated,
    AwarenessTrainingCertified,
    ApplicationSubmitted,
    BackgroundFormSubmitted,
    VerificationOpened,
    VerificationResultRecorded,
    VerificationCertified,
    SponsorsRecorded,
    CellApproved,
    SubCommitteeAppraised,
    CommitteeApproved,
    DecisionDeadlineExtended,
    AdmissionDecided,
    AdmissionDecisionReceived,
    CandidateRejected,
    DossierReturned,
    CandidateWithdrawn,
    CandidateTransferred,
    MovedByReorganisation,
    LateCeremonyConsented,
    AdmissionCeremonyHeld,
    DeadlineBreached,
    ParticularsUpdated,
    AdmissionAnnulled,
    OfficialRecognised,
    ProbationaryMemberStruckOff,
    MemberStruckOff,
    MemberDisciplined,
    ExpulsionAppealResolved,
    VoluntaryExitGranted,
    EntryRetracted,
)

FOLLOWED: frozenset[str] = frozenset(str(stage) for stage in MEMBER_STAGES | DEPARTED)
"""The stages of an admitted member a closed file's row follows (DOMAIN.md §2.9–2.11, §3–§4)."""


class PendingDeadline(TypedDict):
    """The one deadline an open file waits on (`person_view.file_clock`); `due_on` is ISO."""

    rule_id: Annotated[str, NotPersonal.PROCEDURE]
    due_on: Annotated[str, NotPersonal.PROCEDURE]


class FileRow(Identity):
    """A file: dates are ISO text, `stage_since` and `opened_on` None when those steps happened elsewhere;
    `position` is the log position of the file's latest event here."""

    stream_id: Annotated[str, Personal.PERSON_ID]
    stage: Annotated[str, Sensitive.PARTY_STANDING]
    stage_label_vi: Annotated[str, Sensitive.PARTY_STANDING]
    stage_since: Annotated[str | None, NotPersonal.PROCEDURE]
    cell_id: Annotated[str | None, NotPersonal.UNIT]
    helper_id: Annotated[str | None, Personal.PERSON_ID.of(Subject.HELPER)]
    opened_on: Annotated[str | None, NotPersonal.PROCEDURE]
    last_step_on: Annotated[str | None, NotPersonal.PROCEDURE]
    position: Annotated[int, NotPersonal.PROCEDURE]
    open: Annotated[bool, Sensitive.PARTY_STANDING]
    readmission: Annotated[bool, Sensitive.PARTY_STANDING]
    pending_deadline: PendingDeadline | None


def apply(rows: UnitRows, applied: Applied) -> None:
    person = applied.person
    if person is None:
        return
    key = f"f:{applied.envelope.stream_id}"
    row = rows.get(key, FileRow)
    if person.cell_id is None or person.cell_id != applied.partition:
        if row is not None and row["open"]:
            rows.delete(key)  # the open file moved to another unit with the candidate
        return
    event = applied.event
    if row is not None and row["open"] and person.file is not None and not isinstance(event, ParticularsUpdated):
        _step(row, person, applied)
        rows.put(key, row)
    elif person.file is not None or (
        row is not None and (row["open"] or isinstance(event, AdmissionAnnulled | EntryRetracted))
    ):
        rows.put(key, _row(person, applied, row))
    elif row is not None and row["stage"] in FOLLOWED and str(person.stage) in FOLLOWED:
        _follow(row, person.stage, applied)
        rows.put(key, row)


def _follow(row: FileRow, stage: Stage, applied: Applied) -> None:
    """A member's stage after the ceremony (recognition, exit, an overturned expulsion) on their file's row."""
    if row["stage"] != str(stage):
        row["stage"], row["stage_label_vi"] = str(stage), stage.label_vi
        row["stage_since"] = applied.envelope.occurred_on.isoformat()
    row["last_step_on"] = person_last_step(applied)
    row["position"] = applied.envelope.position


def person_last_step(applied: Applied) -> str | None:
    on = applied.person.last_step_on if applied.person is not None else None
    return on.isoformat() if on else applied.envelope.occurred_on.isoformat()


def _step(row: FileRow, person: PersonState, applied: Applied) -> None:
    """A step of an open file: only what a step can change (the common case, kept cheap for rebuilds)."""
    stage = str(person.stage)
    if row["stage"] != stage:
        row["stage"], row["stage_label_vi"] = stage, person.stage.label_vi
        row["stage_since"] = _since(person, applied)
    row["helper_id"] = person.helper_id
    row["last_step_on"] = person.last_step_on.isoformat() if person.last_step_on else None
    row["position"] = applied.envelope.position
    row["pending_deadline"] = _pending(person)


def _pending(person: PersonState) -> PendingDeadline | None:
    clock = file_clock(person)
    return None if clock is None else {"rule_id": clock.rule_id, "due_on": clock.due_on.isoformat()}


def _since(person: PersonState, applied: Applied) -> str:
    """The day the person entered the stage: the step's date, or after a retraction (R-RETRACT) the date of
    the entry that had brought them to the stage they are back in."""
    since = person.stage_since if isinstance(applied.event, EntryRetracted) else None
    return (since or applied.envelope.occurred_on).isoformat()


def _row(person: PersonState, applied: Applied, before: FileRow | None) -> FileRow:
    envelope = applied.envelope
    stage, on = person.stage, envelope.occurred_on.isoformat()
    if isinstance(applied.event, EntryRetracted):
        since: str | None = _since(person, applied)
        opened_on = before["opened_on"] if before is not None else None
    elif before is None or (not before["open"] and person.file is not None):
        since = None if envelope.event_type in MOVES else on
        opened_on = since
    else:
        since = on if before["stage"] != str(stage) else before["stage_since"]
        opened_on = before["opened_on"]
    readmission = person.file.readmission if person.file is not None else bool(before and before["readmission"])
    return {
        "stream_id": envelope.stream_id,
        **identity(person),
        "stage": str(stage),
        "stage_label_vi": stage.label_vi,
        "stage_since": since,
        "cell_id": person.cell_id,
        "helper_id": person.helper_id,
        "opened_on": opened_on,
        "last_step_on": person.last_step_on.isoformat() if person.last_step_on else None,
        "position": envelope.position,
        "open": person.file is not None,
        "readmission": readmission,
        "pending_deadline": _pending(person),
    }


ROWS = (RowKind("f:<stream id>", FileRow, Personal.PERSON_ID),)
"""The rows this read model stores, with their privacy classes (`projections/row_kinds.py`)."""
