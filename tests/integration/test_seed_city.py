"""The city generator (`partyledger seed --scale city`) at a small fraction of its scale, on PostgreSQL.

The copies are written by the restore path with hashes the generator computes itself: the log must verify
as any other (every content hash, chain and the seal), and the read models the worker keeps must equal a
rebuild from that log. The re-keying must leave nothing of the template behind: every event is filed under
a city unit and names only city units and city people.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from domain.identity import parse_citizen_id
from domain.units.kinds import UnitKind
from eventstore import open_store, verify_store
from projections.registry import PROJECTIONS
from services.audit.replay_check import check_replay
from services.commands.person_ids import PersonIdKey
from services.commands.tree_log import load_tree
from services.projection_runtime import build_runtime, catch_up_every_unit
from services.seed.city import generate_city
from services.settings import Settings

pytestmark = pytest.mark.postgres
KEY = PersonIdKey(b"k" * 32)
FRACTION = 0.002
"""2 commune-level committees, 10 grassroots committees, 50 cells: ~12,000 events."""


def test_a_small_city_verifies_names_only_its_own_units_and_people_and_rebuilds_equal_to_live(
    postgres_url: str, tmp_path: Path
) -> None:
    store = open_store(postgres_url, durable=False)
    try:
        report = generate_city(store, seed=2020, person_key=KEY, fraction=FRACTION)
        verified = verify_store(store)
        events = list(store.iter_raw())
        tree, _ = load_tree(store)
    finally:
        store.close()

    assert verified.ok, verified.summary()
    assert verified.events_checked == report.events == len(events) > 10_000
    kinds = Counter(unit.kind for unit in tree.all_latest())
    assert kinds == {
        UnitKind.PROVINCIAL_COMMITTEE: 1,
        UnitKind.UPPER_COMMITTEE: 2,
        UnitKind.GRASSROOTS_COMMITTEE: 10,
        UnitKind.CELL: 50,
    }
    city_units = {unit.unit_id for unit in tree.all_latest()}
    named_units = {m.decode() for e in events for m in re.findall(rb"unit-[a-z0-9-]+", repr(e.data).encode())}
    assert {e.unit_id for e in events} <= city_units
    assert {u.removeprefix("doan-tn.") for u in named_units} <= city_units
    streams = {e.stream_id for e in events if e.stream_id.startswith("person-")}
    citizens = {e.stream_id: e.data["citizen_id"] for e in events if "citizen_id" in e.data}
    assert len(streams) == report.people == len(set(citizens.values()))
    assert all(KEY.new_person_id(parse_citizen_id(number)) == person for person, number in citizens.items())
    named_people = {p for e in events for p in re.findall(r"person-[0-9a-f]{32}", repr(e.data))}
    assert named_people <= streams, "a sponsor, helper or mentor who is not in the city"
    positions = [e.position for e in events]
    assert positions == sorted(positions) and [e.recorded_at for e in events] == sorted(e.recorded_at for e in events)

    settings = Settings.from_environment({
        "PARTYLEDGER_DATABASE_URL": postgres_url, "PARTYLEDGER_DATA_DIR": str(tmp_path),
        "PARTYLEDGER_ENVIRONMENT": "development", "PARTYLEDGER_BROKER_URL": "memory://",
    })  # fmt: skip
    catch_up_every_unit(settings)
    runtime = build_runtime(settings)
    try:
        replay = check_replay(runtime.runner, sorted(runtime.store.unit_heads()), PROJECTIONS)
    finally:
        runtime.close()
    assert replay.equal, replay.summary()
