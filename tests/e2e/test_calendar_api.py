"""The working calendar over HTTP: every caller reads it; the administrator at the province declares days."""

from __future__ import annotations

from typing import Any

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer

STORM = {"day": "2025-09-08", "reason": "Bão số 7: nghỉ làm việc toàn tỉnh", "occurred_on": "2025-09-06"}


def declare(client: Client, headers: dict[str, str], path: str, version: int, key: str, **changes: Any) -> Any:
    body = STORM | {"expected_version": version} | changes
    return client.post(f"/calendar/{path}", json=body, headers=headers | {"Idempotency-Key": key})


def test_a_declared_day_off_is_read_by_every_caller_and_can_be_withdrawn(client: Client, settings: Settings) -> None:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province")
    viewer = bearer(settings, Role.VIEWER, "unit-school-cell-3")
    assert client.get("/calendar", headers=viewer).json() == {"version": 0, "days_off": [], "working_days": []}

    declared = declare(client, admin, "days-off", 0, "storm-0001")
    worked = declare(client, admin, "working-days", 1, "storm-0002", day="2025-09-13")

    assert (declared.status_code, worked.status_code) == (201, 201), declared.text
    assert declared.json()["stream_id"] == "calendar-province" and worked.json()["stream_version"] == 2
    assert worked.json()["last_position"] == client.get("/ready").json()["log_position"]
    assert client.get("/calendar", headers=viewer).json() == {
        "version": 2,
        "days_off": ["2025-09-08"],
        "working_days": ["2025-09-13"],
    }
    withdrawn = declare(client, admin, "withdrawals", 2, "storm-0003", reason="Nhầm ngày")
    assert withdrawn.status_code == 201, withdrawn.text
    assert client.get("/calendar", headers=viewer).json()["days_off"] == []


def test_retries_repeats_and_stale_versions(client: Client, settings: Settings) -> None:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province")
    first = declare(client, admin, "days-off", 0, "storm-0001")
    retry = declare(client, admin, "days-off", 0, "storm-0001")
    repeat = declare(client, admin, "days-off", 1, "storm-0002")  # already off: nothing to record
    stale = declare(client, admin, "working-days", 0, "storm-0003")
    reused = declare(client, admin, "days-off", 1, "storm-0001", day="2025-09-09")

    assert retry.json() == first.json() | {"duplicate": True}
    assert repeat.status_code == 201 and repeat.json()["duplicate"] and repeat.json()["stream_version"] == 1
    assert stale.status_code == 409 and stale.json()["current_version"] == 1
    assert reused.status_code == 422 and reused.json()["type"].endswith("idempotency-key-reused")
    assert client.get("/ready").json()["log_position"] == first.json()["last_position"]


def test_only_an_administrator_at_the_province_declares(client: Client, settings: Settings) -> None:
    before = client.get("/ready").json()["log_position"]
    for role, unit in (
        (Role.PROVINCIAL_ADMIN, "unit-bloc"),
        (Role.UPPER_OFFICER, "unit-province"),
        (Role.CELL_SECRETARY, "unit-school-cell-1"),
    ):
        refused = declare(client, bearer(settings, role, unit), "days-off", 0, "storm-0001")
        assert refused.status_code == 404, (role, unit, refused.text)
    blank = declare(
        client, bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province"), "days-off", 0, "storm-blank", reason=" "
    )
    assert blank.status_code == 422 and blank.json()["pointer"] == "/reason", blank.text
    assert client.get("/ready").json()["log_position"] == before
