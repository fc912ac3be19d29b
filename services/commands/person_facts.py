"""How each person step's facts are built: from the log (`log_facts`) plus what the request states.

Facts of a resolution or a document — the committee's size, the votes, the provincial consent, an area's
education exemption, members excused from a meeting — are in no stream; the request states them and the
OpenAPI description of each body says so. Everything else is derived from the log as of `occurred_on`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Final

import msgspec

from domain.person.commands import PersonCommand
from domain.person.facts import NO_FACTS, ConsentFacts, PersonFacts
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.values import RejectionLevel, SponsorLetter
from domain.rules.eligibility import EducationExemption
from domain.units.tree import UnitTree
from eventstore import EventStore

from . import log_facts

Size = Annotated[int, msgspec.Meta(ge=0, le=200, description="Members of the committee (a fact of the resolution)")]
ConsentRef = Annotated[
    str, msgspec.Meta(min_length=1, max_length=200, description="The provincial standing committee's written consent")
]
Excused = Annotated[tuple[str, ...], msgspec.Meta(description="Exempted members who did not attend (the minutes)")]
Exemption = Annotated[EducationExemption, msgspec.Meta(description="The cell's area waives the diploma (R-ELIG-EDU)")]


class FactKind(StrEnum):
    """Which facts a step needs; each kind names the request fields it adds to the body."""

    NONE = "none"
    OPEN_FILE = "open_file"
    READMISSION = "readmission"
    HELPER = "helper"
    SPONSORS = "sponsors"
    CELL_VOTE = "cell_vote"
    MEMBER_VOTE = "member_vote"
    COMMITTEE = "committee"
    COMPETENT = "competent"
    REJECTION = "rejection"
    BODY = "body"
    STRIKE_OFF = "strike_off"
    RATING = "rating"
    RETRACTION = "retraction"


@dataclass(frozen=True)
class Reads:
    """What the walls and the facts read from one step's command, declared per step with typed accessors
    (`person_steps.STEPS`), so renaming a command field fails the type checker instead of dropping a check."""

    cell_id: str = ""
    """A new file's cell (a nomination, an enrolment): the wall for a person who has no cell yet."""
    units: tuple[str, ...] = ()
    """Other units the command names that the caller must govern (a candidate's new cell)."""
    member_id: str = ""
    """The helper or mentor whose own stream the facts read (R-HELPER-OFFICIAL)."""
    sponsors: tuple[SponsorLetter, ...] = ()
    level: RejectionLevel | None = None
    year: int | None = None
    entry_version: int | None = None
    """The entry a retraction names (R-RETRACT), read from the log with its recording unit's wall."""
    destination: str = ""
    """Where a member's activity is transferred (R-TRANSFER): any unit of the province that keeps a roll today,
    within the caller's walls or not — but a unit, never a code or a name typed instead of one."""


NO_READS: Final = Reads()


@dataclass(frozen=True)
class StatedFacts:
    """Facts of a resolution or a document, in no stream: the request states them (see `STATED_FIELDS`)."""

    provincial_consent_ref: str | None = None
    provincial_consent_on: date | None = None
    conviction_cleared_on: date | None = None
    education_exemption: EducationExemption | None = None
    exempt_absent_ids: tuple[str, ...] = ()
    committee_size: int = 0
    expulsion_delegated: bool = False


NOTHING_STATED: Final = StatedFacts()


@dataclass(frozen=True)
class FactContext:
    """What a builder reads: the log, the tree, the person as decided on, the command, what it reads, what
    the request states."""

    store: EventStore
    tree: UnitTree
    state: PersonState
    command: PersonCommand
    reads: Reads
    stated: StatedFacts

    @property
    def on(self) -> date:
        return self.command.occurred_on


Field = tuple[str, Any, Any]
CONSENT: Final[list[Field]] = [
    ("provincial_consent_ref", ConsentRef | None, None),
    ("provincial_consent_on", date | None, None),
]
READMIT: Final[list[Field]] = [*CONSENT, ("conviction_cleared_on", date | None, None)]
SIZE: Final[list[Field]] = [("committee_size", Size, 0)]
EXCUSED: Final[list[Field]] = [("exempt_absent_ids", Excused, ())]

STATED_FIELDS: Final[dict[FactKind, list[Field]]] = {
    FactKind.OPEN_FILE: READMIT,
    FactKind.READMISSION: READMIT,
    FactKind.CELL_VOTE: [*CONSENT, ("education_exemption", Exemption | None, None), *EXCUSED],
    FactKind.MEMBER_VOTE: EXCUSED,
    FactKind.COMMITTEE: SIZE,
    FactKind.COMPETENT: [*SIZE, *READMIT],
    FactKind.REJECTION: SIZE,
    FactKind.BODY: [*SIZE, ("expulsion_delegated", bool, False)],
    FactKind.STRIKE_OFF: SIZE,
}
"""The request fields each kind adds to the command's own fields."""


def _consent(ctx: FactContext) -> ConsentFacts | None:
    ref, given_on = ctx.stated.provincial_consent_ref, ctx.stated.provincial_consent_on
    return ConsentFacts(document_ref=ref, given_on=given_on) if ref and given_on else None


def _readmission(ctx: FactContext) -> PersonFacts:
    """R-READMIT, R-AUTH-OVER60: the consent and a cleared conviction are documents the request states."""
    return PersonFacts(provincial_consent=_consent(ctx), conviction_cleared_on=ctx.stated.conviction_cleared_on)


def _helper(ctx: FactContext) -> PersonFacts:
    """R-HELPER-OFFICIAL: the helper (nomination, transfer) or mentor (ceremony) from their own stream."""
    return PersonFacts(member=log_facts.member_facts(ctx.store, ctx.reads.member_id, ctx.on))


def _open_file(ctx: FactContext) -> PersonFacts:
    return replace(_readmission(ctx), member=_helper(ctx).member)


def _sponsors(ctx: FactContext) -> PersonFacts:
    """R-SPONSORS, R-SPONSOR-COWORK: the letters' sponsors as the log knows them on the letters' date."""
    candidate = log_facts.person_as_of(ctx.store, ctx.state.person_id, ctx.on)
    return PersonFacts(sponsors=log_facts.sponsor_facts(ctx.store, ctx.reads.sponsors, candidate, ctx.on))


def _member_vote(ctx: FactContext) -> PersonFacts:
    """R-VOTE-TWOTHIRDS: the cell's roll on the vote date; excused absentees are a fact of the meeting."""
    cell = log_facts.cell_roll(ctx.store, ctx.tree, ctx.state.cell_id or "", ctx.on, ctx.stated.education_exemption)
    excused = frozenset(ctx.stated.exempt_absent_ids)
    return PersonFacts(cell=replace(cell, exempt_absent_ids=excused))


def _cell_vote(ctx: FactContext) -> PersonFacts:
    """§2.6: the roll, the file's sponsors re-read on the vote date, and a consent for a candidate over 60."""
    letters = ctx.state.file.sponsors if ctx.state.file else ()
    candidate = log_facts.person_as_of(ctx.store, ctx.state.person_id, ctx.on)
    sponsors = log_facts.sponsor_facts(ctx.store, letters, candidate, ctx.on)
    return replace(_member_vote(ctx), sponsors=sponsors, provincial_consent=_consent(ctx))


def _committee(ctx: FactContext) -> PersonFacts:
    """§2.7: the grassroots committee over the cell, with the size the resolution states."""
    body = log_facts.grassroots_committee(ctx.tree, ctx.state.cell_id or "", ctx.on, ctx.stated.committee_size)
    return PersonFacts(decider=body)


def _competent(ctx: FactContext) -> PersonFacts:
    """R-AUTH-ADMIT: the competent body for the person's cell on the date, from the unit tree."""
    body = log_facts.competent_body(ctx.tree, ctx.state.cell_id or "", ctx.on, ctx.stated.committee_size)
    return replace(_readmission(ctx), decider=body)


def _rejection(ctx: FactContext) -> PersonFacts:
    """Only the decider's rejection needs the competent body (R-AUTH-ADMIT)."""
    return _competent(ctx) if ctx.reads.level is RejectionLevel.DECIDER else NO_FACTS


def _acting_body(ctx: FactContext) -> PersonFacts:
    """R-AUTH-DISCIPLINE, R-AUTH-STRIKEOFF: the acting unit as the tree has it; delegation is stated."""
    unit_id = ctx.command.acting_unit_id
    size, delegated = ctx.stated.committee_size, ctx.stated.expulsion_delegated
    body = log_facts.body_facts(ctx.tree, unit_id, ctx.on, size, delegated)
    return PersonFacts(decider=body)


def _strike_off(ctx: FactContext) -> PersonFacts:
    """A probationary member's strike-off is R-AUTH-ADMIT's; an official member's, the acting body's."""
    return _competent(ctx) if ctx.state.stage is Stage.PROBATIONARY else _acting_body(ctx)


def _rating(ctx: FactContext) -> PersonFacts:
    """R-RATING: this year's Good and Excellent counts in the person's cell, from its rating events."""
    year = ctx.reads.year or ctx.on.year
    counts = log_facts.rating_counts(ctx.store, ctx.state.cell_id or "", year, ctx.on, ctx.state.person_id)
    return PersonFacts(rating=counts)


def _retraction(ctx: FactContext) -> PersonFacts:
    """R-RETRACT: the entry named, as the log holds it; its recording unit is a wall for the caller."""
    version = ctx.reads.entry_version or 0
    entry = log_facts.entry_facts(ctx.store, ctx.tree, ctx.state.person_id, version, ctx.command.acting_unit_id)
    return PersonFacts(entry=entry)


BUILDERS: Final[dict[FactKind, Callable[[FactContext], PersonFacts]]] = {
    FactKind.NONE: lambda ctx: NO_FACTS,
    FactKind.OPEN_FILE: _open_file,
    FactKind.READMISSION: _readmission,
    FactKind.HELPER: _helper,
    FactKind.SPONSORS: _sponsors,
    FactKind.CELL_VOTE: _cell_vote,
    FactKind.MEMBER_VOTE: _member_vote,
    FactKind.COMMITTEE: _committee,
    FactKind.COMPETENT: _competent,
    FactKind.REJECTION: _rejection,
    FactKind.BODY: _acting_body,
    FactKind.STRIKE_OFF: _strike_off,
    FactKind.RATING: _rating,
    FactKind.RETRACTION: _retraction,
}


def stated_in(body: Any, kind: FactKind) -> StatedFacts:
    """The stated facts a step's request body carries (its fields named in `STATED_FIELDS`)."""
    fields = STATED_FIELDS.get(kind)
    if not fields:
        return NOTHING_STATED
    return StatedFacts(**{name: getattr(body, name) for name, _, _ in fields})


def build_facts(kind: FactKind, ctx: FactContext) -> PersonFacts:
    """The facts of one step, as of its `occurred_on`."""
    return BUILDERS[kind](ctx)
