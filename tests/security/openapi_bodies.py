"""Command bodies derived from the OpenAPI document, so a new operation is probed without editing the tests.

`write_operations` lists every POST with a JSON body; `example` builds a well-formed body with every property
(optional ones too); `fields_of` finds every string (or date) field, nested ones included, as a path into the
body; `with_value` puts a probe value at such a path.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from domain.calendar import CALENDAR_STREAM_ID
from domain.errors import DomainError
from services.api.app import create_app
from services.commands.actors import Role
from services.commands.tree_log import UNIT_TREE_STREAM
from services.settings import Settings
from tests.e2e.conftest import bearer
from tests.support.person_ids import KEY_SETTING, person_id_of

if TYPE_CHECKING:
    from tests.security.conftest import World

Path = tuple[str | int, ...]

KNOWN_VALUES = {
    "citizen_id": "001085000321",
    "unit_id": "unit-probe-cell",
    "parent_id": "unit-school",
    "cell_id": "unit-school-cell-1",
    "to_cell_id": "unit-school-cell-1",
    "to_unit_id": "unit-school-cell-1",
    "code": "PROBE",
}
"""Fields whose shape the API or the domain checks first: a valid value, so the probe reaches the others."""


@dataclass(frozen=True)
class Operation:
    operation_id: str
    path: str
    schema: dict[str, Any]


def resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The schema itself: references followed, a request body's `allOf` wrapper (which carries its examples)
    unwrapped, and a nullable union reduced to its non-null arm."""
    while "$ref" in schema or len(schema.get("allOf", ())) == 1:
        schema = schema["allOf"][0] if "allOf" in schema else schema
        if "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        chosen = [o for o in options if resolve(doc, o).get("type") != "null"]
        return resolve(doc, chosen[0]) if chosen else {"type": "null"}
    return schema


def write_operations(doc: dict[str, Any]) -> list[Operation]:
    found = []
    for path, methods in doc["paths"].items():
        post = methods.get("post")
        body = (post or {}).get("requestBody", {}).get("content", {}).get("application/json")
        if post and body:
            found.append(Operation(post["operationId"], path, resolve(doc, body["schema"])))
    return sorted(found, key=lambda o: o.operation_id)


def example(doc: dict[str, Any], schema: dict[str, Any], name: str = "", person: str = "") -> Any:
    """A well-formed value with every property; ids of people point at `person`."""
    schema = resolve(doc, schema)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {key: example(doc, sub, key, person) for key, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example(doc, schema.get("items", {}), name, person)]
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return False
    if kind == "string":
        if schema.get("format") == "date":
            return "2022-01-03"
        if name in KNOWN_VALUES:
            return KNOWN_VALUES[name]
        return person if name.endswith("_id") and person else "Mẫu thử"
    return None


def fields_of(doc: dict[str, Any], schema: dict[str, Any], *, want: str, at: Path = ()) -> list[Path]:
    """Paths of the fields of a kind: "text" (free strings: no enum, no date) or "date"."""
    schema = resolve(doc, schema)
    if schema.get("type") == "object" or "properties" in schema:
        return [
            path
            for key, sub in schema.get("properties", {}).items()
            for path in fields_of(doc, sub, want=want, at=(*at, key))
        ]
    if schema.get("type") == "array":
        return fields_of(doc, schema.get("items", {}), want=want, at=(*at, 0))
    if schema.get("type") != "string" or "enum" in schema:
        return []
    is_date = schema.get("format") == "date"
    return [at] if (want == "date") == is_date and schema.get("format") in (None, "date") else []


def with_value(body: Any, path: Path, value: Any) -> Any:
    changed = copy.deepcopy(body)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def _operation_ids() -> list[str]:
    """Read from the app's document without starting it (nothing is opened)."""
    app = create_app(
        Settings.from_environment(
            {"PARTYLEDGER_DATA_DIR": "/nonexistent", "PARTYLEDGER_BROKER_URL": "memory://"} | KEY_SETTING
        )
    )
    return [o.operation_id for o in write_operations(app.openapi_schema.to_schema())]


OPERATIONS = _operation_ids()


def _stream_of(operation: Operation, body: dict[str, Any], member: str) -> str:
    """The stream a command is decided on: the person's (named in the path, or a new file's), the working
    calendar's, or the unit tree's."""
    if "{person_id}" in operation.path:
        return member
    if "citizen_id" in body:  # a new file: its stream is named after the identity number, as the API names it
        try:
            return person_id_of(body["citizen_id"])
        except (DomainError, TypeError):
            return UNIT_TREE_STREAM  # the number itself is the probe: refused before any version matters
    return CALENDAR_STREAM_ID if operation.path.startswith("/calendar") else UNIT_TREE_STREAM


def send(world: World, operation: Operation, body: dict[str, Any], key: str) -> Any:
    """POST as the provincial administrator at the top, on the world's member or unit-school-cell-1."""
    client, settings, member, _ = world
    store = client.app.state.ledger.store
    url = operation.path.replace("{person_id}", member).replace("{unit_id}", "unit-school-cell-1")
    if "expected_version" in body:  # decided on the stream as it is now, so only the probed field can refuse
        stream = _stream_of(operation, body, member)
        body = body | {"expected_version": store.stream_version(stream)}
    headers = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", user="probe.admin") | {"Idempotency-Key": key}
    return client.post(url, json=body, headers=headers)
