"""Hostile query parameters and bodies (not text, or values of another JSON type): a 4xx problem naming them.

Decisions:
- A value the document forbids (a status or stage that is not one, a term that is not `YYYY-YYYY`, an id past
  the databases' 64-bit integers, a control character in a filter) is Litestar's 400, naming the parameter
  in `errors` (`key`, `source`), before any query runs.
- A value of the documented form that the ledger cannot use (a term whose years run backwards, a date before
  1900) is a 422 `invalid-parameter` naming it.
- A body whose bytes are not UTF-8 is a 400: the request is malformed, whatever the JSON inside would say.
- A JSON value of another type than the document's (`"0"` for an integer, `0` for a boolean) is a 400 naming
  its path, never silently converted; a whole number written `3.0` is an integer, as JSON Schema reads it.
"""

from __future__ import annotations

import pytest

from services.commands.actors import Role
from tests.e2e.conftest import bearer
from tests.security.conftest import World, log_state

PROBLEM = "application/problem+json"


def _admin(world: World) -> dict[str, str]:
    return bearer(world[1], Role.PROVINCIAL_ADMIN, "unit-province", user="probe.admin")


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/units/unit-province/members?status=active", "status"),
        ("/units/unit-province/files?stage=Nominee", "stage"),
        ("/units/unit-province/dashboard?year=2024&term=abc", "term"),
        ("/units/unit-province/dashboard?year=-1", "year"),
        ("/units/unit-province/statistics?year=99999999999999999999", "year"),
        ("/units/unit-province/denials?before=9223372036854775808", "before"),
        ("/units/unit-province/files?min_position=9223372036854775808", "min_position"),
        ("/audit/units/unit-province/history?actor=user%00x", "actor"),
        ("/audit/units/unit-province/history?event_type=MemberRated&event_type=Member%00Rated", "event_type"),
        ("/audit/reads?user_id=user%00x", "user_id"),
    ],
)
def test_a_parameter_the_document_forbids_is_a_400_naming_it(world: World, path: str, parameter: str) -> None:
    answer = world[0].get(path, headers=_admin(world))
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM)
    assert parameter in {error.get("key") for error in answer.json()["errors"]}, answer.text


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/units/unit-province/dashboard?year=2024&term=2025-2020", "term"),
        ("/audit/units/unit-province/as-of/dashboard?on=2024-01-01&clock=occurred&term=2025-2020", "term"),
        ("/audit/units/unit-province/history?occurred_from=1066-10-14", "occurred_from"),
        ("/audit/units/unit-province/as-of/tree?on=0001-01-01&clock=recorded", "on"),
    ],
)
def test_a_parameter_the_ledger_cannot_use_is_a_422_naming_it(world: World, path: str, parameter: str) -> None:
    answer = world[0].get(path, headers=_admin(world))
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"].endswith("/invalid-parameter") and answer.headers["content-type"].startswith(PROBLEM)
    assert [error["key"] for error in problem["errors"]] == [parameter]


@pytest.mark.parametrize("path", ["/units", "/calendar/days-off", "/people/enrolment", "/units/unit-school/rename"])
@pytest.mark.parametrize("body", [b'{"reason": "\xff\xfe"}', b'{"name": "Chi b\xe1\xbb"}'])
def test_a_body_that_is_not_utf8_is_a_400_and_records_nothing(world: World, path: str, body: bytes) -> None:
    before = log_state(world[1])
    headers = _admin(world) | {"Idempotency-Key": "not-utf8-body", "Content-Type": "application/json"}
    answer = world[0].post(path, content=body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert answer.headers["content-type"].startswith(PROBLEM) and "UTF-8" in answer.json()["detail"]
    assert log_state(world[1]) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [({"expected_version": "0"}, "expected_version"), ({"reason": 7}, "reason"), ({"day": 20250908}, "day")],
)
def test_a_json_value_of_another_type_is_a_400_naming_it_not_a_coercion(
    world: World, change: dict[str, object], field: str
) -> None:
    before = log_state(world[1])
    body = {"day": "2025-09-08", "reason": "Bão số 7", "occurred_on": "2025-09-06", "expected_version": 0} | change
    headers = _admin(world) | {"Idempotency-Key": f"loose-{field}"}
    answer = world[0].post("/calendar/days-off", json=body, headers=headers)
    assert answer.status_code == 400, answer.text
    assert f"$.{field}" in answer.json()["errors"][0]["message"]
    assert log_state(world[1]) == before


def test_a_boolean_written_as_a_number_is_a_400_and_a_whole_float_is_an_integer(world: World) -> None:
    version = world[0].get("/units/unit-school-cell-2", headers=_admin(world)).json()["tree_version"]
    body = {"admission_delegated": 0, "reference": "QĐ 15-QĐ/TU", "occurred_on": "2024-03-15"}
    loose = world[0].post(
        "/units/unit-school-cell-2/admission-delegation",
        json=body | {"expected_version": version},
        headers=_admin(world) | {"Idempotency-Key": "loose-boolean"},
    )
    whole = world[0].post(
        "/units/unit-school-cell-2/admission-delegation",
        json=body | {"admission_delegated": False, "expected_version": float(version)},
        headers=_admin(world) | {"Idempotency-Key": "whole-float-version"},
    )
    assert loose.status_code == 400 and "$.admission_delegated" in loose.json()["errors"][0]["message"]
    assert whole.status_code == 201, whole.text
