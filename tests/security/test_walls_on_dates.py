"""I8 on every date: authority is judged on today's tree and the caller's unit as it is today; a past `on`
only chooses which of the units the caller may see today an answer covers, and a back-dated paper writes only
where the caller governs today.

The reorganisation: unit-school-cell-5 (with a member) leaves the Political School for another grassroots
committee under the bloc on 01/12/2026,
a date in the past whenever the suite runs; unit-school-cell-4 is dissolved into cell-3 on the
same day. Expected answers are written out per (query, on, role), not derived from the app's own tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.projection_runtime import catch_up_every_unit
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import Desk, citizen, particulars, person
from tests.security.conftest import log_state
from tests.support.person_ids import KEY_SETTING

MOVED, DISSOLVED, HEIR = "unit-school-cell-5", "unit-school-cell-4", "unit-school-cell-3"
AGENCY = "unit-agency"
REORGANISED = date(2026, 12, 1)
BEFORE, AFTER = "2026-11-15", "2026-12-03"
QUERIES = {
    "getDashboard": "/dashboard?year=2026",
    "listFiles": "/files",
    "listDeadlines": "/deadlines",
    "listMembers": "/members",
    "getStatistics": "/statistics?year=2026",
}
NOT_FOUND = {"title": "No such resource in your units", "status": 404}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, Settings, Desk]]:
    folder = tmp_path_factory.mktemp("dated-walls")
    config = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    store = open_store(config.database_url)
    seed_minimal_province(store)
    store.close()
    with TestClient(app=create_app(config)) as client:
        desk = Desk(client, config)
        admin = desk.who(Role.PROVINCIAL_ADMIN, "unit-province")
        enrolled = desk.post(desk.who(Role.CELL_SECRETARY, MOVED), "/people/enrolment", {
            "citizen_id": citizen(7), "particulars": particulars("Đảng Viên Bảy"), "cell_id": MOVED,
            "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
            "roll_ref": "Sổ 7", "occurred_on": "2020-11-02", "expected_version": 0,
        })  # fmt: skip
        assert enrolled.status_code == 201, enrolled.text
        version = client.get("/units/unit-province", headers=admin).json()["tree_version"]
        agency = desk.post(admin, "/units", {
            "unit_id": AGENCY, "code": "SGD", "name": "Đảng bộ Sở Giáo dục", "kind": "grassroots_committee",
            "parent_id": "unit-bloc", "occurred_on": "2020-10-15", "expected_version": version,
        })  # fmt: skip
        assert agency.status_code == 201, agency.text
        common = {"effective_on": REORGANISED.isoformat(), "reference": "QĐ 99", "occurred_on": "2026-11-20"}
        moved = desk.post(admin, f"/units/{MOVED}/move",
                          {"parent_id": AGENCY, "expected_version": version + 1, **common})  # fmt: skip
        assert moved.status_code == 201, moved.text
        dissolved = desk.post(admin, f"/units/{DISSOLVED}/dissolution",
                              {"successor_id": HEIR, "expected_version": version + 2, **common})  # fmt: skip
        assert dissolved.status_code == 201, dissolved.text
        catch_up_every_unit(config)
        yield client, config, desk


def _get(world: tuple[Client, Settings, Desk], role: Role, unit: str, path: str) -> tuple[int, dict[str, Any]]:
    client, config, _ = world
    response = client.get(path, headers=bearer(config, role, unit))
    return response.status_code, response.json()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("operation", sorted(QUERIES))
@pytest.mark.parametrize("on", [None, BEFORE, AFTER])
def test_a_unit_that_left_the_callers_subtree_is_refused_on_every_date(
    world: tuple[Client, Settings, Desk], operation: str, on: str | None, role: Role
) -> None:
    path = f"/units/{MOVED}{QUERIES[operation]}" + (f"{'&' if '?' in QUERIES[operation] else '?'}on={on}" if on else "")
    status, body = _get(world, role, "unit-school", path)
    assert (status, {k: body.get(k) for k in NOT_FOUND}) == (404, NOT_FOUND)


@pytest.mark.parametrize("on", [BEFORE, AFTER])
def test_the_unit_that_took_it_in_sees_it_on_every_date(world: tuple[Client, Settings, Desk], on: str) -> None:
    status, body = _get(world, Role.VIEWER, AGENCY, f"/units/{MOVED}/members?on={on}")
    assert status == 200
    assert [m["full_name"] for m in body["members"]] == ["Đảng Viên Bảy"]


def test_a_past_date_does_not_bring_a_unit_that_left_into_the_schools_roll(
    world: tuple[Client, Settings, Desk],
) -> None:
    status, body = _get(world, Role.VIEWER, "unit-school", f"/units/unit-school/members?on={BEFORE}")
    assert status == 200
    assert "Đảng Viên Bảy" not in [m["full_name"] for m in body["members"]]


@pytest.mark.parametrize("on", [None, BEFORE])
def test_a_token_of_a_dissolved_unit_sees_nothing(world: tuple[Client, Settings, Desk], on: str | None) -> None:
    query = f"?on={on}" if on else ""
    status, body = _get(world, Role.CELL_SECRETARY, DISSOLVED, f"/units/{DISSOLVED}/members{query}")
    assert (status, {k: body.get(k) for k in NOT_FOUND}) == (404, NOT_FOUND)


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/term-targets", {"term": "2025-2030", "metric": "admissions", "target": 3, "reference": "NQ"}),
        ("/yearly-plans", {"year": 2026, "metric": "admissions", "planned": 1}),
    ],
)
def test_a_back_dated_paper_does_not_write_into_a_unit_that_left(
    world: tuple[Client, Settings, Desk], path: str, body: dict[str, object]
) -> None:
    client, config, desk = world
    officer = desk.who(Role.GRASSROOTS_OFFICER, "unit-school")
    version = client.get("/units/unit-school", headers=officer).json()["tree_version"]
    before = log_state(config)
    answer = desk.post(
        officer, f"/units/{MOVED}{path}", {**body, "occurred_on": "2026-11-10", "expected_version": version}
    )
    assert (answer.status_code, answer.json()["title"]) == (404, NOT_FOUND["title"])
    assert log_state(config) == before


def test_the_new_committee_sets_the_moved_cells_plan_whatever_the_papers_date(
    world: tuple[Client, Settings, Desk],
) -> None:
    client, _, desk = world
    officer = desk.who(Role.GRASSROOTS_OFFICER, AGENCY)
    version = client.get(f"/units/{AGENCY}", headers=officer).json()["tree_version"]
    body = {
        "year": 2026,
        "metric": "admissions",
        "planned": 1,
        "occurred_on": "2026-11-10",
        "expected_version": version,
    }
    assert desk.post(officer, f"/units/{MOVED}/yearly-plans", body).status_code == 201


@pytest.mark.parametrize(
    ("role", "operation", "body"),
    [
        (Role.GRASSROOTS_OFFICER, "particulars", {"particulars": particulars("Đảng Viên Bảy")}),
        (Role.GRASSROOTS_OFFICER, "violations", {"reason": "Vắng sinh hoạt"}),
        (Role.PROVINCIAL_ADMIN, "violations", {"reason": "Vắng sinh hoạt"}),
    ],
)
def test_a_back_dated_step_on_a_person_of_a_unit_that_left_is_refused(
    world: tuple[Client, Settings, Desk], role: Role, operation: str, body: dict[str, object]
) -> None:
    """Writes are judged on today's tree whatever the paper's date (I8): the school's officers, and an
    administrator assigned at the school, no longer reach the moved cell's member, even with a paper dated
    before the move."""
    _, config, desk = world
    before = log_state(config)
    paper = {**body, "occurred_on": "2026-11-10", "expected_version": 1}
    answer = desk.post(desk.who(role, "unit-school"), f"/people/{person(7)}/{operation}", paper)
    assert (answer.status_code, answer.json()["title"]) == (404, NOT_FOUND["title"])
    assert log_state(config) == before
