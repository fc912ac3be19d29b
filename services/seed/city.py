"""`generate_city`: the largest province's log (~400,000 members, ~6 million events) made in minutes.

Deciding 400,000 people's five years one command at a time through the domain would take hours on two
cores (`generate_province` writes ~2,000 events/s). So the journeys are decided **once**: the small
province is generated through the domain in memory (every command decided on its date, each paper entered
some working days after it, `PaperLag`), and each journey of one of its cells is then copied to people of
the city's cells, re-keyed:

- units: the journey's cell becomes the city cell, its grassroots committee the city cell's, any upper
  committee (a district, or after 1/7/2025 a commune) the city cell's commune-level committee, the province
  the city's top; every id in the data and metadata is replaced, so the events still name their deciders;
- people: a new citizen ID (the template's province, century, sex and birth year; a new serial) and the
  stream id the deployment's key gives it (`PersonIdKey.new_person_id`), so the app's lookups find them;
  sponsors, helpers and mentors are the copies of the template's people of the same cell (a copied cell
  takes four in seven of them plus whoever they name, so every reference within the cell resolves);
- correlation ids: one per copied person, keeping which events one command wrote together.

Dates stay the template's, so every copied event obeys the rules in force on its date exactly as the
domain decided it. Journeys that leave their cell (transfers) are not copied: they name a second cell whose
copy would have to be chosen consistently, and 6 % of the template's people are not worth the mapping.

The events are hashed by the store's own code (`envelope_digest`, `chain_hash`), ordered as the template
recorded them (each copy a microsecond after the previous, so `recorded_at` grows with position) and
written by the restore path (`EventStore.restore`, the import's writer: the owner, the only writer of
recorded times, I14), then the whole log is sealed once. `verify` must pass on the result.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Final

import msgspec

from domain.calendar import WorkingCalendar
from domain.identity import parse_citizen_id
from domain.units.kinds import UnitKind
from eventstore import EventStore, RecordedEvent
from eventstore.canonical import GENESIS_HASH, canonical_json, chain_hash, envelope_digest, format_recorded_at
from eventstore.memory import MemoryEventStore
from services.commands.person_ids import PersonIdKey
from services.seed.generator import LAST_DAY, generate_province
from services.seed.geography import DISTRICTS, PROVINCE_NAME
from services.seed.plan import PROVINCE_ID
from services.seed.recording import PaperLag

COMMUNES: Final = 170
GRASSROOTS: Final = 5_000
CELLS_PER_GRASSROOTS: Final = 5
TEMPLATE_NOW: Final = datetime(2026, 1, 5, 1, tzinfo=UTC)
"""The template's "now": papers of the last days of 2025 are entered by then (fixed, so a seed repeats)."""
TICK: Final = timedelta(microseconds=1)
TREE_STREAM: Final = "unittree-province"
PLAN_EVENTS: Final = frozenset({"YearlyPlanSet", "TermTargetSet"})
REGISTERED: Final = "UnitRegistered"
IDS: Final = re.compile(
    rb"(unit-[a-z0-9]+(?:-[a-z0-9]+)*|person-[0-9a-f]{32}"
    rb'|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|"citizen_id":"[0-9]{12}")'
)
"""What a copy re-keys in an event's JSON: unit ids, person ids, correlation ids and the citizen ID."""
UUID_LENGTH: Final = 36
WRITE_BATCH: Final = 5_000
SHARE: Final = (4, 7)
"""The share of a template cell's people a city cell copies."""


@dataclass(frozen=True)
class CityShape:
    """How many units of each level; `fraction` scales all of them (tests make a city of a few cells)."""

    communes: int = COMMUNES
    grassroots: int = GRASSROOTS
    cells_per_grassroots: int = CELLS_PER_GRASSROOTS

    @classmethod
    def scaled(cls, fraction: float) -> CityShape:
        if not 0 < fraction <= 1:
            raise ValueError("the city's fraction is above 0 and at most 1")
        communes = max(2, round(COMMUNES * fraction))
        return cls(communes, max(communes, round(GRASSROOTS * fraction)), CELLS_PER_GRASSROOTS)


@dataclass(frozen=True)
class CityReport:
    """What was written, and how long each part took."""

    units: int
    people: int
    events: int
    template_events: int
    template_seconds: float
    write_seconds: float

    def summary(self) -> str:
        return (
            f"city of {PROVINCE_NAME}: {self.events:,} events about {self.people:,} people in {self.units:,} units, "
            f"copied from {self.template_events:,} events decided by the domain ({self.template_seconds:.0f} s), "
            f"written and sealed in {self.write_seconds:.0f} s"
        )


@dataclass(frozen=True)
class Compiled:
    """A template event's JSON cut at every id a copy re-keys: literal, id, literal, …, literal."""

    data: list[bytes]
    metadata: list[bytes]


def _compiled(event: RecordedEvent) -> Compiled:
    return Compiled(IDS.split(canonical_json(event.data)), IDS.split(canonical_json(event.metadata)))


@dataclass
class Template:
    """The small province decided by the domain, read as journeys per cell and plans per unit."""

    events: list[RecordedEvent]
    kinds: dict[str, UnitKind]
    parents: dict[str, str | None]
    registrations: dict[UnitKind, RecordedEvent]
    delegated: dict[str, bool]
    people_by_cell: dict[str, list[str]] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    """Template people enrolled as members on the ledger's first days, in log order."""
    named: dict[str, set[str]] = field(default_factory=dict)
    """Person ids each template person's events name (sponsors, helpers, mentors)."""


def decide_template(seed: int) -> Template:
    """The small province through the domain, in memory, each paper entered some working days after it."""
    clock = PaperLag(Random(seed), WorkingCalendar(), TEMPLATE_NOW)
    store = MemoryEventStore(clock=clock)
    key = PersonIdKey(hashlib.sha256(f"partyledger-city-template:{seed}".encode()).digest())
    generate_province(store, scale="small", seed=seed, recording=clock, person_key=key, last_day=LAST_DAY)
    events = list(store.iter_raw())
    kinds: dict[str, UnitKind] = {}
    parents: dict[str, str | None] = {}
    registrations: dict[UnitKind, RecordedEvent] = {}
    delegated: dict[str, bool] = {}
    streams: dict[str, list[RecordedEvent]] = defaultdict(list)
    for event in events:
        if event.event_type == REGISTERED:
            kind = UnitKind(event.data["kind"])
            kinds[event.data["unit_id"]] = kind
            parents[event.data["unit_id"]] = event.data["parent_id"]
            delegated[event.data["unit_id"]] = bool(event.data.get("admission_delegated"))
            registrations.setdefault(kind, event)
        elif event.stream_id.startswith("person-"):
            streams[event.stream_id].append(event)
    template = Template(events, kinds, parents, registrations, delegated)
    by_cell: dict[str, list[str]] = defaultdict(list)
    for stream_id, stream in streams.items():
        cell = stream[0].unit_id
        if kinds.get(cell) is not UnitKind.CELL or any(e.unit_id != cell or e.also_unit_id for e in stream):
            continue  # a journey that leaves its cell (see the module docstring)
        by_cell[cell].append(stream_id)
        text = b"".join(canonical_json(e.data) for e in stream)
        template.named[stream_id] = {m.decode() for m in re.findall(rb"person-[0-9a-f]{32}", text)} - {stream_id}
    template.people_by_cell = dict(by_cell)
    template.members = [
        e.stream_id for e in events if e.event_type == "MemberEnrolled" and e.stream_id in template.named
    ]
    return template


def _share(template: Template, cell: str, offset: int) -> list[str]:
    """Four in seven people of a template cell (which four turns with `offset`), plus whoever they name from
    the same cell (closed under it): ~16 people a city cell, ~15 events a person, as the city has."""
    people = template.people_by_cell[cell]
    chosen = {person for index, person in enumerate(people) if (index + offset) % SHARE[1] < SHARE[0]}
    pending = list(chosen)
    while pending:
        for other in template.named[pending.pop()]:
            if other in template.named and other not in chosen and other in people:
                chosen.add(other)
                pending.append(other)
    return [person for person in people if person in chosen]


@dataclass(frozen=True)
class CityUnit:
    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None
    template_id: str
    delegated: bool = False


def city_units(shape: CityShape, template: Template) -> list[CityUnit]:
    """The city's tree in registration order (parents first), each unit with the template unit it copies."""
    grassroots = sorted(
        unit
        for unit, kind in template.kinds.items()
        if kind is UnitKind.GRASSROOTS_COMMITTEE
        and any(template.parents.get(cell) == unit for cell in template.people_by_cell)
    )
    uppers = sorted(unit for unit, kind in template.kinds.items() if kind is UnitKind.UPPER_COMMITTEE)
    units = [
        CityUnit(PROVINCE_ID, "TU", f"Đảng bộ tỉnh {PROVINCE_NAME}", UnitKind.PROVINCIAL_COMMITTEE, None, PROVINCE_ID)
    ]
    places = [(name, town) for district in DISTRICTS for name, town in district.communes]
    per_commune, extra = divmod(shape.grassroots, shape.communes)
    number = 0
    for c in range(shape.communes):
        place, town = places[c % len(places)]
        round_ = c // len(places)
        title = f"{'phường' if town else 'xã'} {place}{f' {round_ + 1}' if round_ else ''}"
        commune_id = f"unit-x{c:03d}"
        units.append(
            CityUnit(commune_id, f"X{c:03d}", f"Đảng bộ {title}", UnitKind.UPPER_COMMITTEE, PROVINCE_ID,
                     uppers[c % len(uppers)])
        )  # fmt: skip
        for g in range(per_commune + (c < extra)):
            template_grassroots = grassroots[number % len(grassroots)]
            number += 1
            grassroots_id = f"{commune_id}-g{g:02d}"
            units.append(
                CityUnit(grassroots_id, f"X{c:03d}.{g + 1:02d}", f"Đảng bộ cơ sở số {g + 1}, {title}",
                         UnitKind.GRASSROOTS_COMMITTEE, commune_id, template_grassroots,
                         template.delegated[template_grassroots])
            )  # fmt: skip
            cells = sorted(cell for cell in template.people_by_cell if template.parents[cell] == template_grassroots)
            for k in range(shape.cells_per_grassroots):
                units.append(
                    CityUnit(f"{grassroots_id}-c{k}", f"X{c:03d}.{g + 1:02d}.{k + 1}", f"Chi bộ {k + 1}",
                             UnitKind.CELL, grassroots_id, cells[(k + g) % len(cells)])
                )  # fmt: skip
    return units


@dataclass
class Copy:
    """One city person: a copy of a template person in a city cell."""

    number: int
    stream_id: str
    citizen: bytes
    cell: str
    ids: dict[bytes, bytes]
    head: bytes = GENESIS_HASH


@dataclass
class Writer:
    """Hashes and numbers the copies in the order the template recorded its events."""

    position: int = 0
    recorded: datetime = datetime(2000, 1, 1, tzinfo=UTC)
    tree_version: int = 0
    tree_head: bytes = GENESIS_HASH

    def moment(self, template_moment: datetime) -> datetime:
        self.recorded = max(template_moment, self.recorded + TICK)
        return self.recorded

    def event(
        self, template: RecordedEvent, *, stream_id: str, version: int, unit_id: str, prev: bytes,
        data_json: bytes, metadata_json: bytes,
    ) -> RecordedEvent:  # fmt: skip
        self.position += 1
        recorded = self.moment(template.recorded_at)
        digest = envelope_digest(
            data_json, metadata_json, stream_id=stream_id, stream_version=version, unit_id=unit_id,
            event_type=template.event_type, schema_version=template.schema_version,
            occurred_on=template.occurred_on, recorded_at=format_recorded_at(recorded),
        )  # fmt: skip
        return RecordedEvent(
            self.position, stream_id, version, unit_id, template.event_type, template.schema_version,
            msgspec.json.decode(data_json), msgspec.json.decode(metadata_json), template.occurred_on, recorded,
            prev, chain_hash(prev, digest),
        )  # fmt: skip

    def tree_event(
        self, template: RecordedEvent, unit_id: str, data_json: bytes, metadata_json: bytes
    ) -> RecordedEvent:
        self.tree_version += 1
        event = self.event(
            template, stream_id=TREE_STREAM, version=self.tree_version, unit_id=unit_id, prev=self.tree_head,
            data_json=data_json, metadata_json=metadata_json,
        )  # fmt: skip
        self.tree_head = event.hash
        return event


def _rekey(pieces: list[bytes], ids: dict[bytes, bytes]) -> bytes:
    out = pieces.copy()
    out[1::2] = [ids.get(piece, piece) for piece in pieces[1::2]]
    return b"".join(out)


def city_events(shape: CityShape, template: Template, key: PersonIdKey) -> Iterator[RecordedEvent | int]:
    """Every event of the city in position order; yields the number of people (an int) first."""
    units = city_units(shape, template)
    copies: dict[str, list[Copy]] = defaultdict(list)  # template person → its copies
    number = 0
    by_id = {unit.unit_id: unit for unit in units}
    cell_index = 0
    for unit in units:
        if unit.kind is not UnitKind.CELL:
            continue
        parent = by_id[unit.parent_id or ""]
        commune = parent.parent_id or PROVINCE_ID
        unit_ids = {}
        for template_unit, kind in template.kinds.items():
            if template_unit == unit.template_id or kind in (UnitKind.CELL, UnitKind.GRASSROOTS_CELL):
                target = unit.unit_id
            elif kind in (UnitKind.GRASSROOTS_COMMITTEE, UnitKind.SUB_COMMITTEE):
                target = parent.unit_id
            elif kind is UnitKind.UPPER_COMMITTEE:
                target = commune
            else:
                target = PROVINCE_ID
            unit_ids[template_unit.encode()] = target.encode()
        people = _share(template, unit.template_id, cell_index // len(template.people_by_cell))
        cell_index += 1
        minted: list[tuple[str, Copy]] = []
        for person in people:
            minted.append((person, Copy(number, "", b"", unit.unit_id, unit_ids)))
            number += 1
        for person, copy in minted:
            copies[person].append(copy)
    # citizen ids and stream ids need each template person's number, from its identity event
    citizens: dict[str, str] = {}
    for event in template.events:
        if "citizen_id" in event.data and event.stream_id.startswith("person-"):
            citizens.setdefault(event.stream_id, event.data["citizen_id"])
    for person, person_copies in copies.items():
        prefix = citizens[person][:6]
        for copy in person_copies:
            citizen = f"{prefix}{copy.number % 1_000_000:06d}"
            copy.citizen = f'"citizen_id":"{citizen}"'.encode()
            copy.stream_id = key.new_person_id(parse_citizen_id(citizen))
    by_cell: dict[str, dict[bytes, bytes]] = {}
    for person, person_copies in copies.items():
        for copy in person_copies:
            ids = by_cell.get(copy.cell)
            if ids is None:
                ids = by_cell[copy.cell] = dict(copy.ids)
            ids[person.encode()] = copy.stream_id.encode()
            copy.ids = ids
    for person, person_copies in copies.items():
        for copy in person_copies:  # someone named from outside the copied people: a member of the same cell
            for other in template.named[person]:
                if other.encode() not in copy.ids:
                    copy.ids[other.encode()] = _a_member(copy.ids, template)
    yield number
    writer = Writer()
    registered = False
    plans: dict[str, list[CityUnit]] = defaultdict(list)
    for unit in units:
        plans[unit.template_id].append(unit)
    for event in template.events:
        if event.stream_id == TREE_STREAM:
            if event.event_type == REGISTERED and not registered:
                registered = True
                yield from _register(writer, template, units)
            elif (
                event.event_type in PLAN_EVENTS
                and template.kinds.get(target := event.data["unit_id"]) is not UnitKind.CELL
            ):
                pieces = _compiled(event)
                for unit in plans.get(target, []):
                    ids = {target.encode(): unit.unit_id.encode()}
                    yield writer.tree_event(event, unit.unit_id, _rekey(pieces.data, ids), _rekey(pieces.metadata, ids))
            continue
        copied = copies.get(event.stream_id)
        if not copied:
            continue
        pieces = _compiled(event)
        for copy in copied:
            data = _person_json(pieces.data, copy)
            metadata = _person_json(pieces.metadata, copy)
            recorded = writer.event(
                event, stream_id=copy.stream_id, version=event.stream_version, unit_id=copy.cell, prev=copy.head,
                data_json=data, metadata_json=metadata,
            )  # fmt: skip
            copy.head = recorded.hash
            yield recorded


def _a_member(ids: dict[bytes, bytes], template: Template) -> bytes:
    """The city id of the cell's first copied person who was a member from the start (a sponsor, helper or
    mentor named by a journey must be one; the template's came from another cell or left theirs)."""
    return next(ids[person.encode()] for person in template.members if person.encode() in ids)


def _person_json(pieces: list[bytes], copy: Copy) -> bytes:
    out = pieces.copy()
    ids = copy.ids
    for index in range(1, len(pieces), 2):
        piece = pieces[index]
        if len(piece) == UUID_LENGTH and piece[8:9] == b"-":
            out[index] = piece[:24] + b"%012x" % copy.number
        elif piece[:1] == b'"':
            out[index] = copy.citizen
        else:
            out[index] = ids.get(piece, piece)
    return b"".join(out)


def _register(writer: Writer, template: Template, units: list[CityUnit]) -> Iterator[RecordedEvent]:
    """Every city unit on the template's first registration (the tree is the city's, not reorganised)."""
    for number, unit in enumerate(units):
        model = template.registrations[unit.kind]
        data = canonical_json(
            {
                "admission_delegated": unit.delegated,
                "code": unit.code,
                "kind": unit.kind.value,
                "name": unit.name,
                "parent_id": unit.parent_id,
                "unit_id": unit.unit_id,
            }
        )
        metadata = _compiled(model).metadata
        ids = {model.unit_id.encode(): unit.unit_id.encode(), PROVINCE_ID.encode(): PROVINCE_ID.encode()}
        metadata_json = _uuid_for(_rekey(metadata, ids), number)
        yield writer.tree_event(model, unit.unit_id, data, metadata_json)


def _uuid_for(text: bytes, number: int) -> bytes:
    return re.sub(
        rb"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)[0-9a-f]{12}",
        lambda match: match.group(1) + b"f%011x" % number,
        text,
    )


def generate_city(
    store: EventStore,
    *,
    seed: int,
    person_key: PersonIdKey | None = None,
    fraction: float = 1.0,
    progress: Callable[[int], None] | None = None,
) -> CityReport:
    """Write the city into an empty log (see the module docstring); `progress(events_written)` per batch.

    `person_key` is the deployment's (`partyledger seed` passes it); without one the ids are keyed from the
    seed, so the same seed writes the same log."""
    if store.head_position() != 0:
        raise ValueError("the city is written into an empty log")
    shape = CityShape.scaled(fraction)
    key = person_key or PersonIdKey(hashlib.sha256(f"partyledger-generated-city:{seed}".encode()).digest())
    started = time.perf_counter()
    template = decide_template(seed)
    decided = time.perf_counter()
    stream = city_events(shape, template, key)
    people = next(stream)
    assert isinstance(people, int)
    count = [0]

    def counted() -> Iterator[RecordedEvent]:
        for event in stream:
            assert isinstance(event, RecordedEvent)
            count[0] += 1
            if progress and count[0] % WRITE_BATCH == 0:
                progress(count[0])
            yield event

    written = store.restore(counted(), [], batch_size=WRITE_BATCH, atomic=False)
    store.seal()
    return CityReport(
        units=1 + shape.communes + shape.grassroots * (1 + shape.cells_per_grassroots),
        people=people,
        events=written,
        template_events=len(template.events),
        template_seconds=decided - started,
        write_seconds=time.perf_counter() - decided,
    )
