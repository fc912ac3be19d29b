"""Hostile shapes: oversized and deeply nested bodies, impossible or absurd dates in every date field,
look-alike (confusable) identifiers and decomposed Vietnamese names.

Decisions, per field:
- Names, reasons and references (free text) are stored NFC: "Nguyễn" typed decomposed is the same name.
- Unit codes and ids, person ids and citizen ids are ASCII by rule, so a Cyrillic "Т" in a code is refused
  (422/400), never stored as a second code that looks like the first.
- A date that does not exist (1900-02-29) is a malformed body (400); year 1 and year 9999 are refused by the
  domain's date checks (422). Each refusal leaves the log unchanged, and nothing answers 5xx.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, Desk, particulars
from tests.security.conftest import World, log_state
from tests.security.openapi_bodies import OPERATIONS, example, fields_of, send, with_value, write_operations
from tests.security.test_hostile_input import NAMES_AN_ACCOUNT, refused_for_content

ADMIN = (Role.PROVINCIAL_ADMIN, "unit-province")
NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")


def _admin(settings: Settings, key: str) -> dict[str, str]:
    return bearer(settings, *ADMIN, user="shape.admin") | {"Idempotency-Key": key}


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_date_field_refuses_impossible_and_absurd_dates(world: World, operation_id: str) -> None:
    client, _, member, doc = world
    operation = next(o for o in write_operations(doc) if o.operation_id == operation_id)
    base = example(doc, operation.schema, person=member)
    for field in fields_of(doc, operation.schema, want="date"):
        for value in ["1900-02-29", "2023-02-29", "0001-01-01", "9999-12-31", "10000-01-01", "2022-13-01"]:
            head = client.app.state.ledger.store.head_position()
            answer = send(world, operation, with_value(base, field, value), f"date-{operation_id}-{field}-{value}")
            case = f"{operation_id} {'/'.join(map(str, field))}={value}: {answer.status_code} {answer.text[:300]}"
            assert refused_for_content(answer, names_a_thing=operation.path.startswith(("/units", NAMES_AN_ACCOUNT))), (
                case
            )
            assert client.app.state.ledger.store.head_position() == head, case


def test_a_body_over_the_size_limit_is_413(world: World) -> None:
    client, settings, _, _ = world
    before = log_state(settings)
    body = {"name": "Chi bộ " + "A" * settings.max_body_bytes, "occurred_on": "2022-01-03", "expected_version": 8}
    answer = client.post(f"/units/{CELL}/rename", json=body, headers=_admin(settings, "huge-body-1"))
    assert answer.status_code == 413, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert log_state(settings) == before


@pytest.mark.parametrize("depth", [64, 5_000, 100_000])
@pytest.mark.parametrize("where", ["whole body", "known field", "unknown field", "list field"])
def test_deeply_nested_json_is_400(world: World, depth: int, where: str) -> None:
    client, settings, _, _ = world
    before = log_state(settings)
    nested = "[" * depth + "]" * depth
    bodies = {
        "whole body": nested,
        "known field": f'{{"name": {nested}, "occurred_on": "2022-01-03", "expected_version": 8}}',
        "unknown field": f'{{"name": "Chi bộ", "x": {nested}, "occurred_on": "2022-01-03", "expected_version": 8}}',
        "list field": f'{{"subjects": {nested}, "occurred_on": "2022-01-03", "expected_version": 1}}',
    }
    path = "/people/person-00000000000000000000000000000000/verification" if where == "list field" else ""
    headers = _admin(settings, f"nested-{where}-{depth}") | {"Content-Type": "application/json"}

    answer = client.post(path or f"/units/{CELL}/rename", content=bodies[where].encode(), headers=headers)

    assert answer.status_code in (400, 413), answer.text
    assert log_state(settings) == before


def test_a_decomposed_vietnamese_name_is_stored_composed(client: Client, settings: Settings) -> None:
    desk = Desk(client, settings)
    helper = desk.enrol(1)
    body = {
        "citizen_id": "001185000055",
        "particulars": particulars(NFD_NAME) | {"sex": "female"},
        "helper_id": helper,
        "resolution_ref": unicodedata.normalize("NFD", "Nghị quyết số 5"),
        "occurred_on": "2020-12-01",
        "expected_version": 0,
    }
    answer = desk.post(desk.cell, "/people", body)
    assert answer.status_code == 201, answer.text

    event = client.app.state.ledger.store.read_stream(answer.json()["stream_id"])[0]
    stored = json.dumps([event.data, event.metadata], ensure_ascii=False)
    assert unicodedata.normalize("NFC", NFD_NAME) in stored and NFD_NAME not in stored
    assert "Nghị quyết số 5" in stored


def test_a_decomposed_unit_name_is_stored_composed(client: Client, settings: Settings) -> None:
    body = {"name": unicodedata.normalize("NFD", "Chi bộ Phòng Đào tạo"), "occurred_on": "2022-01-03"}
    answer = client.post(
        f"/units/{CELL}/rename", json=body | {"expected_version": 8}, headers=_admin(settings, "nfd-unit-1")
    )
    assert answer.status_code == 201, answer.text
    read = client.get(f"/units/{CELL}", headers=bearer(settings, *ADMIN)).json()
    assert read["name"] == "Chi bộ Phòng Đào tạo" == unicodedata.normalize("NFC", read["name"])


CONFUSABLE_UNITS = [
    ("code", "ТCT-CB9", 422),  # Cyrillic Т
    ("code", "TCT-СB9", 422),  # Cyrillic С
    ("code", "TCT\u2010CB9", 422),  # a hyphen that is not "-"
    ("code", "ＴＣＴ", 422),  # fullwidth
    ("unit_id", "unit-sсhool-cell-9", 400),  # Cyrillic с
    ("parent_id", "unit-sсhool", 404),  # a look-alike of an existing unit is no unit at all
]


@pytest.mark.parametrize(("field", "value", "status"), CONFUSABLE_UNITS)
def test_look_alike_unit_identifiers_are_refused(world: World, field: str, value: str, status: int) -> None:
    client, settings, _, _ = world
    before = log_state(settings)
    body = {
        "unit_id": "unit-school-cell-9",
        "code": "TCT-CB9",
        "name": "Chi bộ Thư viện",
        "kind": "cell",
        "parent_id": "unit-school",
        "occurred_on": "2022-01-03",
        "expected_version": 8,
    } | {field: value}
    key = f"confusable-{field}-{value.encode('unicode_escape').decode()}"
    answer = client.post("/units", json=body, headers=_admin(settings, key))
    assert answer.status_code == status, answer.text
    assert log_state(settings) == before


@pytest.mark.parametrize(
    "citizen_id", ["００１０８５０００１２３", "٠٠١٠٨٥٠٠٠١٢٣", "0010850001２3", "001085000123\u200b"]
)
def test_citizen_ids_in_other_digits_are_refused(world: World, citizen_id: str) -> None:
    client, settings, _, _ = world
    desk = Desk(client, settings)
    helper = desk.enrol(1)
    before = log_state(settings)
    body = {
        "citizen_id": citizen_id,
        "particulars": particulars("Người Lạ"),
        "helper_id": helper,
        "resolution_ref": "NQ 1",
        "occurred_on": "2020-12-01",
        "expected_version": 0,
    }
    assert desk.post(desk.cell, "/people", body).status_code == 422
    assert log_state(settings) == before


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.text(max_size=10),
    hidden=st.characters(categories=["Cc", "Cf", "Co"], exclude_characters="\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85"),
    suffix=st.text(max_size=10),
)
def test_any_hidden_character_anywhere_in_a_unit_name_is_refused(
    world: World, prefix: str, hidden: str, suffix: str
) -> None:
    client, settings, _, _ = world
    head = client.app.state.ledger.store.head_position()
    body = {"name": f"Chi bộ {prefix}{hidden}{suffix}", "occurred_on": "2022-01-03", "expected_version": 8}
    answer = client.post(f"/units/{CELL}/rename", json=body, headers=_admin(settings, f"hidden-{ord(hidden)}"))
    assert 400 <= answer.status_code < 500, answer.text
    assert client.app.state.ledger.store.head_position() == head
