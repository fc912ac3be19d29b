"""An officer's afternoon in a real headless Chromium, against PostgreSQL, Redis and a `celery worker` process:
sign in, find the cell without typing diacritics, read the funnel, be refused in Vietnamese, record the vote
through the form, see the worker's projection move the funnel, export Excel, and be refused a sibling cell."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from litestar.testing import TestClient
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.browser import ARTIFACTS, chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.desk import SIBLING, Desk, log_position
from tests.e2e.web_support import CELL, candidate_waiting_for_the_cell_vote, token
from tests.support.person_ids import KEY_SETTING
from tests.support.processes import celery_worker, wait_for
from tests.support.queues import queue_name

TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Live:
    base: str
    settings: Settings
    client: Client
    browser: Browser


@pytest.fixture
def live(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[Live]:
    env = {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_QUEUE": queue_name("web"),
        "PARTYLEDGER_DATA_DIR": str(tmp_path),
        **KEY_SETTING,
    }
    settings = Settings.from_environment(env)
    store = open_store(postgres_url)
    seed_minimal_province(store)
    store.close()
    with (
        chromium() as browser,
        celery_worker(env, tmp_path / "worker.log"),
        TestClient(app=create_app(settings)) as client,
        serving(create_app(settings)) as base,
    ):
        yield Live(base, settings, client, browser)


def _caught_up(live: Live) -> None:
    """Wait (bounded: 30 s, through the API's min_position) until the worker has projected the log's head."""
    head = log_position(live.client)
    headers = Desk(live.client, live.settings).cell

    def reflected() -> bool:
        answer = live.client.get(
            f"/units/{CELL}/dashboard", params={"year": 2021, "min_position": head, "wait": 5}, headers=headers
        )
        return int(answer.headers["X-Log-Position"]) >= head

    wait_for(reflected, 30, "the worker to project the seeded steps")


def _funnel(page: Page, stage: str) -> str:
    return page.locator(f'#funnel svg g[data-key="{stage}"]').get_attribute("data-count") or ""


def _funnel_once_projected(page: Page, wanted: tuple[str, str], seconds: float = 30) -> tuple[str, str]:
    """(Sponsored, CellApproved) as an officer sees them, reloading like one while a busy worker catches up."""
    deadline = time.monotonic() + seconds
    while True:
        counts = (_funnel(page, "Sponsored"), _funnel(page, "CellApproved"))
        if counts == wanted or time.monotonic() > deadline:
            return counts
        page.reload()


def _vote(page: Page, yes: str, no: str) -> None:
    form = page.locator('form[data-operation="approveAtCell"]')
    details = page.locator('details:has(form[data-operation="approveAtCell"])')
    if details.get_attribute("open") is None:  # a refused form comes back open, with what was typed
        details.locator("> summary").click()
    form.locator('input[name="occurred_on"]').fill("15/12/2021")
    form.locator('input[name="resolution_ref"]').fill("NQ 20-NQ/CB")
    form.locator('input[name="yes"]').fill(yes)
    form.locator('input[name="no"]').fill(no)
    form.locator('button[type="submit"]').click()


@pytest.mark.slow
def test_an_officer_works_through_the_dashboard_in_chromium(live: Live) -> None:
    who, _ = candidate_waiting_for_the_cell_vote(live.client, live.settings)
    _caught_up(live)
    _auditor_reads_both_clocks(live)
    context = live.browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []  # what the pages' Content-Security-Policy refused: nothing, or the policy broke a page
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )

    page.goto(f"{live.base}/web/sign-in")
    screenshot(page, "01-dang-nhap")
    page.fill("#token", token(live.settings, Role.CELL_SECRETARY, CELL))
    page.click("form.service button[type=submit]")
    expect(page.locator("h1")).to_have_text("Cây tổ chức")

    page.fill("#q", "khoa ly luan")  # no diacritics typed
    page.click("form.search button")
    page.click("ul.results a:text('Chi bộ Khoa Lý luận cơ sở')")
    expect(page.locator("h1")).to_contain_text("Chi bộ Khoa Lý luận cơ sở")
    assert (_funnel(page, "Sponsored"), _funnel(page, "CellApproved")) == ("1", "0")
    expect(page.locator("#members-official .value")).to_have_text("4")
    expect(page.locator("footer.fresh")).to_contain_text("Số liệu đã cập nhật đầy đủ")
    screenshot(page, "02-bang-tong-hop")

    page.click('#funnel a:text("Đã có người giới thiệu")')
    expect(page.locator("#files tbody tr")).to_have_count(1)
    screenshot(page, "03-ho-so")
    page.click("#files tbody a")
    expect(page.locator("#stage")).to_have_text("Đã có người giới thiệu")

    _vote(page, yes="1", no="3")
    expect(page.locator(".refusal")).to_contain_text("R-VOTE-TWOTHIRDS")
    expect(page.locator(".refusal")).to_contain_text("chỉ có 1/4 phiếu tán thành; cần ít nhất 3 phiếu")
    screenshot(page, "04-tu-choi")

    _vote(page, yes="4", no="0")
    expect(page.locator(".success")).to_contain_text("Đã ghi vào sổ")
    expect(page.locator("#timeline tbody tr").first).to_contain_text("Chi bộ xét, đề nghị kết nạp")
    screenshot(page, "05-dong-thoi-gian")
    page.click("#to-dashboard")  # waits (bounded, 5 s a load) for the worker to project the new position
    assert _funnel_once_projected(page, ("0", "1")) == ("0", "1")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet held upright: nothing runs off the side
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "07-may-tinh-bang")

    page.click("nav.tabs a:text('Thống kê')")
    expect(page.locator("h1")).to_contain_text("Thống kê năm")
    screenshot(page, "06-thong-ke")
    with page.expect_download() as download:
        page.click("#export")
    assert download.value.suggested_filename == "thong-ke-TCT-CB1-" + page.url.split("year=")[-1][:4] + ".xlsx"
    saved = ARTIFACTS / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    figures = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert figures["Đảng viên chính thức"] == 4

    refused = page.goto(f"{live.base}/web/units/{SIBLING}")
    assert refused is not None and refused.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    assert who not in page.content()
    assert blocked == []
    context.close()


def _auditor_reads_both_clocks(live: Live) -> None:
    """An auditor opens the school's figures on 31/12/2020: true then, but not yet in the ledger then."""
    context = live.browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{live.base}/web/sign-in")
    page.fill("#token", token(live.settings, Role.AUDITOR, "unit-province"))
    page.click("form.service button[type=submit]")
    page.goto(f"{live.base}/web/audit/units/unit-school/as-of?on=31/12/2020")
    expect(page.locator('[data-clock="occurred"] .official')).to_have_text("4")
    expect(page.locator('[data-clock="recorded"] .official')).to_have_text("0")
    screenshot(page, "08-kiem-tra-hai-dong-ho")
    context.close()
