"""The published OpenAPI document (`/schema/openapi.json`) is complete for every operation.

Each operation has a description and an example (every POST a request body example that its schema
accepts); declares every status the server answers besides success (problem details for 400, 401, 404, 429
from the rate limiter, 503 from a lost database, and for a command 409, 413, 422); and each request body
states what the server enforces on it: `additionalProperties: false`, and every length, pattern, bound and
enum msgspec checks (the body type's own JSON schema is the reference). A 201 sets no `Location`: the
answer names the stream, and the document declares no header for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema_rs
import msgspec
import pytest

from services.api.app import create_app
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.e2e.fuzz_support import DOCUMENT, OPERATION_IDS, ledger_settings

PUBLIC = frozenset({"health", "ready", "signIn", "refreshSession", "signOut"})
PROBLEM_JSON = "application/problem+json"
CONSTRAINTS = ("minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems", "enum")


def _operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op) for path, item in DOCUMENT["paths"].items() for method, op in item.items()
    }


OPERATIONS = _operations()
POSTS = sorted(op for op, (method, _, _) in OPERATIONS.items() if method == "post")


def _bodies() -> dict[str, type[msgspec.Struct]]:
    """Each command's body type, as its handler declares it (read without starting the app)."""
    app = create_app(ledger_settings(Path("/nonexistent")))
    found = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            data = handler.parsed_fn_signature.parameters.get("data")
            if handler.operation_id in POSTS and data is not None:
                found[handler.operation_id] = data.annotation
    return found


BODIES = _bodies()


def resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow references (`#/components/schemas/…` or `#/$defs/…`), a one-item `allOf` and a nullable union."""
    while True:
        if "$ref" in schema:
            schema = defs[schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("allOf", ())) == 1:
            schema = schema["allOf"][0]
        elif options := schema.get("oneOf") or schema.get("anyOf"):
            arms = [arm for arm in options if arm.get("type") != "null"]
            if len(arms) != 1:
                return schema
            schema = {**{k: v for k, v in schema.items() if k not in ("oneOf", "anyOf")}, **arms[0]}
        else:
            return schema


def constraints(schema: dict[str, Any], defs: dict[str, Any], at: str = "") -> Iterator[tuple[str, str, Any]]:
    """(path, keyword, value) for every constraint of a schema, its properties and its items."""
    schema = resolve(schema, defs)
    for keyword in CONSTRAINTS:
        if keyword in schema:
            yield at, keyword, tuple(sorted(schema[keyword])) if keyword == "enum" else schema[keyword]
    if schema.get("additionalProperties") is False:
        yield at, "additionalProperties", False
    for name, sub in schema.get("properties", {}).items():
        yield from constraints(sub, defs, f"{at}/{name}")
    if isinstance(schema.get("items"), dict):
        yield from constraints(schema["items"], defs, f"{at}/items")


def _body_schema(operation_id: str) -> dict[str, Any]:
    schema: dict[str, Any] = OPERATIONS[operation_id][2]["requestBody"]["content"]["application/json"]["schema"]
    return schema


@pytest.mark.parametrize("operation_id", OPERATION_IDS)
def test_every_operation_has_a_description_and_an_example(operation_id: str) -> None:
    method, _, operation = OPERATIONS[operation_id]
    assert operation.get("description", "").strip(), operation_id
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
    examples = [
        *body.get("examples", ()),
        *(example for parameter in operation.get("parameters", ()) for example in parameter.get("examples", {})),
        *(
            e
            for answer in operation["responses"].values()
            for c in answer.get("content", {}).values()
            for e in c.get("examples", {})
        ),
    ]
    assert examples, f"{operation_id} shows no example"
    if method == "post":
        assert body.get("examples"), f"{operation_id} has no request body example"


@pytest.mark.parametrize("operation_id", POSTS)
def test_every_request_body_example_is_valid_against_its_schema(operation_id: str) -> None:
    schema = _body_schema(operation_id)
    validator = jsonschema_rs.validator_for(
        {**{k: v for k, v in schema.items() if k != "examples"}, "components": DOCUMENT["components"]}
    )
    for example in schema["examples"]:
        validator.validate(example)


@pytest.mark.parametrize("operation_id", POSTS)
def test_every_request_body_states_what_the_server_enforces(operation_id: str) -> None:
    enforced = msgspec.json.schema(BODIES[operation_id])
    stated = set(constraints(_body_schema(operation_id), DOCUMENT["components"]["schemas"]))
    wanted = set(constraints(enforced, enforced.get("$defs", {})))
    assert ("", "additionalProperties", False) in wanted  # every command body refuses unknown fields
    assert wanted <= stated, sorted(wanted - stated)


@pytest.mark.parametrize("operation_id", [op for op in OPERATION_IDS if op not in PUBLIC])
def test_every_protected_operation_declares_its_token_and_every_status_it_answers(operation_id: str) -> None:
    method, _, operation = OPERATIONS[operation_id]
    assert operation["security"] == [{"bearer": []}]
    errors = {"400", "401", "404", "429", "503"} | ({"409", "413", "422"} if method == "post" else set())
    assert errors <= set(operation["responses"]), sorted(errors - set(operation["responses"]))
    for status in errors:
        assert list(operation["responses"][status]["content"]) == [PROBLEM_JSON], (operation_id, status)


def test_only_liveness_and_readiness_are_public_and_readiness_declares_its_503() -> None:
    assert {op for op, (_, _, operation) in OPERATIONS.items() if "security" not in operation} == PUBLIC
    assert "security" not in DOCUMENT
    assert set(OPERATIONS["ready"][2]["responses"]) == {"200", "503"}


def test_a_201_sets_no_location_and_the_document_declares_none(client: Client, settings: Settings) -> None:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province") | {"Idempotency-Key": "location-0001"}
    body = {"day": "2025-09-08", "reason": "Bão số 7", "occurred_on": "2025-09-06", "expected_version": 0}
    answer = client.post("/calendar/days-off", json=body, headers=admin)
    assert answer.status_code == 201 and "location" not in answer.headers
    served = client.get("/schema/openapi.json").json()
    assert served == json.loads(json.dumps(DOCUMENT))  # what these tests walk is what the app serves
    for operation_id in POSTS:
        assert not OPERATIONS[operation_id][2]["responses"].get("201", {}).get("headers"), operation_id
