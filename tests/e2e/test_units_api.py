"""Units over HTTP: walls, roles, idempotency, conflicts and refusals as problem details."""

from __future__ import annotations

from typing import Any

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer

ADMIN = (Role.PROVINCIAL_ADMIN, "unit-province")


def register_body(**changes: Any) -> dict[str, Any]:
    body = {
        "unit_id": "unit-school-cell-6",
        "code": "TCT-CB6",
        "name": "Chi bộ Khoa Lý luận chính trị",
        "kind": "cell",
        "parent_id": "unit-school",
        "occurred_on": "2022-01-10",
        "expected_version": 8,
    }
    return body | changes


def test_health_and_readiness(client: Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200 and ready.json()["log_position"] == 8


def test_the_schema_names_every_operation(client: Client) -> None:
    operations = {
        op["operationId"]
        for path in client.get("/schema/openapi.json").json()["paths"].values()
        for op in path.values()
    }
    assert {"health", "ready", "getUnit", "registerUnit", "renameUnit"} <= operations


def test_no_token_and_a_bad_token_are_401_problems(client: Client) -> None:
    for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic abc"}):
        response = client.get("/units/unit-school", headers=headers)
        assert response.status_code == 401
        assert response.headers["content-type"].startswith("application/problem+json")


def test_a_unit_in_the_callers_subtree_is_shown_with_its_path(client: Client, settings: Settings) -> None:
    response = client.get("/units/unit-school-cell-2", headers=bearer(settings, Role.VIEWER, "unit-bloc"))
    assert response.status_code == 200
    assert response.json()["path"] == ["unit-bloc", "unit-school"]
    assert response.json()["kind_vi"] == "Chi bộ"


def test_a_sibling_or_parent_unit_looks_exactly_like_a_missing_one(client: Client, settings: Settings) -> None:
    cell_1 = bearer(settings, Role.CELL_SECRETARY, "unit-school-cell-1")
    sibling = client.get("/units/unit-school-cell-2", headers=cell_1)
    parent = client.get("/units/unit-school", headers=cell_1)
    missing = client.get("/units/unit-nowhere", headers=cell_1)
    assert sibling.status_code == parent.status_code == missing.status_code == 404
    assert sibling.json()["detail"] == parent.json()["detail"] == missing.json()["detail"]


def test_registering_a_unit_answers_the_new_version_and_position(client: Client, settings: Settings) -> None:
    response = client.post(
        "/units", json=register_body(), headers=bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0001"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["stream_version"] == 9 and response.json()["last_position"] == 9


def test_a_retry_returns_the_first_answer_and_writes_nothing(client: Client, settings: Settings) -> None:
    headers = bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0002"}
    first = client.post("/units", json=register_body(), headers=headers).json()
    again = client.post("/units", json=register_body(), headers=headers)
    assert again.status_code == 201
    assert again.json() | {"duplicate": False} == first and again.json()["duplicate"]
    assert client.get("/ready").json()["log_position"] == 9


def test_a_reused_key_with_another_body_is_422(client: Client, settings: Settings) -> None:
    headers = bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0003"}
    client.post("/units", json=register_body(), headers=headers)
    response = client.post("/units", json=register_body(name="Chi bộ khác"), headers=headers)
    assert response.status_code == 422
    assert response.json()["type"].endswith("idempotency-key-reused")


def test_a_stale_version_is_409_with_the_current_version(client: Client, settings: Settings) -> None:
    response = client.post(
        "/units",
        json=register_body(expected_version=3),
        headers=bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0004"},
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 8


def test_a_broken_rule_is_422_with_its_id_in_both_languages(client: Client, settings: Settings) -> None:
    body = register_body(kind="grassroots_committee", parent_id="unit-school-cell-1")
    response = client.post("/units", json=body, headers=bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0005"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["rule_id"] == "R-UNIT-TREE"
    assert problem["message_en"] and problem["message_vi"] != problem["message_en"]
    assert client.get("/ready").json()["log_position"] == 8


def test_malformed_bodies_are_400_and_write_nothing(client: Client, settings: Settings) -> None:
    headers = bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0006"}
    for body in (
        register_body(colour="red"),
        register_body(occurred_on="31/12/2021"),
        register_body(kind="club"),
        register_body(expected_version="eight"),
    ):
        response = client.post("/units", json=body, headers=headers)
        assert response.status_code == 400, body
        assert response.headers["content-type"].startswith("application/problem+json")
    assert client.post("/units", content=b"{not json", headers=headers).status_code == 400
    assert client.post("/units", json=register_body(), headers=bearer(settings, *ADMIN)).status_code == 400
    assert client.get("/ready").json()["log_position"] == 8


def test_a_role_that_may_not_register_units_is_refused_like_a_missing_thing(client: Client, settings: Settings) -> None:
    for role, unit in (
        (Role.CELL_SECRETARY, "unit-school-cell-1"),
        (Role.AUDITOR, "unit-province"),
        (Role.VIEWER, "unit-province"),
        (Role.UPPER_OFFICER, "unit-bloc"),
    ):
        response = client.post(
            "/units", json=register_body(), headers=bearer(settings, role, unit) | {"Idempotency-Key": "request-0007"}
        )
        assert response.status_code == 404, role
    assert client.get("/ready").json()["log_position"] == 8


def test_an_oversized_body_is_413(client: Client, settings: Settings) -> None:
    body = register_body(name="x" * 300_000)
    response = client.post("/units", json=body, headers=bearer(settings, *ADMIN) | {"Idempotency-Key": "request-0008"})
    assert response.status_code == 413


def test_a_stranger_is_401_before_anything_about_the_request_is_judged(client: Client) -> None:
    for response in (
        client.post("/units", json=register_body(kind="club")),  # no token, no key, a bad field
        client.post("/units/unit-school/rename", content=b"{not json", headers={"Idempotency-Key": "k"}),
        client.get("/units/unit-school/files?limit=-3"),
        client.post("/people/not-a-person/cell-vote", json={"colour": "red"}),
    ):
        assert response.status_code == 401, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
