"""Who is asking, by address: the TCP peer, unless the peer is one of our own proxies.

`X-Forwarded-For` is a header anyone can send. Trusted from any peer (uvicorn trusts it from loopback by
default), it let a caller spend a fresh rate budget per request and have its refusals recorded under an
address of its choosing. So the servers run uvicorn with `--no-proxy-headers` and this middleware, first in
the stack, decides once for everything that reads the address (the rate limiter's per-address count, the
record of a refusal): only when the peer is in `PARTYLEDGER_TRUSTED_PROXIES` (empty by default) is the client
the right-most forwarded address that is not itself a trusted proxy — what our own proxy saw, not what the
caller wrote to its left.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from litestar.middleware.base import DefineMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
LONGEST_ADDRESS = 64
"""A forwarded "address" longer than any IPv6 one is kept cut short (it is written into the denial record)."""


def networks(entries: Iterable[str]) -> tuple[Network, ...]:
    """The settings' addresses and ranges (`10.0.0.5`, `10.0.0.0/24`, `::1`) as networks."""
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str, forwarded: Sequence[str], trusted: Sequence[Network]) -> str:
    """The peer, or (from a trusted proxy) the right-most forwarded hop that is not a trusted proxy."""
    if not _trusted(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, trusted):
            return hop[:LONGEST_ADDRESS]
    return hops[0] if hops else peer


class ClientAddress:
    """ASGI middleware: `scope["client"]` becomes the client's address before anything reads it."""

    def __init__(self, app: ASGIApp, trusted: tuple[Network, ...]) -> None:
        self.app = app
        self.trusted = trusted

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if client and scope["type"] in ("http", "websocket"):
            forwarded = [v.decode("latin-1") for k, v in scope["headers"] if k == b"x-forwarded-for"]
            address = client_address(client[0], forwarded, self.trusted)
            if address != client[0]:
                scope["client"] = (address, 0)
        await self.app(scope, receive, send)


def client_addresses(trusted_proxies: Sequence[str]) -> list[DefineMiddleware]:
    """For `Litestar(middleware=…)`, first; nothing when no proxy is trusted (the peer is the client)."""
    if not trusted_proxies:
        return []
    return [DefineMiddleware(ClientAddress, trusted=networks(trusted_proxies))]
