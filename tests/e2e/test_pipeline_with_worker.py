"""Read-your-writes with the real parts: PostgreSQL, Redis and a `celery worker` process behind the API.

The whole pipeline for one person goes in over HTTP; each command rings the worker after commit; the test then
reads the cell's dashboard with `min_position` and must see the new official member without any in-process
catch-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import CELL, Desk, walk_to_sponsored
from tests.support.person_ids import KEY_SETTING
from tests.support.processes import celery_worker
from tests.support.queues import queue_name


@pytest.fixture
def live(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[Client, Settings]]:
    env = {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_QUEUE": queue_name("e2e"),
        "PARTYLEDGER_DATA_DIR": str(tmp_path),
        **KEY_SETTING,
    }
    settings = Settings.from_environment(env)
    store = open_store(postgres_url)
    seed_minimal_province(store)
    store.close()
    with celery_worker(env, tmp_path / "worker.log"), TestClient(app=create_app(settings)) as client:
        yield client, settings


@pytest.mark.slow
def test_the_dashboard_read_with_min_position_shows_the_new_member(live: tuple[Client, Settings]) -> None:
    client, settings = live
    desk = Desk(client, settings)
    members = [desk.enrol(n) for n in (1, 2, 3, 4)]
    who = desk.nominate(9, members[0])
    v = walk_to_sponsored(desk, who, members)
    v = desk.step(desk.cell, who, "/cell-vote", v, "2021-12-15", yes=4, no=0, resolution_ref="NQ 20-NQ/CB")
    school = desk.who(Role.GRASSROOTS_OFFICER, "unit-school")
    v = desk.step(school, who, "/committee-resolution", v, "2021-12-20", yes=7, committee_size=9, resolution_ref="NQ 7")
    bloc = desk.who(Role.UPPER_OFFICER, "unit-bloc")
    v = desk.step(bloc, who, "/admission-decision", v, "2022-01-10", decision_ref="QĐ 101-QĐ/ĐUK")
    v = desk.step(desk.cell, who, "/admission-decision-receipt", v, "2022-01-12")
    v = desk.step(desk.cell, who, "/ceremony", v, "2022-01-20", mentor_id=members[1], ceremony_ref="BB lễ kết nạp")
    v = desk.step(desk.cell, who, "/new-member-course", v, "2022-06-01", certificate_ref="GCN ĐVM 3")
    v = desk.step(desk.cell, who, "/recognition-vote", v, "2023-02-01", yes=4, no=0, resolution_ref="NQ 2-NQ/CB")
    recognised = desk.post(
        bloc,
        f"/people/{who}/official-recognition",
        {"expected_version": v, "occurred_on": "2023-02-15", "decision_ref": "QĐ 55-QĐ/ĐUK"},
    )
    assert recognised.status_code == 201, recognised.text
    written = recognised.json()["last_position"]  # read-your-writes: the position this command answered

    board = client.get(
        f"/units/{CELL}/dashboard", params={"year": 2023, "min_position": written, "wait": 5}, headers=desk.cell
    )

    assert board.status_code == 200, board.text
    assert int(board.headers["X-Log-Position"]) == board.json()["position"] >= written
    assert board.json()["members"]["official"] == 5, (board.json()["members"], board.json()["funnel"])
    assert board.json()["figures"]["recognised"] == 1
