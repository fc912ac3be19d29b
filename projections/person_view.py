"""What the person-level read models see of a person: whose rows they are, who they are, which clocks run.

Every answer is read off the domain's own `PersonState` (the state right after the event), never re-derived.

A person belongs to the partition of `person.cell_id`, the unit holding their file or membership. An event
that moves a person (a candidate's transfer, an official transfer presented) reaches both the old and the new
unit's partitions: the old one finds the person no longer its own and removes their rows, the new one adds
them (an enrolment from the roll simply arrives). A member on a *temporary* transfer stays the home unit's
(R-TRANSFER: kept on the home roll, only out of its vote denominator), so `membership.temporary_unit_id`
never moves rows, even when the host unit's partition sees the event. A unit merged away keeps its rows
under its own id for its history; its open files and members move to the successor by a person event
(`MovedByReorganisation`, R-UNIT-REORG); roll-ups read the ceased unit through `queries.subtree_units`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Annotated, Final, Literal, TypedDict

import msgspec

from domain.person.events import CandidateTransferred, EntryRetracted, FileHandedOver, MovedByReorganisation
from domain.person.member_events import (
    AdmissionAnnulled,
    MemberDisciplined,
    MemberEnrolled,
    MemberStruckOff,
    MemberTransferPresented,
    ProbationaryMemberStruckOff,
    VoluntaryExitGranted,
)
from domain.person.records import PersonState
from domain.person.stages import BEFORE_VOTE, Stage
from domain.privacy import Personal, Sensitive
from domain.rules.authority import Penalty
from domain.rules.periods import add_months
from domain.rules.registry import rules_in_force

from .base import Applied, event_names

MOVES: Final = event_names(
    CandidateTransferred, MemberTransferPresented, MemberEnrolled, MovedByReorganisation, FileHandedOver
)
"""Event types that can bring a person into a partition (their earlier steps, if any, happened elsewhere)."""

DECIDE: Final = "R-DECIDE-DEADLINE"
CEREMONY: Final = "R-CEREMONY-DEADLINE"
RECOGNISE_VOTE: Final = "R-RECOGNISE-DEADLINE:vote"
RECOGNISE_DECISION: Final = "R-RECOGNISE-DEADLINE:decision"
TRANSFER_PRESENT: Final = "R-TRANSFER:present"
TRAIN_VALID: Final = "R-TRAIN-VALID"
PAPERS_STALE: Final = "R-PAPERS-STALE"

EXITS: Final[dict[str, str]] = {
    MemberStruckOff.event_type: "struck_off",
    ProbationaryMemberStruckOff.event_type: "probationary_struck_off",
    VoluntaryExitGranted.event_type: "voluntary_exit",
    AdmissionAnnulled.event_type: "annulled",
}
"""Leaving the party by type (an annulled admission undoes one counted among admissions); an expulsion is a
`MemberDisciplined` with the penalty of expulsion, see `exit_type`."""


def own(applied: Applied) -> PersonState | None:
    """The person, if the partition being built holds their file or membership; else None."""
    person: PersonState | None = applied.person
    if person is not None and person.cell_id is not None and person.cell_id == applied.partition:
        return person
    return None


def exit_type(applied: Applied) -> str | None:
    """How the event takes the person out of the party, if it does (DOMAIN.md §3–§4)."""
    event = applied.event
    if isinstance(event, MemberDisciplined):
        return "expelled" if event.penalty is Penalty.EXPULSION else None
    return EXITS.get(applied.envelope.event_type)


def undone(applied: Applied) -> list[Applied]:
    """For a retraction (R-RETRACT), the retracted entry's events as read models were handed them — their type
    and paper date, the person as the retraction leaves them — so each read model takes back what it counted
    (the domain kept them: `PersonState.retracted`); for any other event, none."""
    if not isinstance(applied.event, EntryRetracted) or applied.person is None or applied.person.retracted is None:
        return []
    envelope = applied.envelope
    return [
        Applied(
            msgspec.structs.replace(envelope, event_type=event.event_type, occurred_on=on),
            event,
            applied.person,
            applied.partition,
        )
        for event, on in applied.person.retracted.events
    ]


MemberStatus = Literal["probationary", "official"]
"""A member's stage as the member rows and counts name it."""


class Identity(TypedDict):
    """Who a person row is about, the same keys on a file and a member row; never the citizen id (privacy)."""

    full_name: Annotated[str | None, Personal.NAME]
    sex: Annotated[str | None, Personal.SEX]
    date_of_birth: Annotated[str | None, Personal.BIRTH_DATE]
    ethnicity: Annotated[str | None, Sensitive.ETHNICITY]


def identity(person: PersonState) -> Identity:
    """Name (NFC, as the domain stores it), sex, birth date and ethnicity; never the citizen id (privacy)."""
    p = person.particulars
    if p is None:
        return {"full_name": None, "sex": None, "date_of_birth": None, "ethnicity": None}
    return {
        "full_name": p.full_name,
        "sex": p.sex.value,
        "date_of_birth": p.date_of_birth.isoformat(),
        "ethnicity": p.ethnicity.value,
    }


@dataclass(frozen=True, slots=True)
class Clock:
    """A running clock (a deadline or a paper's validity): `name` keys its row, `counts_from` its start."""

    name: str
    rule_id: str
    due_on: date
    counts_from: date | None
    extensions_left: int = 0
    stale_paper: bool = False


def open_clocks(person: PersonState, on: date) -> list[Clock]:
    """The deadlines running on the person after an event dated `on`, in a fixed order."""
    clocks = _file_clocks(person) + _member_clocks(person)
    return clocks + _stale_papers(person, on) if person.stage in BEFORE_VOTE else clocks


def file_clock(person: PersonState) -> Clock | None:
    """The one deadline an open file waits on, if any (R-DECIDE-DEADLINE or R-CEREMONY-DEADLINE)."""
    clocks = _file_clocks(person)
    return clocks[0] if clocks else None


def _file_clocks(person: PersonState) -> list[Clock]:
    file = person.file
    if file is None:
        return []
    if person.stage in (Stage.CELL_APPROVED, Stage.COMMITTEE_APPROVED) and file.decision_deadline is not None:
        d = file.decision_deadline
        return [Clock(DECIDE, d.rule_id, d.due_on, file.cell_resolved_on, d.extensions_left)]
    if person.stage is Stage.ADMITTED and file.ceremony_deadline is not None:
        d = file.ceremony_deadline
        return [Clock(CEREMONY, d.rule_id, d.due_on, file.decision_received_on or file.decided_on)]
    return []


def _member_clocks(person: PersonState) -> list[Clock]:
    m = person.membership
    if m is None:
        return []
    clocks = []
    vote = m.recognition_vote_deadline
    if person.stage is Stage.PROBATIONARY and m.rounds == 0 and vote is not None:
        clocks.append(Clock(RECOGNISE_VOTE, vote.rule_id, vote.due_on, m.probation_ends_on))
    if person.stage is Stage.PROBATIONARY and m.decision_deadline is not None:
        decision = m.decision_deadline
        clocks.append(Clock(RECOGNISE_DECISION, decision.rule_id, decision.due_on, None, decision.extensions_left))
    pending = m.pending_transfer
    if pending is not None and pending.present_deadline is not None:
        present = pending.present_deadline
        clocks.append(Clock(TRANSFER_PRESENT, present.rule_id, present.due_on, None))
    return clocks


_rules_on = lru_cache(maxsize=8192)(rules_in_force)
"""The rule set in force on a date, looked up once per date during a rebuild."""


def _stale_papers(person: PersonState, on: date) -> list[Clock]:
    """Papers that must still be valid at the cell's vote: the certificate (60 months, R-TRAIN-VALID) and
    the sponsors' letters (12 months, R-PAPERS-STALE [S]); `due_on` is the last day they are valid."""
    file = person.file
    if file is None:
        return []
    rules = _rules_on(on)
    papers = []
    if file.certificate_issued_on is not None:
        issued = file.certificate_issued_on
        papers.append(
            Clock(TRAIN_VALID, TRAIN_VALID, add_months(issued, rules.train_validity_months), issued, stale_paper=True)
        )
    if file.sponsored_on is not None and rules.stale_papers_enforced:
        signed = file.sponsored_on
        papers.append(
            Clock(PAPERS_STALE, PAPERS_STALE, add_months(signed, rules.stale_papers_months), signed, stale_paper=True)
        )
    return papers
