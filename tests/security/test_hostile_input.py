"""Hostile text in every text field of every command body (fields derived from the OpenAPI document).

Decisions, per kind of field:
- Control and invisible characters (NUL, escape sequences, bell, zero-width space, bidi overrides) are refused
  in every text field: 4xx, the log unchanged (the domain's `normalise_text`; NUL is also refused by the log).
- SQL, HTML/script and path-traversal strings are text, not code: a step that is otherwise valid records them
  verbatim (NFC) — statements are parameterised and every reader escapes on output — and a refused step
  leaves the log unchanged. Never a 5xx.
The caller is the provincial administrator and the target an existing member, so the walls let every step
through to the command's own checks (the walls are probed in test_unit_walls_matrix and test_escalation).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.commands.actors import Role
from tests.e2e.conftest import bearer
from tests.security.conftest import World, log_state
from tests.security.openapi_bodies import OPERATIONS, example, fields_of, send, with_value, write_operations

CONTROL = ["Tên\x00ẩn", "Tên\x1b[31mđỏ", "Chuông\x07", "Tên\u200bẩn", "Tên\u202eđảo", "Tên\x7fxoá", "Tên\x85"]
INJECTION = [
    "'; DROP TABLE event_log; --",
    "Robert'); DELETE FROM idempotency_keys WHERE ('1'='1",
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "../../../../etc/passwd",
    "..\\..\\windows\\system32",
    "${jndi:ldap://x}{{7*7}}%00",
]


def _stored(world: World, text: str) -> bool:
    """The exact text is in the newest event (as data, not as anything it might have done)."""
    store = world[0].app.state.ledger.store
    newest = store.read_all(after_position=store.head_position() - 1).events[-1]
    return any(text in value for value in _strings([newest.data, newest.metadata]))


CONTENT_REFUSALS = {"invalid-field", "invalid-request", "invalid-event"}
"""Problem types that say the body itself is wrong (422 naming the field, 400 naming the pointer)."""


NAMES_A_SUCCESSOR = {"mergeUnit", "splitUnit", "dissolveUnit"}
"""Their example names successor units the shared world does not have (a real one would reorganise it for
every later probe), so the walls answer 404 before the paper is read. The unit router's paper check they go
through is proven in tests/unit/domain/test_units.py (a malformed paper refused even when nothing changes)."""


SECRETS_ONLY = ("/auth/", "/me/")
"""Sign-in, refresh, sign-out, password and TOTP bodies hold secrets that are compared, never stored or shown:
whatever their characters, a wrong one gets the one answer a wrong secret gets (401, or 204 for a sign-out
of an unknown session), so a probe cannot tell a malformed secret from a wrong one."""

NAMES_AN_ACCOUNT = "/users/{"
"""Their path names an account or assignment the shared world does not have, so the walls answer 404 before
the body is read, as for any foreign thing; the accounts' own checks are tests/unit/services/test_accounts.py."""


def refused_for_content(answer: Any, *, names_a_thing: bool) -> bool:
    """Refused because of the probed value, not a rule the example broke anyway. A malformed id, or a date on
    which the unit did not exist, names nothing: the walls' 404 is the right answer for those."""
    if names_a_thing and answer.status_code == 404:
        return True
    if answer.status_code == 422 and answer.json().get("rule_id") == "R-DATE-FUTURE":
        return True  # a date after today is refused for what it is, by its own rule
    return answer.status_code in (400, 422) and answer.json().get("type", "").rsplit("/", 1)[-1] in CONTENT_REFUSALS


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@pytest.mark.parametrize("operation_id", OPERATIONS)
def test_every_text_field_refuses_hidden_characters_and_keeps_injections_as_text(
    world: World, operation_id: str
) -> None:
    client, settings, member, doc = world
    operation = next(o for o in write_operations(doc) if o.operation_id == operation_id)
    base = example(doc, operation.schema, person=member)
    fields = fields_of(doc, operation.schema, want="text")
    for field in fields:
        for n, value in enumerate([*CONTROL, *INJECTION]):
            head = client.app.state.ledger.store.head_position()
            answer = send(world, operation, with_value(base, field, value), f"probe-{operation_id}-{field}-{n}")
            case = f"{operation_id} {'/'.join(map(str, field))}={value!r}: {answer.status_code} {answer.text[:300]}"
            assert answer.status_code < 500, case
            if operation.path.startswith(SECRETS_ONLY):  # compared, never stored: the log is untouched
                assert answer.status_code in (204, 400, 401, 422), case
                assert client.app.state.ledger.store.head_position() == head, case
            elif value in CONTROL:  # refused for its content, not by a rule the example broke anyway
                names = (
                    str(field[-1]).endswith(("_id", "_ids"))
                    or operation_id in NAMES_A_SUCCESSOR
                    or operation.path.startswith(NAMES_AN_ACCOUNT)
                )
                assert refused_for_content(answer, names_a_thing=names), case
                assert client.app.state.ledger.store.head_position() == head, case
            elif answer.status_code >= 400:
                assert 400 <= answer.status_code < 500, case
                assert client.app.state.ledger.store.head_position() == head, case
            elif client.app.state.ledger.store.head_position() != head:
                assert _stored(world, value), case
            else:
                assert answer.json()["duplicate"], case  # a step that changes nothing records nothing
    log_state(settings)  # every hash and chain still verifies


@pytest.mark.parametrize("text", INJECTION)
def test_injection_strings_in_a_valid_step_are_recorded_and_read_back_verbatim(world: World, text: str) -> None:
    client, settings, _, doc = world
    rename = next(o for o in write_operations(doc) if o.operation_id == "renameUnit")
    name = f"Chi bộ {text}"

    answer = send(world, rename, {"name": name, "occurred_on": "2022-01-03", "expected_version": 0}, f"verbatim-{text}")

    assert answer.status_code == 201, answer.text
    assert _stored(world, name)
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province")
    assert client.get("/units/unit-school-cell-1", headers=admin).json()["name"] == name
    assert client.get("/ready").status_code == 200  # the tables are all still there
