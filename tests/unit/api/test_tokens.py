"""Bearer tokens: only ours, unexpired and unedited, name a caller; production brings its own key."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from services.commands.actors import Actor, Role
from services.settings import DEVELOPMENT_SIGNING_KEY, Settings, SettingsError
from services.tokens import InvalidToken, issue_token, read_token

KEY = "a-test-signing-key-of-at-least-32-characters"
THU = Actor(user_id="thu.nguyen", role=Role.CELL_SECRETARY, unit_id="unit-school-cell-1")


def test_a_token_names_its_user_role_and_unit() -> None:
    assert read_token(issue_token(THU, KEY, hours=1), KEY) == THU


def test_an_expired_token_is_refused() -> None:
    old = issue_token(THU, KEY, hours=1, now=datetime.now(UTC) - timedelta(hours=2))
    with pytest.raises(InvalidToken, match="expired"):
        read_token(old, KEY)


def test_a_token_signed_with_another_key_is_refused() -> None:
    with pytest.raises(InvalidToken):
        read_token(issue_token(THU, "another-key-that-is-also-long-enough!!", hours=1), KEY)


def _edit_payload(token: str, **changes: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims.update(changes)
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{edited}.{signature}"


@pytest.mark.parametrize("change", [{"role": "provincial_admin"}, {"unit": "unit-province"}, {"sub": "someone"}])
def test_a_token_with_an_edited_claim_is_refused(change: dict[str, str]) -> None:
    with pytest.raises(InvalidToken, match="Signature"):
        read_token(_edit_payload(issue_token(THU, KEY, hours=1), **change), KEY)


def test_an_unsigned_token_is_refused() -> None:
    claims = {
        "iss": "partyledger",
        "sub": "x",
        "role": "provincial_admin",
        "unit": "unit-province",
        "iat": 1,
        "exp": 4_000_000_000,
    }
    unsigned = jwt.encode(claims, key="", algorithm="none")  # "" is pyjwt's typed spelling of no key
    with pytest.raises(InvalidToken):
        read_token(unsigned, KEY)


def test_an_unknown_role_is_refused() -> None:
    forged = jwt.encode(
        {"iss": "partyledger", "sub": "x", "role": "emperor", "unit": "u", "iat": 1, "exp": 4_000_000_000},
        KEY,
        algorithm="HS256",
    )
    with pytest.raises(InvalidToken):
        read_token(forged, KEY)


def test_production_refuses_the_development_key() -> None:
    with pytest.raises(SettingsError, match="PARTYLEDGER_SIGNING_KEY"):
        Settings.from_environment({"PARTYLEDGER_ENVIRONMENT": "production"})
    with pytest.raises(SettingsError, match="PARTYLEDGER_SIGNING_KEY"):
        Settings.from_environment(
            {"PARTYLEDGER_ENVIRONMENT": "production", "PARTYLEDGER_SIGNING_KEY": DEVELOPMENT_SIGNING_KEY}
        )
    ok = Settings.from_environment(
        {
            "PARTYLEDGER_ENVIRONMENT": "production",
            "PARTYLEDGER_SIGNING_KEY": KEY,
            "PARTYLEDGER_PERSON_ID_KEY": KEY,
            "PARTYLEDGER_DATA_KEK": KEY,
        }
    )
    assert ok.signing_key == KEY
