"""Request limits from settings: requests a minute per caller, and the largest body (413 above it).

The rate is counted per verified token user, else per client address, by Litestar's rate-limit middleware.
With several API processes the counts must be shared: when the broker is Redis (production) they live there;
otherwise (the embedded default, one process) in memory. A Redis that is down must not stop the ledger, so the
counter store fails open onto a per-process memory store until Redis answers again (the soak stops Redis).
A 429 is problem details with `Retry-After` (seconds until the window resets).
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from litestar import Request, Response
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.rate_limit import CacheObject, RateLimitConfig, RateLimitMiddleware, get_remote_address
from litestar.stores.base import Store
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis
from redis.exceptions import RedisError

from services.api.platform.problems import problem_response
from services.api.platform.security import read_bearer
from services.commands.actors import Actor
from services.settings import Settings

log = logging.getLogger(__name__)

STORE_NAME = "rate_limit"
UNLIMITED_PATHS = ["^/health$", "^/ready$", "^/metrics", "^/schema"]
"""Probes, scrapes and the API document are never counted (an orchestrator polls them)."""


class FailOpenStore(Store):
    """Redis while it answers, a process-local memory store while it does not (warned at most every 30 s)."""

    def __init__(self, primary: Store, fallback: Store | None = None) -> None:
        self.primary = primary
        self.fallback = fallback or MemoryStore()
        self._warned_at = 0.0

    def _failed(self, exc: Exception) -> Store:
        now = time.monotonic()
        if now - self._warned_at > 30:
            log.warning("rate-limit store unreachable (%s); counting in this process until it answers", exc)
            self._warned_at = now
        return self.fallback

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        try:
            await self.primary.set(key, value, expires_in)
        except (RedisError, OSError) as exc:
            await self._failed(exc).set(key, value, expires_in)

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        try:
            return await self.primary.get(key, renew_for)
        except (RedisError, OSError) as exc:
            return await self._failed(exc).get(key, renew_for)

    async def delete(self, key: str) -> None:
        try:
            await self.primary.delete(key)
        except (RedisError, OSError) as exc:
            await self._failed(exc).delete(key)

    async def delete_all(self) -> None:
        await self.fallback.delete_all()
        await self.primary.delete_all()

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        try:
            return await self.primary.expires_in(key)
        except (RedisError, OSError) as exc:
            return await self._failed(exc).expires_in(key)


class LimitMiddleware(RateLimitMiddleware):
    """Litestar's middleware, plus `Retry-After` once the caller's window is used up (RFC 9110 §10.2.3)."""

    def create_response_headers(self, cache_object: CacheObject) -> dict[str, str]:
        headers = super().create_response_headers(cache_object)
        if len(cache_object.history) >= self.max_requests:
            headers["Retry-After"] = str(max(1, cache_object.reset - int(time.time())))
        return headers


def caller_key(signing_key: str) -> Any:
    """Count per verified user (a forged token cannot spend someone else's budget), else per address."""

    def identify(request: Request[Any, Any, Any]) -> str:
        found = read_bearer(request.scope, request.headers, signing_key)
        if isinstance(found, Actor):
            return "user:" + found.user_id
        return "address:" + get_remote_address(request)

    return identify


def counter_store(settings: Settings) -> Store:
    """Shared counters in Redis when the broker is Redis (every API process sees them), else memory."""
    if settings.broker_url.startswith(("redis://", "rediss://")):
        client = Redis.from_url(settings.broker_url, socket_connect_timeout=0.5, socket_timeout=0.5)
        return FailOpenStore(RedisStore(client, namespace="partyledger-rate", handle_client_shutdown=True))
    return MemoryStore()


def rate_limit(settings: Settings) -> tuple[list[DefineMiddleware], dict[str, Store]]:
    """The middleware and its store for `Litestar(middleware=…, stores=…)`; nothing when the limit is 0."""
    if settings.rate_limit_per_minute <= 0:
        return [], {}
    config = RateLimitConfig(
        rate_limit=("minute", settings.rate_limit_per_minute),
        exclude=UNLIMITED_PATHS,
        identifier_for_request=caller_key(settings.signing_key),
        middleware_class=LimitMiddleware,
        store=STORE_NAME,
    )
    return [config.middleware], {STORE_NAME: counter_store(settings)}


def too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[dict[str, Any]]:
    """JSON nested thousands deep exhausts the decoder's recursion (found by the security probes: was a 500).
    No command body is nested more than three levels, so this is a malformed request, not a bug."""
    log.warning("request body on %s nested too deeply to decode", request.url.path)
    return problem_response("invalid-request", "The request is malformed", 400, "The JSON body is nested too deeply.")
