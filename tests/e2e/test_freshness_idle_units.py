"""Freshness is judged on the units an answer covers (I10): an idle unit whose read models hold every event of
its own is caught up however far other units move the log's head, and a client's `min_position` that is no
event of the unit (or one already applied) is reflected at once."""

from __future__ import annotations

from services.commands.actors import Role
from services.projection_runtime import build_runtime, catch_up_every_unit
from services.reads import lag_of
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.test_unit_changes_api import SEEDED_VERSION, Admin


def _write_plan(client: Client, settings: Settings, unit: str, version: int) -> int:
    secretary = Admin(client, settings, Role.CELL_SECRETARY, unit)
    plan = secretary.post(
        f"/units/{unit}/yearly-plans", version, key=f"plan-{unit}", year=2025, metric="admissions", planned=1
    )
    assert plan.status_code == 201, plan.text
    last: int = plan.json()["last_position"]
    return last


def test_an_idle_unit_is_caught_up_while_another_unit_writes(client: Client, settings: Settings) -> None:
    _write_plan(client, settings, "unit-school-cell-1", SEEDED_VERSION)
    catch_up_every_unit(settings)
    written = _write_plan(client, settings, "unit-school-cell-2", SEEDED_VERSION + 1)  # no worker runs after it
    idle = bearer(settings, Role.VIEWER, "unit-school-cell-1")
    busy = bearer(settings, Role.VIEWER, "unit-school-cell-2")

    quiet = client.get("/units/unit-school-cell-1/dashboard", params={"year": 2025, "wait": 0}, headers=idle)
    asked = client.get(
        "/units/unit-school-cell-1/files", params={"min_position": written, "wait": 5}, headers=idle
    )  # the other cell's write concerns nothing this answer holds
    behind = client.get("/units/unit-school-cell-2/dashboard", params={"year": 2025, "wait": 0}, headers=busy)

    assert int(quiet.headers["X-Log-Position"]) < int(quiet.headers["X-Log-Head"]) == written
    assert (quiet.headers["X-Caught-Up"], quiet.headers["X-Log-Age"]) == ("true", "0.000")
    assert (asked.status_code, asked.headers["X-Caught-Up"]) == (200, "true")
    assert behind.headers["X-Caught-Up"] == "false" and float(behind.headers["X-Log-Age"]) > 0


def test_a_min_position_is_reflected_once_applied_or_when_it_is_no_event_of_the_units(
    client: Client, settings: Settings
) -> None:
    catch_up_every_unit(settings)
    written = _write_plan(client, settings, "unit-school-cell-2", SEEDED_VERSION)
    runtime = build_runtime(settings)
    try:
        other = lag_of(runtime.engine, runtime.store, ["unit-school-cell-1"], written)
        own = lag_of(runtime.engine, runtime.store, ["unit-school-cell-2"], written)
        runtime.runner.catch_up("unit-school-cell-2")
        applied = lag_of(runtime.engine, runtime.store, ["unit-school-cell-1", "unit-school-cell-2"], written)
        beyond = lag_of(runtime.engine, runtime.store, ["unit-school-cell-1"], written + 10**9)
    finally:
        runtime.close()

    assert (other.reflects_min_position, other.caught_up) == (True, True)
    assert (own.reflects_min_position, own.caught_up) == (False, False) and own.behind_since is not None
    assert (applied.reflects_min_position, applied.caught_up, applied.behind_since) == (True, True, None)
    assert (beyond.reflects_min_position, beyond.caught_up) == (False, False)  # not written yet: nobody holds it
