"""OpenID Connect sign-in for a province that has a single sign-on (issue 19, optional): Authlib's OAuth 2.0
client for the authorization-code flow, joserfc (Authlib's JOSE library) to verify the ID token against the
provider's published keys.

The provider proves who the person is; the ledger still decides what they may do: the ID token's
`preferred_username` must be the login of an active account holding a role today (`sign_in_external`), and the
session is the ledger's own, revoked like any other. Off unless `PARTYLEDGER_OIDC_ISSUER` is set.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

SCOPE: Final = "openid profile"
TIMEOUT_SECONDS: Final = 10


class OidcRefused(Exception):
    """The provider's answer cannot be trusted (bad state, token, signature, issuer, audience or nonce)."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str


@lru_cache(maxsize=8)
def _metadata(issuer: str) -> dict[str, Any]:
    session = OAuth2Session()
    answer = session.get(
        issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS, withhold_token=True
    )
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    if found.get("issuer") != issuer:
        raise OidcRefused("the discovery document names another issuer")
    return found


def _client(provider: Provider) -> OAuth2Session:
    return OAuth2Session(provider.client_id, provider.client_secret, scope=SCOPE, redirect_uri=provider.redirect_uri)


def start(provider: Provider) -> tuple[str, str, str]:
    """Where to send the browser, and the state and nonce to keep until it comes back."""
    nonce = secrets.token_urlsafe(24)
    endpoint = _metadata(provider.issuer)["authorization_endpoint"]
    url, state = _client(provider).create_authorization_url(endpoint, nonce=nonce)
    return url, state, nonce


def finish(provider: Provider, *, code: str, state: str, kept_state: str, nonce: str) -> dict[str, Any]:
    """Exchange the code, verify the ID token (signature, issuer, audience, expiry, nonce); its claims."""
    if not kept_state or not secrets.compare_digest(state, kept_state):
        raise OidcRefused("state mismatch")
    metadata = _metadata(provider.issuer)
    try:
        tokens = _client(provider).fetch_token(
            metadata["token_endpoint"], code=code, timeout=TIMEOUT_SECONDS, state=state
        )
        keys = KeySet.import_key_set(
            OAuth2Session().get(metadata["jwks_uri"], timeout=TIMEOUT_SECONDS, withhold_token=True).json()
        )
        token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256", "ES256"])
        registry = jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": provider.issuer},
            aud={"essential": True, "value": provider.client_id},
            nonce={"essential": True, "value": nonce},
            exp={"essential": True},
            sub={"essential": True},
        )
        registry.validate(token.claims)
    except (JoseError, KeyError, ValueError) as exc:
        raise OidcRefused(type(exc).__name__) from exc
    except Exception as exc:  # the provider's own errors (OAuthError, a lost connection)
        raise OidcRefused(type(exc).__name__) from exc
    claims: dict[str, Any] = dict(token.claims)
    return claims
