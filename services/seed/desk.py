"""The generator's desk: the people it created and their states, the cells' rolls, the unit tree, and the pen.

Every person command goes through `domain.person.handlers.handle` and is appended with the version it was
decided on, in the same envelopes `services.commands.person_log` makes; every unit command through
`services.commands.units.handle_unit_command`. The states kept here are exactly the log-derived ones (same `evolve`),
so facts read from them are the facts an officer's command would be given.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from random import Random

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.errors import DomainError, RuleViolation
from domain.particulars import Ethnicity, Sex
from domain.person.commands import PersonCommand
from domain.person.events import PersonEvent
from domain.person.facts import NO_FACTS, PersonFacts
from domain.person.handlers import handle
from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES, Stage
from domain.person.state import initial_state
from domain.units.commands import SetTermTarget, SetYearlyPlan, UnitCommand
from domain.units.kinds import UnitKind
from domain.units.state import Unit
from eventstore import EventStore
from services.commands.actors import Actor, Role
from services.commands.person_ids import CitizenIndex, PersonIdKey
from services.commands.person_log import append_decided
from services.commands.tree_log import UNIT_TREE_STREAM, load_tree
from services.commands.units import handle_unit_command
from services.seed.fates import Fate
from services.seed.names import full_name, officer_user_id
from services.seed.plan import PROVINCE_ID, Plan, UnitPlan
from services.seed.population import Newcomer, Population
from services.seed.recording import PaperLag

ROLES = {
    UnitKind.CELL: Role.CELL_SECRETARY,
    UnitKind.GRASSROOTS_CELL: Role.CELL_SECRETARY,
    UnitKind.SUB_COMMITTEE: Role.GRASSROOTS_OFFICER,
    UnitKind.GRASSROOTS_COMMITTEE: Role.GRASSROOTS_OFFICER,
    UnitKind.UPPER_COMMITTEE: Role.UPPER_OFFICER,
    UnitKind.PROVINCIAL_COMMITTEE: Role.PROVINCIAL_ADMIN,
}
"""The role an officer of each kind of unit records steps in (I8)."""

Watch = Callable[[PersonState, PersonCommand, PersonFacts], None]
"""Told each person command with the state and the facts it is about to be decided on (the proof that the
desk's facts are the log's, tests/integration/test_seed_facts.py, watches here)."""


@dataclass
class Person:
    """A person the generator created: their state (as the log has it) and what the story holds for them."""

    citizen_id: str
    state: PersonState
    since: date
    """When the person joined their current cell in the ledger (nominated, enrolled, moved in): the log knows
    nothing earlier, so co-working months count from here (R-SPONSOR-COWORK, services/commands/log_facts)."""
    fate: Fate = field(default_factory=Fate)
    timetable: dict[Stage, date] = field(default_factory=dict)
    troubled_from: int | None = None

    @property
    def person_id(self) -> str:
        return self.state.person_id


@dataclass
class Tally:
    """What was written, and what the domain refused (each refusal is a step the story then did not take)."""

    events_by_type: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    refusal_samples: list[str] = field(default_factory=list)
    units: int = 0


class Desk:
    """The world as of the agenda's current date; see the module docstring for why it can be trusted."""

    def __init__(
        self,
        store: EventStore,
        plan: Plan,
        rng: Random,
        calendar: WorkingCalendar,
        watch: Watch | None = None,
        recording: PaperLag | None = None,
        *,
        person_key: PersonIdKey,
    ) -> None:
        self.store, self.plan, self.rng, self.calendar, self.watch = store, plan, rng, calendar, watch
        self.recording = recording
        self.citizens = CitizenIndex(person_key)
        self.units = {u.unit_id: u for u in plan.units}
        self.population = Population(Random(rng.getrandbits(64)), plan.hometowns)
        self._ids = Random(rng.getrandbits(64))
        self._names = Random(rng.getrandbits(64))
        self.people: dict[str, Person] = {}
        self.rolls: dict[str, dict[str, None]] = {}
        self.officers: dict[str, Actor] = {}
        self.tally = Tally()
        self.rating_counts: dict[tuple[str, int], list[int]] = {}  # (cell, year): rated [Good, Excellent]
        self.tree, self.tree_version = load_tree(store)

    def correlation_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def officer(self, unit_id: str) -> Actor:
        """The officer who records the unit's steps (one per unit, named like a provincial login)."""
        actor = self.officers.get(unit_id)
        if actor is None:
            unit = self.tree.latest(unit_id)
            kind = unit.kind if unit is not None else UnitKind.PROVINCIAL_COMMITTEE
            code = unit.code if unit is not None else unit_id
            name = full_name(self._names, self._names.choice(list(Sex)), Ethnicity.KINH, 1980)
            actor = self.officers[unit_id] = Actor(officer_user_id(name, code), ROLES[kind], unit_id)
        return actor

    def unit_command(self, command: UnitCommand, on: date, document_ref: str | None = None) -> None:
        """Decide and append through the service, then follow the tree with the events it wrote.

        Targets and plans are recorded by the unit's own officer; the tree's shape by the province's.
        """
        own = isinstance(command, SetTermTarget | SetYearlyPlan)
        actor = self.officer(command.unit_id if own else PROVINCE_ID)
        if self.recording is not None:
            self.recording.paper(on)
        result = handle_unit_command(
            self.store,
            command,
            occurred_on=on,
            actor=actor,
            document_ref=document_ref,
            correlation_id=self.correlation_id(),
            known_tree=(self.tree, self.tree_version),
        )
        if result is None:
            return
        for recorded in self.store.read_stream(UNIT_TREE_STREAM, after_version=self.tree_version):
            event = EVENTS.decode(recorded.event_type, recorded.schema_version, recorded.data)
            self.tree = self.tree.with_event(event, recorded.occurred_on)
            self.tally.events_by_type[recorded.event_type] += 1
            self.tally.units += recorded.event_type == "UnitRegistered"
        self.tree_version = result.stream_version

    def newcomer(self, newcomer: Newcomer, since: date) -> Person:
        """A person entering the ledger (their stream is still empty)."""
        person_id = self.citizens.person_id(self.store, newcomer.citizen_id)
        person = Person(newcomer.citizen_id, initial_state(person_id), since)
        self.people[person_id] = person
        return person

    def command(self, person: Person, command: PersonCommand, facts: PersonFacts = NO_FACTS) -> list[PersonEvent]:
        """Decide with the domain and append; a refusal is tallied and changes nothing (returns no events)."""
        before = person.state
        if self.watch is not None:
            self.watch(before, command, facts)
        try:
            after, events = handle(before, command, self.calendar, facts)
        except DomainError as refusal:
            self._refused(command, refusal)
            return []
        if events:
            actor = self.officer(command.acting_unit_id)
            if self.recording is not None:
                self.recording.paper(command.occurred_on)
            append_decided(self.store, before, command, events, actor, correlation_id=self.correlation_id())
            self.tally.events_by_type.update(type(e).__name__ for e in events)
        person.state = after
        self._reindex(person, before)
        return events

    def _refused(self, command: PersonCommand, refusal: DomainError) -> None:
        key = refusal.rule_id if isinstance(refusal, RuleViolation) else f"invalid:{getattr(refusal, 'field', '?')}"
        self.tally.refusals[f"{type(command).__name__} {key}"] += 1
        if len(self.tally.refusal_samples) < 20:
            self.tally.refusal_samples.append(f"{command.occurred_on} {type(command).__name__}: {refusal}")

    def _reindex(self, person: Person, before: PersonState) -> None:
        """Keep each cell's roll (members, in order of arrival) in step with the person's state."""
        after = person.state
        was = before.cell_id if before.stage in MEMBER_STAGES else None
        now = after.cell_id if after.stage in MEMBER_STAGES else None
        if was == now:
            return
        if was is not None:
            self.rolls.get(was, {}).pop(person.person_id, None)
        if now is not None:
            self.rolls.setdefault(now, {})[person.person_id] = None

    def members(self, cell_id: str) -> list[Person]:
        return [self.people[pid] for pid in self.rolls.get(cell_id, {})]

    def officials(self, cell_id: str, exclude: str | None = None) -> list[Person]:
        """Official members of the cell now (the agenda's date), away or not."""
        return [p for p in self.members(cell_id) if p.state.stage is Stage.OFFICIAL and p.person_id != exclude]

    def grassroots_of(self, unit_id: str, on: date) -> Unit:
        """The grassroots organisation a cell belongs to on a date (the cell itself for a grassroots cell)."""
        snapshot = self.tree.as_of(on)
        chain = (*snapshot.ancestors(unit_id), snapshot.require(unit_id))
        return next(u for u in reversed(chain) if u.kind.is_grassroots)

    def parent_of(self, unit_id: str, on: date) -> Unit:
        unit = self.tree.as_of(on).require(unit_id)
        assert unit.parent_id is not None
        return self.tree.as_of(on).require(unit.parent_id)

    def plan_of(self, unit_id: str) -> UnitPlan:
        return self.units[unit_id]

    def quiet(self, unit_id: str, on: date) -> bool:
        """A unit still following its script (the Political School until 2022): no random life there."""
        quiet_until = self.units[unit_id].quiet_until if unit_id in self.units else None
        return quiet_until is not None and on < quiet_until
