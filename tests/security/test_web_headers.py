"""Every dashboard answer carries its security headers: a policy that allows no script and no other origin,
no framing, no type sniffing, no Referer, and pages with personal data are never stored by a cache. Signed-in
pages, error pages, redirects, form refusals and the stylesheet alike."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.web_support import CELL, sign_in

WEB = Path(__file__).resolve().parents[2] / "services" / "api" / "web"


def assert_guarded(answer: httpx.Response) -> None:
    policy = answer.headers.get("content-security-policy", "")
    directives = {d.strip().split(" ", 1)[0]: d.strip() for d in policy.split(";") if d.strip()}
    assert directives.get("default-src") == "default-src 'none'", policy
    assert directives.get("frame-ancestors") == "frame-ancestors 'none'", policy
    assert "script-src" not in directives and "unsafe-inline" not in policy and "http" not in policy, policy
    assert answer.headers.get("x-content-type-options") == "nosniff"
    assert answer.headers.get("referrer-policy") in {"no-referrer", "same-origin"}


def test_signed_in_pages_are_guarded_and_never_stored(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    for path in ("/web/units", f"/web/units/{CELL}", f"/web/units/{CELL}/files", f"/web/units/{CELL}/transfers"):
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.text)
        assert_guarded(answer)
        assert answer.headers.get("cache-control") == "no-store", path
        assert "<script" not in answer.text.lower()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/web/sign-in", 200),
        ("GET", "/web/units", 302),  # not signed in: to the sign-in page
        ("POST", "/web/sign-out", 403),  # no CSRF token
        ("GET", "/web/people/person-nobody", 302),
        ("GET", "/web/no-such-page", 404),
    ],
)
def test_every_other_dashboard_answer_is_guarded(client: Client, method: str, path: str, status: int) -> None:
    answer = client.request(method, path, follow_redirects=False)
    assert answer.status_code == status, answer.text
    assert_guarded(answer)
    assert answer.headers.get("cache-control") == "no-store"


def test_the_stylesheet_is_guarded_and_may_be_cached(client: Client) -> None:
    answer = client.get("/web/static/site.css")
    assert answer.status_code == 200
    assert_guarded(answer)
    assert answer.headers.get("cache-control") != "no-store"


def test_no_template_or_static_file_needs_a_script_or_another_origin() -> None:
    """What the policy forbids, the pages must not use (else they break silently in a browser)."""
    for file in [*(WEB / "templates").iterdir(), *(WEB / "static").iterdir()]:
        text = file.read_text().lower()
        assert "<script" not in text and "javascript:" not in text and " on" + "click=" not in text, file
        assert "style=" not in text and "<style" not in text, file  # inline style is refused too
        assert "http://" not in text and "https://" not in text, file
