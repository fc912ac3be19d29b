"""The shapes of a person's state; they refuse impossible states by construction.

One `file` at most (never two open files); a `Membership` exists only from a ceremony (never official without
one) and carries its probation end, fixed 12 months after it. Only `domain.person.state.evolve` builds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from domain.particulars import Particulars
from domain.person.stages import Stage
from domain.person.values import SponsorLetter, TransferKind, VerificationSubject
from domain.rules.authority import Penalty
from domain.rules.deadlines import Deadline
from domain.rules.ratings import Grade
from domain.rules.readmission import ReadmitBar
from domain.rules.removal import ScreeningOutcome, StrikeOffGround
from domain.rules.votes import VoteOutcome


class CorruptStreamError(ValueError):
    """An event that cannot follow the state it is applied to: the log was written around the domain."""


@dataclass(frozen=True, kw_only=True)
class CandidateFile:
    """The open admission file: its papers and the clocks running on it."""

    readmission: bool
    certificate_issued_on: date | None = None
    application_ref: str | None = None
    background_form_ref: str | None = None
    subjects: tuple[VerificationSubject, ...] = ()
    verification_opened: bool = False
    results: frozenset[str] = frozenset()
    sponsors: tuple[SponsorLetter, ...] = ()
    sponsored_on: date | None = None
    cowork_waived: bool = False
    cell_resolved_on: date | None = None
    grassroots_cell: bool = False
    sub_committee_id: str | None = None
    sub_committee_appraised: bool = False
    decision_deadline: Deadline | None = None
    decided_on: date | None = None
    decision_received_on: date | None = None
    ceremony_deadline: Deadline | None = None
    late_ceremony_consent_ref: str | None = None

    def pending_results(self) -> tuple[str, ...]:
        """Non-exempt subjects still without a result (R-VERIFY-COMPLETE)."""
        return tuple(s.key for s in self.subjects if s.exempt_reason is None and s.key not in self.results)


@dataclass(frozen=True, kw_only=True)
class PendingTransfer:
    """A transfer introduced by the home unit and not yet presented to the new one."""

    kind: TransferKind
    to_unit_id: str
    present_deadline: Deadline | None


@dataclass(frozen=True, kw_only=True)
class Membership:
    """Party life from the ceremony on; party seniority counts from `admitted_on` (the decision).

    `mentor_id` is None for a member enrolled from the roll (not recorded), `recognition_vote_deadline` None
    for one enrolled as official (no vote was ever due in the ledger).
    """

    admitted_on: date
    ceremony_on: date
    probation_ends_on: date
    mentor_id: str | None
    recognition_vote_deadline: Deadline | None
    course_completed: bool = False
    rounds: int = 0
    inconclusive_rounds: int = 0
    cell_verdict: VoteOutcome | None = None
    escalated: bool = False
    decision_deadline: Deadline | None = None
    official_from: date | None = None
    pending_transfer: PendingTransfer | None = None
    temporary_unit_id: str | None = None
    pending_violation: bool = False
    penalties: tuple[Penalty, ...] = ()
    strike_off_ground: StrikeOffGround | None = None


@dataclass(frozen=True, kw_only=True)
class Departure:
    """How and when a member left; the history R-READMIT reads."""

    stage: Stage
    left_on: date
    was_official: bool
    readmit_bar: ReadmitBar | None
    appeal_by: date | None = None
    appealed: bool = False
    appeal_resolved: bool = False
    membership: Membership | None = None


@dataclass(frozen=True, kw_only=True)
class YearRating:
    """One year's quality rating (R-RATING)."""

    year: int
    grade: Grade


@dataclass(frozen=True, kw_only=True)
class PersonState:
    """Everything decisions need about one person, derived from the person's stream only."""

    person_id: str = ""
    version: int = 0
    stage: Stage = Stage.NEW
    citizen_id: str | None = None
    particulars: Particulars | None = None
    cell_id: str | None = None
    helper_id: str | None = None
    last_step_on: date | None = None
    file: CandidateFile | None = None
    membership: Membership | None = None
    departures: tuple[Departure, ...] = ()
    readmissions: int = 0
    ratings: tuple[YearRating, ...] = ()
    screenings: tuple[tuple[int, ScreeningOutcome], ...] = ()
    stage_since: date | None = field(default=None, compare=False)
    """The paper date the person entered the current stage (the date of the entry that moved them)."""
    undo: tuple[Entry, ...] = field(default=(), compare=False, repr=False)
    """The last standing entries, oldest first, each with the state before it (R-RETRACT: what a retraction
    restores); at most `RETRACT_DEPTH`, emptied by a reorganisation's move."""
    erased: bool = False
    """R-PRIVACY-ERASE: the file's personal data was erased; nothing more is recorded on it."""
    retracted: Entry | None = field(default=None, compare=False, repr=False)
    """Set only on the state a retraction leaves: the entry it undid, for read models to take back."""

    @property
    def was_official_member(self) -> bool:
        """Left after being official: a new file is a readmission (R-READMIT)."""
        return any(d.was_official for d in self.departures)

    def not_completed_streak(self, up_to_year: int) -> int:
        """Consecutive years rated NotCompleted ending at `up_to_year` (R-SCREENING, R-STRIKEOFF-GROUNDS)."""
        grades = {r.year: r.grade for r in self.ratings}
        streak = 0
        while grades.get(up_to_year - streak) is Grade.NOT_COMPLETED:
            streak += 1
        return streak


class Entry(NamedTuple):
    """One standing entry of a file: its first stream version, the state before it (kept without its own
    `undo`, which the entry's `undo` tuple already holds), its first event with its date, and any events
    recorded with it (a deadline breach). A flat named tuple: one is made for every event replayed, and every
    object more an event cost a rebuild measurably in allocations and garbage collection."""

    version: int
    before: PersonState
    event: Any
    occurred_on: date
    attached: tuple[tuple[Any, date], ...] = ()

    @property
    def events(self) -> tuple[tuple[Any, date], ...]:
        """The entry's events with their dates, in stream order."""
        return ((self.event, self.occurred_on), *self.attached)


Applier = Callable[[PersonState, Any, date], PersonState]
"""How one event type changes the state; the appliers are called only through `state.evolve`."""
