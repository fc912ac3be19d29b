"""Facts from other streams that a decision needs, passed in by the caller from log-derived state (DESIGN §1).

The caller derives them as of the step's `occurred_on`: the cell's roll from the members' streams, the
competent body from `UnitTree.competent_decider`, consents from their documents. Never from a dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from domain.errors import InvalidCommand
from domain.rules.eligibility import EducationExemption
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind


@dataclass(frozen=True, kw_only=True)
class CellFacts:
    """The cell's roll on the vote date (R-VOTE-TWOTHIRDS, R-CELL-QUORUM); probationary members never vote."""

    cell_id: str
    official_member_ids: frozenset[str]
    temporarily_transferred_out_ids: frozenset[str] = frozenset()
    exempt_absent_ids: frozenset[str] = frozenset()
    is_grassroots_cell: bool = False
    sub_committee_id: str | None = None
    education_exemption: EducationExemption | None = None

    @property
    def denominator(self) -> int:
        """Every official member, present or not, but those temporarily away and the exempted absentees."""
        excluded = self.temporarily_transferred_out_ids | self.exempt_absent_ids
        return len(self.official_member_ids - excluded)


@dataclass(frozen=True, kw_only=True)
class SponsorFacts:
    """A sponsor as the log knows them on the letter's date; a union resolution has the union's unit id."""

    sponsor_id: str
    kind: SponsorKind
    is_official: bool = False
    months_co_working_same_unit: int = 0


@dataclass(frozen=True, kw_only=True)
class MemberFacts:
    """A member assigned to help a candidate (helper) or a new member (mentor): R-HELPER-OFFICIAL."""

    person_id: str
    is_official: bool


@dataclass(frozen=True, kw_only=True)
class DeciderFacts:
    """The body acting as decider or committee, as the unit tree has it on the date (R-AUTH-ADMIT)."""

    unit_id: str
    kind: UnitKind
    admission_delegated: bool = False
    committee_size: int = 0
    expulsion_delegated: bool = False


@dataclass(frozen=True, kw_only=True)
class ConsentFacts:
    """A written consent of the provincial standing committee (R-AUTH-OVER60, R-READMIT)."""

    document_ref: str
    given_on: date


@dataclass(frozen=True, kw_only=True)
class RatingFacts:
    """How the member's unit has rated others this year (R-RATING's Excellent quota)."""

    rated_good: int
    rated_excellent: int


@dataclass(frozen=True, kw_only=True)
class EntryFacts:
    """An entry a retraction names, as the log holds it (R-RETRACT): its type, the day it was recorded (in
    Vietnam), whether it is the first event of what a step appended, and whether a retraction already undid it."""

    version: int
    event_type: str
    recorded_on: date
    first_of_entry: bool = True
    retracted: bool = False


@dataclass(frozen=True, kw_only=True)
class PersonFacts:
    """The bag of facts for one command; each decision demands the ones it needs."""

    cell: CellFacts | None = None
    sponsors: tuple[SponsorFacts, ...] = ()
    member: MemberFacts | None = None
    decider: DeciderFacts | None = None
    provincial_consent: ConsentFacts | None = None
    rating: RatingFacts | None = None
    conviction_cleared_on: date | None = None
    entry: EntryFacts | None = None


NO_FACTS = PersonFacts()

T = TypeVar("T")


def require(fact: T | None, name: str) -> T:
    """A missing fact is the caller's mistake, told in both languages."""
    if fact is None:
        raise InvalidCommand(f"facts.{name}", "is required for this step", "bước này cần thông tin này")
    return fact


def require_decider(facts: PersonFacts, acting_unit_id: str) -> DeciderFacts:
    """The body's facts must describe the unit that acts, not another one."""
    decider = require(facts.decider, "decider")
    if decider.unit_id != acting_unit_id:
        raise InvalidCommand(
            "facts.decider",
            f"describes {decider.unit_id}, not the acting unit {acting_unit_id}",
            f"mô tả {decider.unit_id}, không phải đơn vị đang thực hiện {acting_unit_id}",
        )
    return decider
