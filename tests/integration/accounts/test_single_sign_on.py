"""Optional OpenID Connect (issue 19): a local provider started in the test (discovery, authorize, token, keys;
ID tokens signed RS256 with a key made here) and the dashboard's code flow through Authlib. The provider says
who the person is; the ledger's account and its role today decide whether they get a session."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from litestar.testing import TestClient

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.conftest import Client, bearer
from tests.support.processes import free_port

CLIENT_ID, CLIENT_SECRET = "partyledger-web", "a-client-secret-of-the-test"
REDIRECT = "http://testserver.local/web/sign-in/sso/callback"


@dataclass
class Provider:
    """A minimal OpenID provider: one user at a time (`who`), codes remembered with their nonce."""

    issuer: str
    key: RSAKey
    who: str = "bithu.sso"
    codes: dict[str, str] = field(default_factory=dict)
    signing_key: RSAKey | None = None

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": CLIENT_ID, "sub": f"sub-{self.who}", "preferred_username": self.who,
                  "nonce": nonce, "iat": now, "exp": now + 300}  # fmt: skip
        key = self.signing_key or self.key
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key)


def _handler(provider: Provider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _json(self, body: dict[str, Any], status: int = 200) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/.well-known/openid-configuration":
                self._json({"issuer": provider.issuer, "authorization_endpoint": f"{provider.issuer}/authorize",
                            "token_endpoint": f"{provider.issuer}/token", "jwks_uri": f"{provider.issuer}/jwks",
                            "response_types_supported": ["code"], "subject_types_supported": ["public"],
                            "id_token_signing_alg_values_supported": ["RS256"]})  # fmt: skip
            elif url.path == "/jwks":
                self._json(dict(KeySet([provider.key]).as_dict(private=False)))
            elif url.path == "/authorize":
                asked = {k: v[0] for k, v in parse_qs(url.query).items()}
                assert asked["client_id"] == CLIENT_ID and asked["redirect_uri"] == REDIRECT
                code = uuid.uuid4().hex
                provider.codes[code] = asked["nonce"]
                self.send_response(302)
                self.send_header("Location", f"{REDIRECT}?{urlencode({'code': code, 'state': asked['state']})}")
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            authorised = self.headers.get("Authorization", "").startswith("Basic ")
            nonce = provider.codes.pop(form.get("code", ""), None)
            if not authorised or nonce is None:
                self._json({"error": "invalid_grant"}, 400)
                return
            self._json({"access_token": "at", "token_type": "Bearer", "expires_in": 300,
                        "id_token": provider.id_token(nonce)})  # fmt: skip

    return Handler


@pytest.fixture
def provider() -> Iterator[Provider]:
    port = free_port()
    key = RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig", "alg": "RS256"})
    found = Provider(f"http://127.0.0.1:{port}", key)
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(found))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def client(tmp_path: Path, provider: Provider) -> Iterator[tuple[Client, Settings]]:
    settings = Settings.from_environment({
        "PARTYLEDGER_DATA_DIR": str(tmp_path), "PARTYLEDGER_BROKER_URL": "memory://",
        "PARTYLEDGER_OIDC_ISSUER": provider.issuer, "PARTYLEDGER_OIDC_CLIENT_ID": CLIENT_ID,
        "PARTYLEDGER_OIDC_CLIENT_SECRET": CLIENT_SECRET, "PARTYLEDGER_OIDC_REDIRECT_URI": REDIRECT,
    })  # fmt: skip
    store = open_store(settings.database_url)
    seed_minimal_province(store)
    store.close()
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as test_client:
        yield test_client, settings


def _account(client: Client, settings: Settings, login: str) -> None:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", "admin.tinhuy")
    made = client.post("/users/new", json={"login": login, "full_name": "Lê Thị Mai", "unit_id": "unit-school-cell-1"},
                       headers=admin)  # fmt: skip
    assert made.status_code == 201, made.text
    body = {"role": "cell_secretary", "unit_id": "unit-school-cell-1", "valid_from": "2025-10-01",
            "decision_ref": "QĐ 3-QĐ/ĐU"}  # fmt: skip
    assert client.post(f"/users/{made.json()['user_id']}/assignments", json=body, headers=admin).status_code == 201


def _through_the_provider(client: Client, tamper_state: bool = False) -> Any:
    start = client.get("/web/sign-in/sso", follow_redirects=False)
    assert start.status_code == 302 and start.headers["location"].startswith("http://127.0.0.1:")
    back = httpx.get(start.headers["location"], follow_redirects=False)
    assert back.status_code == 302
    callback = urlparse(back.headers["location"])
    query = callback.query.replace("state=", "state=x") if tamper_state else callback.query
    return client.get(f"{callback.path}?{query}", follow_redirects=False)


def test_single_sign_on_opens_the_ledgers_own_session(client: tuple[Client, Settings]) -> None:
    test_client, settings = client
    _account(test_client, settings, "bithu.sso")
    assert 'id="sso"' in test_client.get("/web/sign-in").text
    answer = _through_the_provider(test_client)
    assert answer.status_code == 200 and "Đã đăng nhập" in answer.text
    page = test_client.get("/web/units")
    assert page.status_code == 200 and "Lê Thị Mai" in page.text


def test_a_person_the_ledger_has_no_account_for_gets_no_session(
    client: tuple[Client, Settings], provider: Provider
) -> None:
    test_client, _ = client
    provider.who = "nguoi.la"
    answer = _through_the_provider(test_client)
    assert answer.status_code == 403 and "chưa có trong sổ" in answer.text
    assert test_client.get("/web/units", follow_redirects=False).status_code in (302, 303, 307)


def test_a_forged_state_or_id_token_is_refused(client: tuple[Client, Settings], provider: Provider) -> None:
    test_client, settings = client
    _account(test_client, settings, "bithu.sso")
    assert _through_the_provider(test_client, tamper_state=True).status_code == 401
    provider.signing_key = RSAKey.generate_key(2048, parameters={"kid": "k1"})  # not the published key
    assert _through_the_provider(test_client).status_code == 401
    assert test_client.get("/web/units", follow_redirects=False).status_code in (302, 303, 307)
