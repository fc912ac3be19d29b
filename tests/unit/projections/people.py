"""People walked through the domain's own handlers, and their events as the log delivers them to read models.

`Ledger` records each event in an envelope whose unit is the person's unit before the event, adding the new
unit as `also_unit_id` when the event moves the person (as the store does); `build` applies a projection to
every partition an event reaches, with the person's state right after the event — what the runner does.
The integration tests append the same events to a real store.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypedDict

import msgspec

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import commands as c
from domain.person import member_commands as mc
from domain.person.events import PersonEvent
from domain.person.facts import NO_FACTS, CellFacts, DeciderFacts, MemberFacts, PersonFacts, SponsorFacts
from domain.person.handlers import decide
from domain.person.records import PersonState
from domain.person.state import evolve, initial_state
from domain.person.values import Relation, SponsorLetter, VerificationSubject
from domain.rules.sponsors import SponsorKind
from domain.units.kinds import UnitKind
from eventstore import RecordedEvent
from projections.base import Applied, Projection
from projections.rows import UnitRows, row_json
from tests.support.person_ids import person_id_of

CALENDAR = WorkingCalendar()
SCHOOL = DeciderFacts(unit_id="du-truong", kind=UnitKind.GRASSROOTS_COMMITTEE, committee_size=7)
BLOC = DeciderFacts(unit_id="du-khoi", kind=UnitKind.UPPER_COMMITTEE)
RECORDED_AT = datetime(2030, 1, 1, tzinfo=UTC)
NAMES = ("Lê Văn Hùng", "Đỗ Thị Lan", "Vũ Đức Minh", "Trịnh Văn Nam", "Phạm Thị Hoa", "Nguyễn Thị Ánh", "Hoàng Văn Sơn")


def cell_facts(cell_id: str, size: int = 7, grassroots: bool = False) -> CellFacts:
    members = frozenset(f"{cell_id}-dv{n}" for n in range(1, size + 1))
    return CellFacts(cell_id=cell_id, official_member_ids=members, is_grassroots_cell=grassroots)


def citizen_id(serial: int, sex: Sex, born: date) -> str:
    """A well-formed number agreeing with sex and birth year (province 038, Thanh Hóa)."""
    digit = (0 if born.year < 2000 else 2) + (1 if sex is Sex.FEMALE else 0)
    return f"038{digit}{born.year % 100:02d}{serial:06d}"


@dataclass
class Delivered:
    envelope: RecordedEvent
    event: PersonEvent
    person: PersonState


@dataclass
class Ledger:
    log: list[Delivered] = field(default_factory=list)

    def record(self, before: PersonState, event: PersonEvent, on: date, also: str | None = None) -> PersonState:
        after = evolve(before, event, on)
        home = before.cell_id or after.cell_id or ""
        moved_to = after.cell_id if after.cell_id not in (None, home) else None
        event_type, schema_version, data = EVENTS.encode(event)
        envelope = RecordedEvent(
            position=len(self.log) + 1,
            stream_id=after.person_id,
            stream_version=after.version,
            unit_id=home,
            event_type=event_type,
            schema_version=schema_version,
            data=data,
            metadata={},
            occurred_on=on,
            recorded_at=RECORDED_AT,
            prev_hash=b"",
            hash=b"",
            also_unit_id=also or moved_to,
        )
        self.log.append(Delivered(envelope, event, after))
        return after

    def build(self, projection: Projection, *, reload_each_event: bool = False) -> dict[str, UnitRows]:
        """Rows per unit after every event; `reload_each_event` writes the rows as JSON and reads them back in
        between, as the runner's batches through the database do."""
        rows: dict[str, UnitRows] = defaultdict(UnitRows)
        wanted = projection.event_types
        for item in self.log:
            units = [u for u in (item.envelope.unit_id, item.envelope.also_unit_id) if u]
            for unit in units:
                if wanted is None or item.envelope.event_type in wanted:
                    projection.apply(rows[unit], Applied(item.envelope, item.event, item.person, unit))
                if reload_each_event:
                    rows[unit] = UnitRows(msgspec.json.decode(row_json(dict(rows[unit].items()))))
        return dict(rows)


def snapshot(rows: dict[str, UnitRows]) -> str:
    """Canonical JSON of every unit's rows: equal strings mean byte-identical read models."""
    written = msgspec.json.decode(row_json({unit: dict(r.items()) for unit, r in rows.items()}))
    return json.dumps(written, sort_keys=True, ensure_ascii=False)


class At(TypedDict):
    person_id: str
    occurred_on: date
    acting_unit_id: str


class Person:
    """One person of the ledger; every command given must succeed under the domain's rules."""

    def __init__(self, ledger: Ledger, serial: int, name: str, sex: Sex, born: date, cell: str, **details: Any):
        self.ledger, self.cell = ledger, cell
        self.grassroots: bool = details.get("grassroots", False)
        self.citizen_id = citizen_id(serial, sex, born)
        self.particulars = Particulars(
            full_name=name,
            sex=sex,
            date_of_birth=born,
            ethnicity=details.get("ethnicity", Ethnicity.KINH),
            religion=details.get("religion", Religion.NONE),
            education=details.get("education", EducationLevel.UNIVERSITY),
            occupation=details.get("occupation", Occupation.PUBLIC_EMPLOYEE),
        )
        self.state = initial_state(person_id_of(self.citizen_id))

    @property
    def stream_id(self) -> str:
        return self.state.person_id

    def at(self, on: date, unit: str | None = None) -> At:
        return At(person_id=self.state.person_id, occurred_on=on, acting_unit_id=unit or self.cell)

    def run(self, cmd: c.PersonCommand, facts: PersonFacts = NO_FACTS, also: str | None = None) -> list[PersonEvent]:
        events = decide(self.state, cmd, CALENDAR, facts)
        for event in events:
            self.state = self.ledger.record(self.state, event, cmd.occurred_on, also)
        return events

    def helper(self, n: int = 1) -> PersonFacts:
        return PersonFacts(member=MemberFacts(person_id=f"{self.cell}-dv{n}", is_official=True))

    def sponsors(self) -> tuple[SponsorFacts, ...]:
        return tuple(
            SponsorFacts(
                sponsor_id=f"{self.cell}-dv{n}",
                kind=SponsorKind.MEMBER,
                is_official=True,
                months_co_working_same_unit=36,
            )
            for n in (1, 2)
        )

    def nominate(self, on: date) -> None:
        self.run(
            c.NominateCandidate(
                **self.at(on),
                citizen_id=self.citizen_id,
                particulars=self.particulars,
                helper_id=f"{self.cell}-dv1",
                resolution_ref="NQ chi bộ",
            ),
            self.helper(),
        )

    def train(self, on: date) -> None:
        self.run(c.RecordTrainingCertificate(**self.at(on), certificate_ref="GCN", issued_on=on))

    def verify(self, on: date, results_in: date) -> None:
        """Application, background form and a verification of the candidate alone (relatives exempt)."""
        name = self.particulars.full_name
        self.run(c.SubmitApplication(**self.at(on), application_ref="Đơn xin vào Đảng"))
        self.run(c.SubmitBackgroundForm(**self.at(on), form_ref="Lý lịch"))
        self.run(
            c.OpenVerification(**self.at(on), subjects=(VerificationSubject(relation=Relation.SELF, full_name=name),))
        )
        self.run(
            c.RecordVerificationResult(**self.at(results_in), relation=Relation.SELF, full_name=name, result_ref="KQ")
        )
        self.run(c.CertifyVerification(**self.at(results_in)))

    def sponsor(self, on: date) -> None:
        letters = tuple(SponsorLetter(sponsor_id=s.sponsor_id, kind=s.kind, document_ref="GT") for s in self.sponsors())
        self.run(c.RecordSponsors(**self.at(on), sponsors=letters), PersonFacts(sponsors=self.sponsors()))

    def cell_vote(self, on: date) -> None:
        facts = PersonFacts(cell=cell_facts(self.cell, grassroots=self.grassroots), sponsors=self.sponsors())
        self.run(c.ApproveAtCell(**self.at(on), yes=6, no=1, resolution_ref="NQ chi bộ"), facts)

    def committee(self, on: date) -> None:
        cmd = c.ApproveAtCommittee(**self.at(on, SCHOOL.unit_id), yes=6, resolution_ref="NQ đảng ủy")
        self.run(cmd, PersonFacts(decider=SCHOOL))

    def decide(self, on: date) -> None:
        self.run(c.DecideAdmission(**self.at(on, BLOC.unit_id), decision_ref="QĐ kết nạp"), PersonFacts(decider=BLOC))

    def receive(self, on: date) -> None:
        self.run(c.ReceiveAdmissionDecision(**self.at(on)))

    def ceremony(self, on: date) -> None:
        cmd = c.HoldCeremony(**self.at(on), mentor_id=f"{self.cell}-dv2", ceremony_ref="Biên bản")
        self.run(cmd, self.helper(2))

    def recognise(self, course_on: date, vote_on: date, decided_on: date) -> None:
        self.run(mc.CompleteNewMemberCourse(**self.at(course_on), certificate_ref="GCN"))
        vote = mc.HoldRecognitionVote(**self.at(vote_on), yes=6, no=0, resolution_ref="NQ chuyển chính thức")
        self.run(vote, PersonFacts(cell=cell_facts(self.cell)))
        cmd = mc.RecogniseOfficial(**self.at(decided_on, BLOC.unit_id), decision_ref="QĐ công nhận")
        self.run(cmd, PersonFacts(decider=BLOC))

    def to_cell_vote(self, start: date) -> None:
        """Nominated on `start`, trained, verified and sponsored, voted for by the cell 80 days later."""
        self.nominate(start)
        self.train(start + timedelta(days=19))
        self.verify(start + timedelta(days=24), start + timedelta(days=50))
        self.sponsor(start + timedelta(days=70))
        self.cell_vote(start + timedelta(days=80))

    def to_ceremony(self, start: date) -> None:
        """The whole pipeline from `start`: decision at +110, received at +114, ceremony at +120."""
        self.to_cell_vote(start)
        self.committee(start + timedelta(days=92))
        self.decide(start + timedelta(days=110))
        self.receive(start + timedelta(days=114))
        self.ceremony(start + timedelta(days=120))
