"""An empty id in any command body names nothing: refused naming the field, never recorded, never a log error.

Decisions: a person step's empty id (helper, mentor, sponsor, the unit a member transfers to) is a 422
`invalid-field` whose `pointer` names it, decided before any rule or the log reads it (it used to reach the
log's stream-id check: a 400 `invalid-event` naming nothing, or was even recorded). A unit command's ids are
declared non-empty in the document (400 naming the body), or name the wall (404, as for any unknown unit).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.security.conftest import World, log_state
from tests.security.openapi_bodies import OPERATIONS, example, fields_of, send, with_value, write_operations

Path = tuple[str | int, ...]


def _named(path: Path) -> str:
    """The field a path ends in (an item of a list of ids: the list)."""
    return next(str(step) for step in reversed(path) if isinstance(step, str))


def _probes(world: World, operation_id: str) -> list[tuple[Path, Any]]:
    """Every id field of the operation's body (nested ones too) sent empty, each answer with its path."""
    doc = world[3]
    (operation,) = (o for o in write_operations(doc) if o.operation_id == operation_id)
    body = example(doc, operation.schema, person=world[2])
    paths = [p for p in fields_of(doc, operation.schema, want="text") if _named(p).endswith(("_id", "_ids"))]
    return [(p, send(world, operation, with_value(body, p, ""), f"empty-{operation_id}-{p}")) for p in paths]


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_an_empty_id_is_refused_naming_it_and_records_nothing(world: World, operation_id: str) -> None:
    before = log_state(world[1])
    for path, answer in _probes(world, operation_id):
        problem = answer.json()
        assert answer.status_code in (400, 404, 422), (path, answer.text)
        assert not problem.get("type", "").endswith("/invalid-event"), (path, answer.text)
        if problem.get("type", "").endswith("/invalid-field"):
            assert _named(path) in problem["pointer"], answer.text
    assert log_state(world[1]) == before


@pytest.mark.parametrize(
    ("operation_id", "field", "pointer"),
    [
        ("holdCeremony", "mentor_id", "/mentor_id"),
        ("nominateCandidate", "helper_id", "/helper_id"),
        ("transferCandidate", "helper_id", "/helper_id"),
        ("recordSponsors", "sponsor_id", "/sponsors.sponsor_id"),
        ("introduceTransfer", "to_unit_id", "/to_unit_id"),
    ],
)
def test_a_person_steps_empty_id_is_an_invalid_field_with_its_pointer(
    world: World, operation_id: str, field: str, pointer: str
) -> None:
    (answer,) = (answer for path, answer in _probes(world, operation_id) if _named(path) == field)
    assert answer.status_code == 422, answer.text
    assert answer.json()["type"].endswith("/invalid-field") and answer.json()["pointer"] == pointer
