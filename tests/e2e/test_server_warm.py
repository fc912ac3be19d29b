"""What a server process does before its first request (`Ledger.warm`): on an empty ledger it must not stop
the server from starting, and on a province it must not change what the first page says."""

from __future__ import annotations

from pathlib import Path

from litestar.testing import TestClient

from services.api.app import create_app
from services.commands.actors import Role
from services.ledger import Ledger
from services.settings import Settings
from tests.e2e.web_support import candidate_waiting_for_the_cell_vote, catch_up, sign_in
from tests.support.person_ids import KEY_SETTING


def test_an_empty_ledger_warms_up_without_a_tree_or_roll_ups(tmp_path: Path) -> None:
    empty = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    ledger = Ledger.open(empty)
    try:
        ledger.warm()
        ledger.heads.warm()
        assert ledger.tree().all_latest() == ()
    finally:
        ledger.close()


def test_a_warmed_process_shows_the_province_dashboard_as_a_cold_one_does(settings: Settings) -> None:
    with TestClient(app=create_app(settings)) as client:
        candidate_waiting_for_the_cell_vote(client, settings)  # a file with running clocks
    catch_up(settings)
    pages = []
    for warm in (False, True):
        app = create_app(settings)
        with TestClient(app=app) as client:
            if warm:
                app.state.ledger.warm()  # as `create_app(long_running=True)` does, without its process-wide GC settings
                app.state.ledger.heads.warm()
            sign_in(client, settings, Role.PROVINCIAL_ADMIN, "unit-province")
            answer = client.get("/web/units/unit-province", params={"year": 2021})
            assert answer.status_code == 200
            pages.append(answer.text.split('id="deadlines"')[1].split("</main>")[0])  # past the freshness line
    assert "Tổng hợp theo đơn vị trực thuộc" in pages[0] and '<td class="num">4</td>' in pages[0]  # children counted
    assert pages[0] == pages[1]
