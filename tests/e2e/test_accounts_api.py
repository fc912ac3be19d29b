"""Accounts over HTTP (issue 19): sign in as oneself, refresh, sign out, `/me`, and `/users` behind the walls.

A revoked user's access token stops within its lifetime (a few seconds here) and its refresh is refused at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import Client, bearer

CELL = "unit-school-cell-1"
NEW = "Mật-khẩu-riêng-2026"
LIFETIME_SECONDS = 6


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings.from_environment(
        {
            "PARTYLEDGER_DATA_DIR": str(tmp_path),
            "PARTYLEDGER_BROKER_URL": "memory://",
            "PARTYLEDGER_ACCESS_MINUTES": str(LIFETIME_SECONDS / 60),
        }
    )
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    return settings


@pytest.fixture
def client(settings: Settings) -> Iterator[Client]:
    with TestClient(app=create_app(settings)) as test_client:
        yield test_client


def admin(settings: Settings) -> dict[str, str]:
    return bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", "admin.tinhuy")


def secretary(client: Client, settings: Settings, login: str = "bithu.an") -> dict[str, Any]:
    made = client.post(
        "/users/new", json={"login": login, "full_name": "Nguyễn Văn An", "unit_id": CELL}, headers=admin(settings)
    )
    assert made.status_code == 201, made.text
    user: dict[str, Any] = made.json()
    assigned = client.post(
        f"/users/{user['user_id']}/assignments",
        json={"role": "cell_secretary", "unit_id": CELL, "valid_from": "2025-10-01", "decision_ref": "QĐ 12-QĐ/ĐU"},
        headers=admin(settings),
    )
    assert assigned.status_code == 201, assigned.text
    user["assignment_id"] = assigned.json()["assignment_id"]
    return user


def signed_in(client: Client, user: dict[str, Any]) -> dict[str, Any]:
    body = {"login": user["login"], "password": user["one_time_password"]}
    first = client.post("/auth/sign-in", json=body)
    assert first.status_code == 403 and first.json()["type"].endswith("/password-change-required")
    answer = client.post("/auth/sign-in", json=body | {"new_password": NEW})
    assert answer.status_code == 200, answer.text
    tokens: dict[str, Any] = answer.json()
    return tokens


def test_a_secretary_signs_in_as_herself_and_sees_her_role(client: Client, settings: Settings) -> None:
    user = secretary(client, settings)
    tokens = signed_in(client, user)
    assert tokens["expires_in"] == LIFETIME_SECONDS and tokens["token_type"] == "Bearer"
    me = client.get("/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200, me.text
    assert (me.json()["login"], me.json()["role"], me.json()["unit_id"]) == ("bithu.an", "cell_secretary", CELL)
    assert [a["assignment_id"] for a in me.json()["assignments"]] == [user["assignment_id"]]
    renewed = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert renewed.status_code == 200 and renewed.json()["refresh_token"] != tokens["refresh_token"]
    assert client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).status_code == 401
    assert client.post("/auth/sign-out", json={"refresh_token": renewed.json()["refresh_token"]}).status_code == 204
    assert client.post("/auth/refresh", json={"refresh_token": renewed.json()["refresh_token"]}).status_code == 401


def test_a_revoked_user_is_out_within_one_access_token(client: Client, settings: Settings) -> None:
    user = secretary(client, settings)
    tokens = signed_in(client, user)
    mine = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(f"/units/{CELL}", headers=mine).status_code == 200
    answer = client.post(
        f"/users/{user['user_id']}/deactivate", json={"reason": "Chuyển công tác"}, headers=admin(settings)
    )
    assert answer.status_code == 201 and answer.json()["active"] is False
    refused = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refused.status_code == 401 and refused.json()["type"].endswith("/session-ended")
    time.sleep(LIFETIME_SECONDS + 1.5)
    assert client.get(f"/units/{CELL}", headers=mine).status_code == 401
    again = client.post("/auth/sign-in", json={"login": "bithu.an", "password": NEW})
    assert again.status_code == 403 and again.json()["type"].endswith("/no-role")


def test_wrong_passwords_lock_the_account(client: Client, settings: Settings) -> None:
    user = secretary(client, settings)
    signed_in(client, user)
    unknown = client.post("/auth/sign-in", json={"login": "khong.co.ai", "password": "x"})
    for n in range(5):
        wrong = client.post("/auth/sign-in", json={"login": "bithu.an", "password": f"sai-{n}"})
        assert wrong.status_code == 401
        assert wrong.json() == unknown.json()  # an unknown login reads the same
    locked = client.post("/auth/sign-in", json={"login": "bithu.an", "password": NEW})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
    assert "khóa" in locked.json()["message_vi"]
    history = client.get(f"/users/{user['user_id']}/sign-ins", headers=admin(settings)).json()
    assert [h["outcome"] for h in history][:2] == ["locked", "wrong_password"]


def test_a_role_above_the_callers_own_is_refused(client: Client, settings: Settings) -> None:
    officer = bearer(settings, Role.GRASSROOTS_OFFICER, "unit-school", "canbo.truong")
    made = client.post(
        "/users/new", json={"login": "nguoi.moi", "full_name": "Lê Văn Cường", "unit_id": CELL}, headers=officer
    )
    assert made.status_code == 201, made.text
    body = {"role": "upper_officer", "unit_id": CELL, "valid_from": "2025-10-01", "decision_ref": "QĐ 1"}
    answer = client.post(f"/users/{made.json()['user_id']}/assignments", json=body, headers=officer)
    assert answer.status_code == 422 and answer.json()["rule_id"] == "R-ACCT-GRANT"


def test_user_management_answers_a_foreign_account_like_a_missing_one(client: Client, settings: Settings) -> None:
    user = secretary(client, settings)
    neighbour = bearer(settings, Role.GRASSROOTS_OFFICER, "unit-school-cell-2", "canbo.chibo2")
    missing = client.get("/users/user-does-not-exist", headers=neighbour)
    assert missing.status_code == 404
    for method, path, body in [
        ("GET", f"/users/{user['user_id']}", None),
        ("GET", f"/users/{user['user_id']}/sign-ins", None),
        ("POST", f"/users/{user['user_id']}/password-reset", {}),
        ("POST", f"/users/{user['user_id']}/sessions/revoke", {}),
        ("POST", f"/users/{user['user_id']}/deactivate", {"reason": "x"}),
        (
            "POST",
            f"/users/{user['user_id']}/assignments/{user['assignment_id']}/end",
            {"last_day": "2026-01-01", "reason": "x"},
        ),
        ("GET", f"/users/at/{CELL}", None),
    ]:
        answer = client.request(method, path, json=body, headers=neighbour)
        assert (answer.status_code, answer.json()) == (404, missing.json()), (method, path)
    assert client.get("/users", headers=neighbour).json() == []
    secretary_token = bearer(settings, Role.CELL_SECRETARY, CELL, "bithu.chibo1")
    assert client.get("/users", headers=secretary_token).status_code == 404


def test_who_holds_what_at_a_unit(client: Client, settings: Settings) -> None:
    user = secretary(client, settings)
    held = client.get(f"/users/at/{CELL}", params={"on": "2025-12-03"}, headers=admin(settings))
    assert held.status_code == 200
    assert [(h["login"], h["direct"], h["assignment"]["role"]) for h in held.json()] == [
        ("bithu.an", True, "cell_secretary")
    ]
    before = client.get(f"/users/at/{CELL}", params={"on": "2025-09-30"}, headers=admin(settings))
    assert before.json() == []
    ended = client.post(
        f"/users/{user['user_id']}/assignments/{user['assignment_id']}/end",
        json={"last_day": "2025-12-31", "reason": "Hết nhiệm kỳ"},
        headers=admin(settings),
    )
    assert ended.status_code == 201 and ended.json()["last_day"] == "2025-12-31"
    after = client.get(f"/users/at/{CELL}", params={"on": "2026-01-01"}, headers=admin(settings))
    assert after.json() == []
