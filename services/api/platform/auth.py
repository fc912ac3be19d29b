"""The bearer token of a request's `Authorization` header (the token itself is `services.tokens`)."""

from __future__ import annotations


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer …` header; None for another scheme or no token."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
