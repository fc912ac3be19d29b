"""Read models over HTTP, on a generated province: the worked example's figures, walls, and min_position."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from eventstore import open_store
from projections import queries
from services.api.app import create_app
from services.api.web.common import snapshot
from services.commands.actors import Actor, Role
from services.ledger import Ledger
from services.projection_runtime import catch_up_every_unit
from services.seed import generate_province
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.support.person_ids import KEY_SETTING


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder: Path = tmp_path_factory.mktemp("province")
    settings = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    store = open_store(settings.database_url)
    generate_province(store, scale="small", seed=2021)
    store.close()
    catch_up_every_unit(settings)
    return settings


@pytest.fixture
def api(province: Settings) -> Iterator[Client]:
    with TestClient(app=create_app(province)) as client:
        yield client


def test_the_political_school_dashboard_shows_the_worked_example(api: Client, province: Settings) -> None:
    response = api.get(
        "/units/unit-school/dashboard",
        params={"year": 2021, "on": "2021-12-31"},
        headers=bearer(province, Role.VIEWER, "unit-dcqd"),  # the bloc's successor since 2025 (I8: today's tree)
    )
    assert response.status_code == 200, response.text
    board = response.json()
    assert (board["figures"]["recognised"], board["figures"]["sent_up"], board["figures"]["trained"]) == (1, 1, 3)
    [target] = [t for t in board["targets"] if t["metric"] == "admissions"]
    assert target["term_target"] == 5
    assert int(response.headers["X-Log-Position"]) == board["position"] > 0


def test_the_bloc_rolls_up_its_grassroots_units(api: Client, province: Settings) -> None:
    """The bloc as it stood in 2021, read today by its successor: the units it still governs (I8)."""
    viewer = bearer(province, Role.VIEWER, "unit-dcqd")
    school = api.get("/units/unit-school/dashboard", params={"year": 2021, "on": "2021-12-31"}, headers=viewer).json()
    bloc = api.get("/units/unit-bloc/dashboard", params={"year": 2021, "on": "2021-12-31"}, headers=viewer).json()
    assert bloc["figures"]["trained"] >= school["figures"]["trained"]
    assert len(bloc["units"]) > len(school["units"])


def test_files_members_deadlines_and_statistics_answer_within_the_walls(api: Client, province: Settings) -> None:
    officer = bearer(province, Role.GRASSROOTS_OFFICER, "unit-school")
    for path, params in (("files", {}), ("members", {}), ("deadlines", {}), ("statistics", {"year": 2024})):
        response = api.get(f"/units/unit-school/{path}", params=params, headers=officer)
        assert response.status_code == 200, (path, response.text)
        assert response.json()["position"] > 0
    members = api.get("/units/unit-school/members", params={"limit": 5}, headers=officer).json()
    assert len(members["members"]) == 5 and members["next_cursor"]
    following = api.get(
        "/units/unit-school/members", params={"limit": 5, "cursor": members["next_cursor"]}, headers=officer
    ).json()
    assert {m["stream_id"] for m in following["members"]}.isdisjoint({m["stream_id"] for m in members["members"]})


def test_another_units_read_models_are_refused_like_missing_ones(api: Client, province: Settings) -> None:
    cell = bearer(province, Role.CELL_SECRETARY, "unit-school-cell-1")
    for path in ("dashboard?year=2024", "files", "members", "deadlines", "statistics?year=2024"):
        sibling = api.get(f"/units/unit-school-cell-2/{path}", headers=cell)
        parent = api.get(f"/units/unit-school/{path}", headers=cell)
        assert sibling.status_code == parent.status_code == 404, path


def test_min_position_beyond_the_log_answers_after_the_wait_and_says_it_is_behind(
    api: Client, province: Settings
) -> None:
    response = api.get(
        "/units/unit-school/files",
        params={"min_position": 10**15, "wait": 0.3},
        headers=bearer(province, Role.VIEWER, "unit-school"),
    )
    assert response.status_code == 200
    assert response.headers["X-Caught-Up"] == "false"


def test_the_deadline_board_is_paged_by_a_cursor_in_its_own_order(api: Client, province: Settings) -> None:
    viewer = bearer(province, Role.VIEWER, "unit-province")
    params: dict[str, Any] = {"on": "2024-06-28"}
    whole = api.get("/units/unit-province/deadlines", params=params | {"limit": 500}, headers=viewer).json()
    lists = ("open", "stale_papers", "breaches")
    assert whole["next_cursor"] is None and sum(len(whole[name]) for name in lists) > 3
    paged: dict[str, list[Any]] = {name: [] for name in lists}
    cursor, pages = None, 0
    while pages == 0 or cursor is not None:
        page = api.get(
            "/units/unit-province/deadlines",
            params=params | {"limit": 2} | ({"cursor": cursor} if cursor else {}),
            headers=viewer,
        ).json()
        assert all(len(page[name]) <= 2 for name in lists)
        for name in lists:
            paged[name] += page[name]
        cursor, pages = page["next_cursor"], pages + 1
    assert pages > 1 and paged == {name: whole[name] for name in lists}
    forged = api.get("/units/unit-province/deadlines", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=viewer)
    assert forged.status_code == 422 and forged.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("listing", ["files", "members"])
@pytest.mark.parametrize("cursor", ["bm90LWEtY3Vyc29y", "%%%", "WzEsMl0"])
def test_a_cursor_the_api_never_gave_is_a_422_naming_it(
    api: Client, province: Settings, listing: str, cursor: str
) -> None:
    viewer = bearer(province, Role.VIEWER, "unit-province")
    answer = api.get(f"/units/unit-province/{listing}", params={"cursor": cursor}, headers=viewer)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "cursor" in answer.text


SENSITIVE = ("ethnicity", "religion")


def _sensitive_values(rows: list[dict[str, Any]]) -> list[Any]:
    return [row[name] for row in rows for name in SENSITIVE if row.get(name) is not None]


def test_a_viewer_reads_no_named_persons_ethnicity_while_an_officer_does(api: Client, province: Settings) -> None:
    """Issue 20 item 5 (DOMAIN §4b): a named person's ethnicity and religion go only to the roles that record
    particulars; the counts by ethnicity and religion (HD 11) are the same for every role."""
    answers: dict[Role, dict[str, Any]] = {}
    for role in (Role.VIEWER, Role.AUDITOR, Role.GRASSROOTS_OFFICER):
        who = bearer(province, role, "unit-school")
        answers[role] = {
            path: api.get(f"/units/unit-school/{path}", params=params, headers=who).json()
            for path, params in (("files", {"limit": 500}), ("members", {"limit": 500}), ("statistics", {"year": 2024}))
        }
    told = answers[Role.GRASSROOTS_OFFICER]
    assert told["files"]["files"] and _sensitive_values(told["files"]["files"]), "the officer reads ethnicity"
    for role in (Role.VIEWER, Role.AUDITOR):
        seen = answers[role]
        assert [f["stream_id"] for f in seen["files"]["files"]] == [f["stream_id"] for f in told["files"]["files"]]
        assert _sensitive_values(seen["files"]["files"]) == []
        assert _sensitive_values(seen["members"]["members"]) == []
        assert [f["full_name"] for f in seen["files"]["files"]] == [f["full_name"] for f in told["files"]["files"]]
        assert seen["statistics"]["metrics"] == told["statistics"]["metrics"]
    assert any("ethnicity" in by for by in told["statistics"]["metrics"].values())


def test_the_dashboards_lists_withhold_a_named_persons_ethnicity_from_a_viewer(province: Settings) -> None:
    """The web pages read through the same rule (`services.reads.read_snapshot`) as the API."""
    ledger = Ledger.open(province)
    try:
        units = queries.subtree_units(ledger.tree(), "unit-school", date.today())
        read = {
            role: snapshot(
                ledger,
                queries.files,
                units,
                None,
                None,
                500,
                reader=Actor("user-test", role, "unit-school"),
                units=units,
            )
            for role in (Role.VIEWER, Role.CELL_SECRETARY)
        }
        assert [f.stream_id for f in read[Role.VIEWER].files] == [f.stream_id for f in read[Role.CELL_SECRETARY].files]
        assert all(f.ethnicity is None for f in read[Role.VIEWER].files)
        assert any(f.ethnicity is not None for f in read[Role.CELL_SECRETARY].files)
    finally:
        ledger.close()
