"""Security headers on every answer, set in one before-send hook so no page, error page, redirect or static
file can be served without them (a per-route header is forgotten on the next route).

The dashboard's pages run no script and load nothing from another origin (DESIGN §8): their policy allows only
the own stylesheet and forms posted back to the own origin. Everything else (JSON, the API document) needs
nothing at all. No page may be framed (clickjacking a signed-in officer into a step), no answer is sniffed
into another type, no address leaks in a Referer, and a page with personal data is never stored by a browser
or a proxy cache (a shared computer at a party office).
"""

from __future__ import annotations

from typing import Final

from litestar.datastructures import MutableScopeHeaders
from litestar.types import BeforeMessageSendHookHandler, Message, Scope

PAGE_POLICY: Final = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
API_POLICY: Final = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
ALWAYS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def security_headers(pages: str, static: str) -> BeforeMessageSendHookHandler:
    """The hook for `Litestar(before_send=…)`: `pages` is the dashboard's prefix, `static` its stylesheet
    folder (the one thing under it that may be cached: it holds no personal data)."""

    def add(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        headers = MutableScopeHeaders.from_message(message)
        path = scope["path"]
        page = _under(path, pages)
        headers["Content-Security-Policy"] = PAGE_POLICY if page else API_POLICY
        for name, value in ALWAYS.items():
            headers[name] = value
        if page and not _under(path, static):
            headers["Cache-Control"] = "no-store"

    return add
