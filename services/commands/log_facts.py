"""Facts from other streams that a person command needs, derived from the log as of its `occurred_on` (DESIGN §1).

Never from a dashboard: every fact is a replay of the persons' own streams (the same `evolve` commands use),
the unit tree from its stream, or a document the request states. The rules:

- A person "as of" a date is their stream's events in stream order up to the first one dated after it.
- The cell's roll (R-VOTE-TWOTHIRDS, R-CELL-QUORUM) is every person whose stream ever touched the cell's
  partition and who, on the date, is an official member placed in that cell; those on a temporary transfer
  elsewhere are named so the denominator leaves them out. Probationary members are not on it.
- A person joined their current cell on the date of the last event that changed their cell (nomination,
  enrolment from the roll, a candidate's transfer, a presented official transfer) — not a reorganisation,
  which moves a cell's people together (R-UNIT-REORG). The log knows nothing
  earlier, so an enrolled member co-works from the enrolment's date, not from any earlier paper.
- Months co-working (R-SPONSOR-COWORK) are whole months from the later of the two joining dates to the
  letter's date, and 0 when the sponsor is not in the candidate's cell on that date.
- A union resolution (Youth Union, trade union) is a document, not a stream: it is described as given.
- A retracted entry (R-RETRACT) never happened as far as any fact is concerned: it and its retraction are
  left out of every replay here, whatever the retraction's own date (`standing`).
- Rating counts (R-RATING) are the distinct members of the unit rated Good / Excellent for the year in
  events dated on or before the step, the person being rated left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from domain.codec import EVENTS
from domain.errors import InvalidCommand
from domain.person.events import EntryRetracted, MovedByReorganisation
from domain.person.facts import CellFacts, DeciderFacts, EntryFacts, MemberFacts, RatingFacts, SponsorFacts
from domain.person.member_events import MemberRated
from domain.person.records import PersonState
from domain.person.stages import Stage
from domain.person.state import evolve, initial_state
from domain.person.values import SponsorLetter
from domain.rules.eligibility import EducationExemption
from domain.rules.ratings import Grade
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore, InvalidAppend, RecordedEvent
from projections.person_states import PERSON_STREAM_PREFIX

from .walls import VIETNAM, WallDenied, today

PAGE = 1000


@dataclass(frozen=True)
class Placement:
    """A person as the log knew them on a date, and since when they were in their current cell."""

    state: PersonState
    joined_on: date | None

    @property
    def is_official(self) -> bool:
        return self.state.stage is Stage.OFFICIAL


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (0 if `end` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(0, months)


def retracted_in(records: Iterable[RecordedEvent]) -> frozenset[tuple[str, int]]:
    """(stream, version) of every event a retraction among `records` undid, and of the retractions (R-RETRACT)."""
    gone: set[tuple[str, int]] = set()
    for record in records:
        if record.event_type == EntryRetracted.event_type:
            event = EVENTS.decode(record.event_type, record.schema_version, record.data)
            assert isinstance(event, EntryRetracted)
            gone.add((record.stream_id, record.stream_version))
            undone = range(event.entry_version, event.entry_version + event.entry_events)
            gone.update((record.stream_id, v) for v in undone)
    return frozenset(gone)


def standing(records: list[RecordedEvent]) -> list[RecordedEvent]:
    """The records that still count as facts: without retracted entries and their retractions (R-RETRACT)."""
    gone = retracted_in(records)
    return [r for r in records if (r.stream_id, r.stream_version) not in gone] if gone else records


def entry_facts(store: EventStore, tree: UnitTree, person_id: str, version: int, caller_unit: str) -> EntryFacts:
    """R-RETRACT: the entry at `version` of the person's stream as the log holds it. Its recording unit must be
    the caller's or below it today (I8: the unit that recorded it or a committee above), else a wall."""
    records = _stream(store, person_id)
    if not 1 <= version <= len(records):
        raise InvalidCommand("entry_version", "names no entry of this file", "không có mục này trong hồ sơ")
    record = records[version - 1]
    recorded_by = str(record.metadata.get("acting_unit") or "")
    if not _governs(tree, caller_unit, recorded_by):
        raise WallDenied(f"{recorded_by[:80]} (which recorded the entry) is not within {caller_unit}")
    earlier = records[version - 2] if version > 1 else None
    first = earlier is None or earlier.metadata.get("correlation_id") != record.metadata.get("correlation_id")
    return EntryFacts(
        version=version,
        event_type=record.event_type,
        recorded_on=record.recorded_at.astimezone(VIETNAM).date(),
        first_of_entry=first,
        retracted=(person_id, version) in retracted_in(records[version:]),
    )


def _governs(tree: UnitTree, caller_unit: str, unit_id: str) -> bool:
    """The caller's subtree holds the unit today, or the unit its files went to if it has ceased."""
    now = today()
    try:
        holder = tree.successor_of(unit_id, now)
    except ValueError:
        holder = unit_id
    return bool(unit_id) and tree.state_on(holder, now) is not None and tree.is_within(holder, caller_unit, now)


def person_as_of(store: EventStore, person_id: str, on: date) -> Placement:
    """Replay the stream's prefix dated on or before `on`, noting when the person last changed cell."""
    state, joined = initial_state(person_id), None
    for record in standing(_stream(store, person_id)):
        if record.occurred_on > on:
            break
        event = EVENTS.decode(record.event_type, record.schema_version, record.data)
        after = evolve(state, event, record.occurred_on)
        if after.cell_id != state.cell_id and not isinstance(event, MovedByReorganisation):
            joined = record.occurred_on  # a reorganisation moves colleagues together: it parts no one
        state = after
    return Placement(state, joined)


def _stream(store: EventStore, person_id: str) -> list[RecordedEvent]:
    """A person's stream; an id the log could not hold (empty, malformed) names no one: no events, so the
    command's own check names the field (domain.paper.check_paper_and_ids) or the rule finds no such member."""
    try:
        return store.read_stream(person_id)
    except InvalidAppend:
        return []


def unit_events(store: EventStore, unit_id: str) -> Iterator[RecordedEvent]:
    """Every committed event of the unit's partition (its own and those moving into it), page by page.

    Not `read_unit`: that stops at the horizon, so while a worker's transaction is open a member enrolled a
    moment ago would be missing from the cell's roll (seen in CI as a vote refused for too few voters)."""
    after = 0
    while True:
        events = store.unit_history(unit_id, after_position=after, limit=PAGE)
        yield from events
        if len(events) < PAGE:
            return
        after = events[-1].position


def persons_of_unit(store: EventStore, unit_id: str) -> list[str]:
    """The person streams that ever appeared in the unit's partition, in order of first appearance."""
    streams = (e.stream_id for e in unit_events(store, unit_id))
    return list(dict.fromkeys(s for s in streams if s.startswith(PERSON_STREAM_PREFIX)))


def placements_in(store: EventStore, cell_id: str, on: date) -> list[Placement]:
    """The persons placed in the cell on the date (any stage)."""
    found = (person_as_of(store, person_id, on) for person_id in persons_of_unit(store, cell_id))
    return [p for p in found if p.state.cell_id == cell_id]


def sub_committee_over(tree: UnitTree, cell_id: str, on: date) -> str | None:
    """The sub-committee directly above the cell, if there is one (§2.7 appraisal)."""
    cell = tree.state_on(cell_id, on)
    parent = tree.state_on(cell.parent_id, on) if cell and cell.parent_id else None
    return parent.unit_id if parent and parent.kind is UnitKind.SUB_COMMITTEE else None


def cell_roll(
    store: EventStore,
    tree: UnitTree,
    cell_id: str,
    on: date,
    education_exemption: EducationExemption | None = None,
) -> CellFacts:
    """R-VOTE-TWOTHIRDS, R-CELL-QUORUM: official members on the date; temporary transfers out named apart."""
    officials = [p for p in placements_in(store, cell_id, on) if p.is_official]
    away = [p.state.person_id for p in officials if p.state.membership and p.state.membership.temporary_unit_id]
    cell = tree.state_on(cell_id, on)
    return CellFacts(
        cell_id=cell_id,
        official_member_ids=frozenset(p.state.person_id for p in officials),
        temporarily_transferred_out_ids=frozenset(away),
        is_grassroots_cell=cell is not None and cell.kind is UnitKind.GRASSROOTS_CELL,
        sub_committee_id=sub_committee_over(tree, cell_id, on),
        education_exemption=education_exemption,
    )


def member_facts(store: EventStore, member_id: str, on: date) -> MemberFacts:
    """A helper or mentor (R-HELPER-OFFICIAL): official on the date, from their own stream."""
    return MemberFacts(person_id=member_id, is_official=person_as_of(store, member_id, on).is_official)


def sponsor_facts(
    store: EventStore, letters: Iterable[SponsorLetter], candidate: Placement, on: date
) -> tuple[SponsorFacts, ...]:
    """Each letter's sponsor as the log knows them on `on` (R-SPONSORS, R-SPONSOR-COWORK)."""
    return tuple(_one_sponsor(store, letter, candidate, on) for letter in letters)


def _one_sponsor(store: EventStore, letter: SponsorLetter, candidate: Placement, on: date) -> SponsorFacts:
    if letter.kind is not SponsorKind.MEMBER:
        return SponsorFacts(sponsor_id=letter.sponsor_id, kind=letter.kind)
    sponsor = person_as_of(store, letter.sponsor_id, on)
    return SponsorFacts(
        sponsor_id=letter.sponsor_id,
        kind=letter.kind,
        is_official=sponsor.is_official,
        months_co_working_same_unit=co_working_months(sponsor, candidate, on),
    )


def co_working_months(sponsor: Placement, candidate: Placement, on: date) -> int:
    """Whole months both have been in the same cell, by the log's joining dates; 0 if not in the same cell."""
    same_cell = sponsor.state.cell_id is not None and sponsor.state.cell_id == candidate.state.cell_id
    if not same_cell or sponsor.joined_on is None or candidate.joined_on is None:
        return 0
    return months_between(max(sponsor.joined_on, candidate.joined_on), on)


def body_facts(
    tree: UnitTree, unit_id: str, on: date, committee_size: int = 0, expulsion_delegated: bool = False
) -> DeciderFacts:
    """A body as the tree has it on the date; its committee's size is a fact of the resolution, not a stream."""
    unit = tree.state_on(unit_id, on)
    if unit is None:  # a paper dated before the body existed (found by the security probes: was a 500)
        raise InvalidCommand(
            "occurred_on",
            f"the acting unit {unit_id} did not exist on {on.isoformat()}",
            f"tổ chức {unit_id} chưa tồn tại vào ngày {on.strftime('%d/%m/%Y')}",
        )
    return DeciderFacts(
        unit_id=unit.unit_id,
        kind=unit.kind,
        admission_delegated=unit.admission_delegated,
        committee_size=committee_size,
        expulsion_delegated=expulsion_delegated,
    )


def competent_body(tree: UnitTree, cell_id: str, on: date, committee_size: int = 0) -> DeciderFacts:
    """R-AUTH-ADMIT: who decides admissions, recognitions and probationary strike-offs for the cell."""
    decider = tree.competent_decider(cell_id, on)
    return body_facts(tree, decider.unit_id, on, committee_size)


def grassroots_committee(tree: UnitTree, cell_id: str, on: date, committee_size: int = 0) -> DeciderFacts | None:
    """§2.7: the grassroots committee over the cell that resolves before the decider; None if there is none."""
    chain = (*tree.ancestors(cell_id, on), tree.state_on(cell_id, on))
    committee = next((u for u in reversed(chain) if u is not None and u.kind.is_grassroots), None)
    return body_facts(tree, committee.unit_id, on, committee_size) if committee else None


def rating_counts(store: EventStore, unit_id: str, year: int, on: date, person_id: str) -> RatingFacts:
    """R-RATING: distinct members of the unit rated Good / Excellent for `year`, dated on or before `on`."""
    grades: dict[str, Grade] = {}
    records = list(unit_events(store, unit_id))
    for record in standing(records):
        if record.event_type != MemberRated.event_type or record.occurred_on > on or record.stream_id == person_id:
            continue
        event = EVENTS.decode(record.event_type, record.schema_version, record.data)
        if isinstance(event, MemberRated) and event.year == year:
            grades[record.stream_id] = event.grade
    values = list(grades.values())
    return RatingFacts(rated_good=values.count(Grade.GOOD), rated_excellent=values.count(Grade.EXCELLENT))
