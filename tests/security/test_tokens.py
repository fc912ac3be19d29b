"""Bearer tokens that prove nothing get 401 with problem details, the log unchanged, and the refusal recorded:
unsigned (alg none), expired, signed with another key, a role or unit edited after signing, missing, malformed."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from services.commands.actors import Actor, Role
from services.denial_records import recent_denials
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.desk import CELL, particulars
from tests.security.conftest import World, log_state

CALLER = Actor("thu.nguyen", Role.CELL_SECRETARY, CELL)


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _edited(token: str, **claims: str) -> str:
    """The same signature over a payload with some claims changed (what a user editing their token gets)."""
    header, payload, signature = token.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return ".".join([header, _b64(decoded | claims), signature])


def _unsigned(settings: Settings) -> str:
    claims = jwt.decode(issue_token(CALLER, settings.signing_key, hours=1), options={"verify_signature": False})
    return jwt.encode(claims, key="", algorithm="none")  # "" is pyjwt's typed spelling of no key


TOKENS: dict[str, Callable[[Settings], str | None]] = {
    "missing": lambda s: None,
    "unsigned-alg-none": _unsigned,
    "expired": lambda s: issue_token(CALLER, s.signing_key, hours=1, now=datetime.now(UTC) - timedelta(hours=2)),
    "another-key": lambda s: issue_token(CALLER, "another-key-of-at-least-thirty-two-chars!", hours=1),
    "role-edited": lambda s: _edited(issue_token(CALLER, s.signing_key, hours=1), role="provincial_admin"),
    "unit-edited": lambda s: _edited(issue_token(CALLER, s.signing_key, hours=1), unit="unit-province"),
    "malformed": lambda s: "not.a.jwt",
    "empty-bearer": lambda s: "",
}


def _headers(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}"}


def _enrolment() -> dict[str, object]:
    return {
        "citizen_id": "001085000042",
        "particulars": particulars("Người Giả Mạo"),
        "cell_id": CELL,
        "admitted_on": "2010-05-01",
        "ceremony_on": "2010-05-19",
        "official_from": "2011-05-19",
        "roll_ref": "Sổ giả",
        "occurred_on": "2020-11-02",
        "expected_version": 0,
    }


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_a_write_with_a_token_that_proves_nothing_is_401_and_changes_nothing(world: World, kind: str) -> None:
    client, settings, _, _ = world
    before = log_state(settings)
    headers = _headers(TOKENS[kind](settings)) | {"Idempotency-Key": f"forged-{kind}"}

    answer = client.post("/people/enrolment", json=_enrolment(), headers=headers)

    assert answer.status_code == 401, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["status"] == 401
    assert log_state(settings) == before
    engine = client.app.state.ledger.engine
    client.app.state.ledger.denials.flush()  # recorded off the answer's path
    assert any(d.status == 401 and d.path == "/people/enrolment" for d in recent_denials(engine, limit=5))


@pytest.mark.parametrize("kind", sorted(TOKENS))
def test_a_read_with_a_token_that_proves_nothing_is_401(world: World, kind: str) -> None:
    client, settings, _, _ = world
    answer = client.get(f"/units/{CELL}/members", headers=_headers(TOKENS[kind](settings)))

    assert answer.status_code == 401, answer.text
    assert "unit-school" not in answer.text  # nothing about the unit leaks to a stranger


def test_an_edited_token_is_recorded_with_the_claims_it_made_marked_unverified(world: World) -> None:
    client, settings, _, _ = world
    client.get(f"/units/{CELL}", headers=_headers(TOKENS["role-edited"](settings)))

    client.app.state.ledger.denials.flush()  # recorded off the answer's path

    denial = recent_denials(client.app.state.ledger.engine, limit=1)[0]
    claimed = (denial.status, denial.user_id, denial.role, denial.verified)
    assert claimed == (401, "thu.nguyen", "provincial_admin", False)
    assert "Signature verification failed" in denial.reason
