"""A real headless Chromium (Debian's package, through Playwright's `executable_path`) and the app served by
uvicorn on a free port: what the browser tests need, started privately and always stopped."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from litestar import Litestar
from playwright.sync_api import Browser, Page, sync_playwright

from tests.support.processes import free_port, wait_for
from tests.support.servers import in_ci

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"


def chromium_path() -> str:
    """Debian's chromium; missing fails in CI (`.ci/run` installs it) and skips elsewhere."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "chromium is needed for the browser tests: apt-get install chromium"
        if in_ci():
            pytest.fail(f"CI must not skip: {message}", pytrace=False)
        pytest.skip(message)
    return found


@contextmanager
def chromium() -> Iterator[Browser]:
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def serving(app: Litestar) -> Iterator[str]:
    """The app on 127.0.0.1 in a thread of this process; its lifespan opens and closes the ledger."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="web-under-test", daemon=True)
    thread.start()
    try:
        wait_for(lambda: server.started, 30, "uvicorn serving the app")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def screenshot(page: Page, name: str) -> None:
    """Keep what the page looked like, for people reviewing the run (never compared by the test)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
