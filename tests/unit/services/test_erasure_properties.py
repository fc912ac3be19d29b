"""Property (issue 20): erasing any set of people from a generated province leaves `verify` passing and every
aggregate the read models keep (funnel, members, statistics by sex, age band, ethnicity, religion, …) equal to
the one computed before; only the erased people's own rows go."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.person.erasure import ErasureGround
from eventstore import EventStore, RecordedEvent, open_store
from projections.registry import PROJECTIONS
from services.audit.replaying import replay_partitions
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.erasure import ErasureRequest, erase_person
from services.embedded import seed_minimal_province
from tests.support.person_ids import TEST_PERSON_ID_KEY, keyring_for_tests, person_id_of
from tests.unit.services.conftest import Bell
from tests.unit.services.officers import SECRETARY, enrol, take

SCHOOL = Actor("canbo.truong", Role.GRASSROOTS_OFFICER, "unit-school")
ETHNICITIES = ("kinh", "tay", "thai", "khmer", "hoa")
RELIGIONS = ("none", "buddhism", "catholicism")
OUTCOMES = ("withdrawCandidate", "rejectCandidate", "open", "member")
"""How a generated person's file stands; a member is enrolled and rated for 2021 (counted by HD 11)."""

candidates = st.lists(
    st.tuples(
        st.sampled_from(("male", "female")),
        st.integers(1975, 2004),
        st.sampled_from(ETHNICITIES),
        st.sampled_from(RELIGIONS),
        st.sampled_from(OUTCOMES),
        st.booleans(),  # erase this one (when its file is closed, or by a state decision)
    ),
    min_size=1,
    max_size=6,
)


def citizen_of(n: int, sex: str, year: int) -> str:
    """A number whose sex-and-century digit and year match the particulars (the CCCD encodes both)."""
    digit = (0 if year < 2000 else 2) + (1 if sex == "female" else 0)
    return f"001{digit}{year % 100:02d}{n:06d}"


def province(specs: list[tuple[str, int, str, str, str, bool]]) -> tuple[CommandContext, list[tuple[str, str, bool]]]:
    store = open_store("memory://", keyring=keyring_for_tests())
    seed_minimal_province(store)
    ctx = CommandContext(store, Bell(), TEST_PERSON_ID_KEY)
    enrol(ctx, 1)
    helper = person_id_of("001085000001")
    people = []
    for n, (sex, born, ethnicity, religion, outcome, erase) in enumerate(specs, start=10):
        year = min(born, 1995) if outcome == "member" else born  # a member was 18 when admitted (R-ELIG-AGE)
        number = citizen_of(n, sex, year)
        person_id = ctx.person_id_of(number)
        particulars = {"full_name": f"Người Thứ {'ABCDEFGHIJKLMNOP'[n - 10]}", "sex": sex,
                       "date_of_birth": f"{year}-0{1 + n % 9}-1{n % 9}", "ethnicity": ethnicity,
                       "religion": religion, "education": "university", "occupation": "public_employee"}  # fmt: skip
        if outcome == "member":
            take(ctx, SECRETARY, "enrollMember", person_id, f"e{n}", citizen_id=number, particulars=particulars,
                 cell_id="unit-school-cell-1", admitted_on="2019-05-01", ceremony_on="2019-05-19",
                 official_from="2020-05-19", roll_ref=f"Sổ {n}", occurred_on="2020-11-02",
                 expected_version=0)  # fmt: skip
            take(ctx, SECRETARY, "rateMember", person_id, f"r{n}", year=2021, grade=("good", "completed")[n % 2],
                 occurred_on="2021-12-20", expected_version=1)  # fmt: skip
            people.append((person_id, outcome, erase))
            continue
        take(ctx, SECRETARY, "nominateCandidate", person_id, f"n{n}", citizen_id=number, particulars=particulars,
             helper_id=helper, resolution_ref=f"NQ {n}", occurred_on="2021-03-01", expected_version=0)  # fmt: skip
        if outcome == "withdrawCandidate":
            take(ctx, SECRETARY, outcome, person_id, f"o{n}", reason="Xin rút", occurred_on="2021-06-01",
                 expected_version=1)  # fmt: skip
        elif outcome == "rejectCandidate":
            take(ctx, SECRETARY, outcome, person_id, f"o{n}", level="cell", reason="Chưa đủ tiêu chuẩn",
                 occurred_on="2021-06-01", expected_version=1)  # fmt: skip
        people.append((person_id, outcome, erase))
    return ctx, people


def aggregates(store: EventStore) -> dict[str, dict[str, dict[str, Any]]]:
    """Every read model's rows, replayed from the log, without the rows keyed by a person's stream."""
    events: list[RecordedEvent] = []
    after = 0
    while page := store.read_all(after_position=after, limit=500).events:
        events += page
        after = page[-1].position
    units = sorted({e.unit_id for e in events} | {e.also_unit_id for e in events if e.also_unit_id})
    counted = [p for p in PROJECTIONS if p.name != "unit_activity"]  # it counts entries: an erasure is one
    rows = replay_partitions(store, units, events, lambda _: True, counted)
    return {
        name: {unit: {k: v for k, v in kept.items() if "person-" not in k} for unit, kept in by_unit.items()}
        for name, by_unit in rows.items()
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(candidates)
def test_erasing_any_people_keeps_every_count_and_the_proof(specs: list[tuple[str, int, str, str, str, bool]]) -> None:
    ctx, people = province(specs)
    before = aggregates(ctx.store)
    for person_id, outcome, erase in people:
        if erase:
            ground = ErasureGround.STATE_DECISION if outcome in ("open", "member") else ErasureGround.PURPOSE_COMPLETE
            erase_person(ctx, ErasureRequest(SCHOOL, person_id, ground, "QĐ 3/QĐ-ĐU", date(2026, 12, 1)))
    assert ctx.store.verify().ok
    assert aggregates(ctx.store) == before
    for person_id, _, erase in people:
        assert ctx.people.load(ctx.store, person_id).erased is erase
