"""The province generator: deterministic, every event valid and verifiable, and true to DOMAIN.md §5's example.

One small-scale history is generated on SQLite for the module; the determinism test writes a second one, and
the PostgreSQL test a third, which must be the very same history (the seed decides everything but the clock).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest

from domain.calendar import WorkingCalendar
from domain.codec import EVENTS
from domain.errors import RuleViolation
from domain.particulars import EducationLevel, Ethnicity, Occupation, Particulars, Religion, Sex
from domain.person import member_commands as mc
from domain.person.records import PersonState
from domain.person.stages import MEMBER_STAGES, Stage
from domain.person.state import replay
from domain.person.values import TransferKind
from domain.rules.registry import rules_in_force
from domain.units.events import TargetMetric
from domain.units.kinds import UnitKind
from domain.units.tree import UnitTree
from eventstore import EventStore, open_store, verify_store
from services.commands.actors import Actor, Role
from services.commands.person_log import append_person_command, load_person
from services.commands.tree_log import load_tree
from services.seed import SeedReport, generate_province
from tests.support.person_ids import person_id_of
from tests.support.stores import sqlite_url

SEED = 2021
END_OF_2021 = date(2021, 12, 31)
SCHOOL = "unit-school"
LogLine = tuple[str, int, str, dict[str, Any], date, str]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EventStore, SeedReport]]:
    store = open_store(sqlite_url(tmp_path_factory.mktemp("seed")))
    report = generate_province(store, scale="small", seed=SEED)
    yield store, report
    store.close()


def log_of(store: EventStore) -> list[LogLine]:
    """Every event's identity, content, paper date and correlation id (the generator draws those too)."""
    return [
        (e.stream_id, e.stream_version, e.event_type, e.data, e.occurred_on, e.metadata["correlation_id"])
        for e in store.iter_raw()
    ]


def people_as_of(store: EventStore, on: date) -> dict[str, PersonState]:
    """Every person's state replayed from their stream, with the steps dated up to `on`."""
    streams: dict[str, list[tuple[object, date]]] = defaultdict(list)
    for e in store.iter_raw():
        if e.stream_id.startswith("person-") and e.occurred_on <= on:
            streams[e.stream_id].append((EVENTS.decode(e.event_type, e.schema_version, e.data), e.occurred_on))
    return {person_id: replay(person_id, events) for person_id, events in streams.items()}


def cells_under(tree: UnitTree, unit_id: str, on: date) -> list[str]:
    snapshot = tree.as_of(on)
    return [u for u in sorted(snapshot.subtree(unit_id)) if snapshot.require(u).kind.holds_members]


def test_a_small_province_is_25_cells_about_600_members_and_10000_events(small: tuple[EventStore, SeedReport]) -> None:
    store, report = small
    tree, _ = load_tree(store)
    cells = [u for u in tree.as_of(date(2020, 10, 1)) if u.kind.holds_members]
    grassroots = [u for u in tree.as_of(date(2020, 10, 1)) if u.kind.is_grassroots]
    assert (len(cells), len(grassroots)) == (25, 6)
    assert 550 <= report.events_by_type["MemberEnrolled"] <= 700
    assert 8_000 <= report.events <= 14_000 and report.events == store.head_position()
    assert report.refused == {}, report.refused


def test_the_same_seed_writes_the_same_history(small: tuple[EventStore, SeedReport], tmp_path: Path) -> None:
    store, _ = small
    again = open_store(sqlite_url(tmp_path))
    try:
        generate_province(again, scale="small", seed=SEED)
        assert log_of(again) == log_of(store)
    finally:
        again.close()


def test_every_event_decodes_under_the_rules_of_its_date_and_the_log_verifies(
    small: tuple[EventStore, SeedReport],
) -> None:
    store, _ = small
    for e in store.iter_raw():
        EVENTS.decode(e.event_type, e.schema_version, e.data)
        if e.stream_id.startswith("person-"):
            assert e.data["rule_set"] == e.metadata["rule_set"] == rules_in_force(e.occurred_on).rule_set_id
    report = verify_store(store)
    assert report.ok, report.summary()


def test_read_models_decode_every_stored_event_as_the_deciders_do(small: tuple[EventStore, SeedReport]) -> None:
    """The runner parses each event's stored JSON straight into its class; the deciders convert the parsed
    dictionary. Over every event type the generator writes, both give equal events."""
    store, report = small
    decoded = Counter[str]()
    for unit_id in {e.unit_id for e in store.iter_raw()}:
        for lean in store.read_unit(unit_id, limit=100_000).events:
            full = EVENTS.decode(lean.event_type, lean.schema_version, msgspec.json.decode(lean.data_json))
            assert EVENTS.decode_json(lean.event_type, lean.schema_version, lean.data_json) == full
            decoded[lean.event_type] += 1 if lean.unit_id == unit_id else 0
    assert decoded == report.events_by_type


def test_a_move_between_cells_is_filed_under_both_cells(small: tuple[EventStore, SeedReport]) -> None:
    store, _ = small
    moves = Counter[str]()
    for e in store.iter_raw():
        if e.event_type == "CandidateTransferred":
            assert (e.unit_id, e.also_unit_id) == (e.data["from_cell_id"], e.data["to_cell_id"])
        elif e.event_type == "MemberTransferPresented" and e.data["kind"] == "official":
            assert e.also_unit_id == e.data["to_unit_id"] != e.unit_id
        else:
            assert e.also_unit_id is None
            continue
        moves[e.event_type] += 1
    assert moves["MemberTransferPresented"] > 0


def test_the_political_school_at_the_end_of_2021_is_5_cells_and_32_members(
    small: tuple[EventStore, SeedReport],
) -> None:
    store, _ = small
    tree, _ = load_tree(store)
    cells = cells_under(tree, SCHOOL, END_OF_2021)
    members = [s for s in people_as_of(store, END_OF_2021).values() if s.stage in MEMBER_STAGES and s.cell_id in cells]
    assert len(cells) == 5 and len(members) == 32
    school = tree.state_on(SCHOOL, END_OF_2021)
    assert school is not None and school.term_target("2020-2025", TargetMetric.ADMISSIONS) == 5


def test_the_political_school_in_2021_follows_the_worked_example(small: tuple[EventStore, SeedReport]) -> None:
    """One recognised, one dossier sent up to the bloc committee, three to the awareness class, nobody removed."""
    store, _ = small
    tree, _ = load_tree(store)
    cells = set(cells_under(tree, SCHOOL, END_OF_2021))
    in_2021 = Counter[str]()
    for e in store.iter_raw():
        if e.occurred_on.year == 2021 and e.unit_id in cells:
            in_2021[e.event_type] += 1
            assert e.data.get("outcome") != "propose_removal"
    assert in_2021["OfficialRecognised"] == 1 and in_2021["CommitteeApproved"] == 1
    assert in_2021["AwarenessTrainingCertified"] == 3 and in_2021["AdmissionDecided"] == 0


def test_from_1_july_2025_the_district_level_and_the_bloc_are_closed(small: tuple[EventStore, SeedReport]) -> None:
    store, _ = small
    tree, _ = load_tree(store)
    uppers_before = {u.code for u in tree.as_of(date(2025, 6, 30)) if u.kind is UnitKind.UPPER_COMMITTEE}
    uppers_after = {u.code for u in tree.as_of(date(2025, 7, 1)) if u.kind is UnitKind.UPPER_COMMITTEE}
    assert uppers_before == {"HU-DT", "DCQD", "DUBND"} and uppers_after == {"X-DT1", "DCQD", "DUBND"}
    uppers_in_february = {u.code for u in tree.as_of(date(2025, 2, 28)) if u.kind is UnitKind.UPPER_COMMITTEE}
    assert uppers_in_february == {"HU-DT", "DUK", "DCQD", "DUBND"}
    assert tree.ancestors(SCHOOL, date(2025, 7, 1))[-1].unit_id == "unit-dcqd"
    commune_cell = "unit-hu-dt-02-cb01"
    assert tree.competent_decider(commune_cell, date(2025, 6, 30)).unit_id == "unit-hu-dt"
    decider = tree.competent_decider(commune_cell, date(2025, 7, 1))
    assert decider.kind is UnitKind.UPPER_COMMITTEE and decider.unit_id == "unit-x-dt1"


def test_excellent_is_at_most_a_fifth_of_good_per_unit_and_year(small: tuple[EventStore, SeedReport]) -> None:
    store, _ = small
    tree, _ = load_tree(store)
    grades: dict[tuple[str, int], Counter[str]] = defaultdict(Counter)
    for e in store.iter_raw():
        if e.event_type == "MemberRated":
            snapshot = tree.as_of(e.occurred_on)
            chain = (*snapshot.ancestors(e.unit_id), snapshot.require(e.unit_id))
            grassroots = next(u.unit_id for u in reversed(chain) if u.kind.is_grassroots)
            grades[(grassroots, e.data["year"])][e.data["grade"]] += 1
    assert len(grades) >= 6 * 5
    for counts in grades.values():
        assert 5 * counts["excellent"] <= counts["good"]


def test_postgresql_holds_the_very_same_history(small: tuple[EventStore, SeedReport], postgres_url: str) -> None:
    store, _ = small
    pg = open_store(postgres_url)
    try:
        report = generate_province(pg, scale="small", seed=SEED)
        assert report.refused == {}
        assert log_of(pg) == log_of(store)
        assert verify_store(pg).ok
        tree, _ = load_tree(pg)
        cells = cells_under(tree, SCHOOL, END_OF_2021)
        members = [s for s in people_as_of(pg, END_OF_2021).values() if s.stage in MEMBER_STAGES and s.cell_id in cells]
        assert (len(cells), len(members)) == (5, 32)
    finally:
        pg.close()


def test_append_person_command_loads_decides_and_files_a_move_under_both_cells(tmp_path: Path) -> None:
    """The people service the API will use: the same envelopes as the generator, refusals write nothing."""
    store = open_store(sqlite_url(tmp_path))
    citizen_id = "019185004321"
    person_id = person_id_of(citizen_id)
    particulars = Particulars(
        full_name="Hoàng Thị Lan",
        sex=Sex.FEMALE,
        date_of_birth=date(1985, 4, 2),
        ethnicity=Ethnicity.TAY,
        religion=Religion.NONE,
        education=EducationLevel.UNIVERSITY,
        occupation=Occupation.STATE_OFFICIAL,
    )
    officer, calendar = Actor("lanht.tct", Role.CELL_SECRETARY, "cell-a"), WorkingCalendar()
    enrol = mc.EnrollMember(
        person_id=person_id,
        occurred_on=date(2020, 10, 5),
        acting_unit_id="school",
        citizen_id=citizen_id,
        particulars=particulars,
        cell_id="cell-a",
        admitted_on=date(2010, 3, 1),
        ceremony_on=date(2010, 3, 20),
        official_from=date(2011, 3, 20),
        roll_ref="Thẻ đảng viên số 19000042",
    )
    introduce = mc.IntroduceTransfer(
        person_id=person_id,
        occurred_on=date(2021, 3, 1),
        acting_unit_id="cell-a",
        kind=TransferKind.OFFICIAL,
        to_unit_id="cell-b",
        cause_on=date(2021, 2, 22),
    )
    present = mc.PresentTransfer(person_id=person_id, occurred_on=date(2021, 3, 8), acting_unit_id="cell-b")
    try:
        for command in (enrol, introduce, present):
            done = append_person_command(store, command, actor=officer, calendar=calendar)
        assert done.state == load_person(store, person_id) and done.state.stage is Stage.OFFICIAL
        filed = [(e.stream_version, e.unit_id, e.also_unit_id) for e in store.read_stream(person_id)]
        assert filed == [(1, "cell-a", None), (2, "cell-a", None), (3, "cell-a", "cell-b")]
        first = store.read_stream(person_id)[0].metadata
        assert (first["actor"], first["acting_unit"], first["role"]) == ("lanht.tct", "school", "cell_secretary")
        assert first["document_ref"] == "Thẻ đảng viên số 19000042" and first["rule_set"] == "qd24-2021"
        with pytest.raises(RuleViolation):
            append_person_command(store, present, actor=officer, calendar=calendar)
        assert store.stream_version(person_id) == 3
    finally:
        store.close()
