"""I8 as a matrix: every endpoint × caller position (own, child, sibling, parent unit) × role.

A refused request must be indistinguishable from a request for a thing that does not exist (same status, same
detail) and must leave the log untouched; an allowed one must get past the wall (it may still be refused by a
party rule or a stale version, 4xx, never 5xx). A new endpoint that is not in the table fails the test. The
positions, and why the "parent" position of a person endpoint puts the caller at a sub-committee, are described
in wall_table.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from litestar.testing import TestClient

from services.api.app import create_app
from services.commands.actors import Role
from services.commands.person_steps import STEPS
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import Desk, sample_body
from tests.e2e.wall_table import (
    ACCOUNTS,
    CREATING,
    FILE_REQUESTS,
    PERSON_POSITIONS,
    POSITIONS,
    PROVINCE_CALLERS,
    PROVINCE_PASSES,
    PROVINCE_WIDE,
    PUBLIC,
    ROLES_ALLOWED,
    UNSCOPED,
    WALL_PASSES,
)
from tests.support.person_ids import KEY_SETTING

ROLE_LETTERS = {
    Role.CELL_SECRETARY: "S",
    Role.GRASSROOTS_OFFICER: "G",
    Role.UPPER_OFFICER: "U",
    Role.PROVINCIAL_ADMIN: "A",
    Role.AUDITOR: "K",
    Role.VIEWER: "V",
}
UNIT_READS = {
    "getUnit": "",
    "getDashboard": "/dashboard?year=2022",
    "listFiles": "/files",
    "listDeadlines": "/deadlines",
    "listMembers": "/members",
    "getStatistics": "/statistics?year=2022",
    "listDenials": "/denials",
}

AUDIT_READS = {
    "listUnitHistory": "/audit/units/{unit}/history",
    "getDashboardAsOf": "/audit/units/{unit}/as-of/dashboard?on=2022-06-01&clock=recorded",
    "getTreeAsOf": "/audit/units/{unit}/as-of/tree?on=2022-06-01&clock=occurred",
    "checkReplay": "/audit/units/{unit}/replay-check",
    "verifyLog": "/audit/verify?unit_id={unit}",
    "getPersonHistory": "/audit/people/{person}/history",
    "getPersonAsOf": "/audit/people/{person}/as-of?on=2022-06-01&clock=occurred",
    "listSeals": "/audit/seals",
    "checkSeal": "/audit/seals/check?seal=" + "00" * 32 + "@1",
    "listAuditReads": "/audit/reads",
}
AUDIT_PERSON_READS = {"getPersonHistory", "getPersonAsOf"}


TREE_VERSION = 9
"""The seeded tree (8 units) and the sub-committee."""
UNIT_CHANGES = {
    # operation: (path below /units/{target}, body) — each refused by a rule or a no-op once past the walls
    "moveUnit": ("/move", {"parent_id": "{target}", "effective_on": "2022-01-03"}),
    "mergeUnit": ("/merger", {"successor_id": "{target}", "effective_on": "2022-01-03"}),
    "splitUnit": (
        "/split",
        {"successor_ids": ["{target}", "{target}"], "files_successor_id": "{target}", "effective_on": "2022-01-03"},
    ),
    "dissolveUnit": ("/dissolution", {"successor_id": "{target}", "effective_on": "2022-01-03"}),
    "reclassifyUnit": ("/reclassification", {"kind": "cell", "effective_on": "2022-01-03"}),
    "changeAdmissionDelegation": ("/admission-delegation", {"admission_delegated": False}),
    "setTermTarget": ("/term-targets", {"term": "2020-2025", "metric": "admissions", "target": 3}),
    "setYearlyPlan": ("/yearly-plans", {"year": 2022, "metric": "admissions", "planned": 1}),
}
CALENDAR = {"declareDayOff": "days-off", "declareWorkingDay": "working-days", "withdrawDayDeclaration": "withdrawals"}
DECISION = {"occurred_on": "2022-01-03", "expected_version": TREE_VERSION}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Client, Settings, dict[str, str]]]:
    """The seeded province, a sub-committee under the school, and a member enrolled in unit-school-cell-1."""
    from eventstore import open_store
    from services.embedded import seed_minimal_province

    folder = tmp_path_factory.mktemp("walls")
    settings = Settings.from_environment(
        {"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
    )
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    with TestClient(app=create_app(settings)) as client:
        sub = {"unit_id": "unit-school-sub", "code": "TCT-DUBP", "name": "Đảng ủy bộ phận Khối Đào tạo"}
        body = sub | {"kind": "sub_committee", "parent_id": "unit-school", "occurred_on": "2021-01-04"}
        headers = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province") | {"Idempotency-Key": "world-sub"}
        registered = client.post("/units", json=body | {"expected_version": TREE_VERSION - 1}, headers=headers)
        assert registered.json()["stream_version"] == TREE_VERSION, registered.text
        member = Desk(client, settings).enrol(1)
        yield client, settings, {"unit-school-cell-1": member}


def request(
    client: Client,
    settings: Settings,
    operation: str,
    role: Role,
    caller: str,
    target: str,
    people: dict[str, str],
    key: str,
) -> Any:
    headers = bearer(settings, role, caller) | {"Idempotency-Key": key}
    if operation in UNIT_READS:
        return client.get(f"/units/{target}{UNIT_READS[operation]}", headers=headers)
    if operation == "renameUnit":
        body = {"name": "Chi bộ Tên Mới"} | DECISION
        return client.post(f"/units/{target}/rename", json=body, headers=headers)
    if operation in UNIT_CHANGES:
        path, shape = UNIT_CHANGES[operation]
        filled = msgspec.json.decode(msgspec.json.encode(shape).replace(b"{target}", target.encode()))
        body = filled | DECISION | ({} if operation == "setYearlyPlan" else {"reference": "QĐ 1-QĐ/TU"})
        return client.post(f"/units/{target}{path}", json=body, headers=headers)
    if operation == "getCalendar":
        return client.get("/calendar", headers=headers)
    if operation in CALENDAR:
        body = {"day": "2022-01-04", "reason": "Nghỉ", "occurred_on": "2022-01-03", "expected_version": 0}
        return client.post(f"/calendar/{CALENDAR[operation]}", json=body, headers=headers)
    if operation == "registerUnit":
        body = {
            "unit_id": "unit-new-cell",
            "code": "NEW",
            "name": "Chi bộ Mới",
            "kind": "cell",
            "parent_id": target,
        } | DECISION
        return client.post("/units", json=body, headers=headers)
    person = people.get(target, "person-00000000000000000000000000000000")  # the person of the target's cell
    if operation in AUDIT_READS:
        return client.get(AUDIT_READS[operation].format(unit=target, person=person), headers=headers)
    if operation == "getPerson":
        return client.get(f"/people/{person}", headers=headers)
    if operation == "listNextSteps":
        return client.get(f"/people/{person}/next-steps", headers=headers)
    if operation == "listPersonReads":
        return client.get(f"/people/{person}/reads", headers=headers)
    if operation == "erasePersonalData":  # the member is serving: an allowed caller is refused by R-PRIVACY-ERASE
        body = {"ground": "purpose_complete", "decision_ref": "QĐ 5-QĐ/ĐU", "decided_on": "2026-12-01",
                "expected_version": 1}  # fmt: skip
        return client.post(f"/people/{person}/erasure", json=body, headers=headers)
    step = next(s for s in STEPS if s.operation_id == operation)
    body = sample_body(step.body)
    if "to_cell_id" in body:  # the receiving cell is checked against the walls too: keep it in the target's unit
        body["to_cell_id"] = target
    return client.post(step.route.replace("{person_id}", person), json=body, headers=headers)


def test_the_table_covers_every_operation(world: tuple[Client, Settings, dict[str, str]]) -> None:
    client, _, _ = world
    operations = {
        op["operationId"]
        for path in client.get("/schema/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert operations - PUBLIC - CREATING - FILE_REQUESTS - ACCOUNTS == set(ROLES_ALLOWED)


CASES = [(op, role, position) for op in sorted(ROLES_ALLOWED) for role in ROLE_LETTERS for position in POSITIONS]


def placed(operation: str, position: str) -> tuple[str, str, bool]:
    """(caller's unit, target unit, whether the wall lets the caller through) for an operation and position."""
    if operation in PROVINCE_WIDE:
        return PROVINCE_CALLERS[position], "unit-province", PROVINCE_PASSES[operation][position]
    person_reads = {"getPerson", "listNextSteps", "listPersonReads", "erasePersonalData", *AUDIT_PERSON_READS}
    is_person = operation in person_reads or any(s.operation_id == operation for s in STEPS)
    caller, target = (PERSON_POSITIONS if is_person else POSITIONS)[position]
    return caller, target, WALL_PASSES[position]


@pytest.mark.parametrize(("operation", "role", "position"), CASES)
def test_the_wall(world: tuple[Client, Settings, dict[str, str]], operation: str, role: Role, position: str) -> None:
    client, settings, people = world
    caller, target, passes = placed(operation, position)
    allowed = (passes or operation in UNSCOPED) and ROLE_LETTERS[role] in ROLES_ALLOWED[operation]
    before = client.get("/ready").json()["log_position"]
    key = f"wall-{operation}-{role}-{position}"

    answer = request(client, settings, operation, role, caller, target, people, key)

    assert answer.status_code < 500, answer.text
    if allowed:
        assert answer.status_code != 404, f"{role} at {caller} should reach {operation} on {target}: {answer.text}"
        return
    missing = client.get("/units/unit-nowhere", headers=bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province"))
    assert answer.status_code == 404, answer.text
    assert answer.json() == missing.json()  # nothing in a refusal tells it from a thing that does not exist
    assert client.get("/ready").json()["log_position"] == before
