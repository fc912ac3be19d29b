"""Issue 19 in a real headless Chromium over PostgreSQL: the administrator creates a cell secretary, assigns the
role; the secretary signs in, changes the one-time password, records the cell's vote; the administrator locks
the account, and the secretary is out at the next click and cannot sign in again. Screenshots at 1366 and
390 px wide (test-artifacts/web/accounts-*.png); no page is wider than a 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect

from eventstore import open_store
from services.api.app import create_app
from services.commands.accounts import bootstrap_admin
from services.commands.context import CommandContext
from services.credentials import CredentialStore, create_credential_tables
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.web_support import CELL, candidate_waiting_for_the_cell_vote
from tests.support.person_ids import KEY_SETTING

TIMEOUT_MS = 15_000
ADMIN_PASSWORD = "Quan-tri-Tinh-uy-2026"
SECRETARY_PASSWORD = "Bi-thu-chi-bo-2026"
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


@dataclass(frozen=True)
class Live:
    base: str
    settings: Settings
    client: Client
    browser: Browser
    admin_password: str


@pytest.fixture
def live(postgres_url: str, tmp_path: Path) -> Iterator[Live]:
    env = {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": "memory://",
        "PARTYLEDGER_DATA_DIR": str(tmp_path),
    } | KEY_SETTING  # the tests' person-id key, so the desk's ids are the server's
    settings = Settings.from_environment(env)
    store = open_store(postgres_url)
    seed_minimal_province(store)
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    create_credential_tables(engine)
    admin = bootstrap_admin(CommandContext(store), CredentialStore(engine), login="quantri", full_name="Trần Văn Bình")
    store.close()
    engine.dispose()
    with chromium() as browser, TestClient(app=create_app(settings)) as client, serving(create_app(settings)) as base:
        yield Live(base, settings, client, browser, admin.one_time_password)


def _context(live: Live, width: str) -> BrowserContext:
    w, h = WIDTHS[width]
    return live.browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")


def _sign_in(page: Page, live: Live, login: str, password: str, new_password: str | None = None) -> None:
    page.goto(f"{live.base}/web/sign-in")
    page.fill('form.card input[name="login"]', login)
    page.fill('form.card input[name="password"]', password)
    page.click("form.card button[type=submit]")
    if new_password is not None:
        expect(page.locator('input[name="new_password"]')).to_be_visible()
        page.fill('form.card input[name="password"]', password)
        page.fill('input[name="new_password"]', new_password)
        page.fill('input[name="new_password_again"]', new_password)
        page.click("form.card button[type=submit]")
    expect(page.locator("h1")).to_have_text("Cây tổ chức")


def _fits_a_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a phone"


def _both_widths(live: Live, cookie_page: Page, path: str, name: str) -> None:
    """The page as the signed-in administrator sees it at 1366 px and on a 390 px phone."""
    cookies = cookie_page.context.cookies()
    for width in WIDTHS:
        context = _context(live, width)
        context.add_cookies(cookies)  # type: ignore[arg-type]
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{live.base}{path}")
        screenshot(page, f"accounts-{name}-{width}")
        if width == "390":
            _fits_a_phone(page)
        context.close()


@pytest.mark.slow
def test_the_administrator_makes_a_secretary_who_works_and_is_then_locked_out(live: Live) -> None:
    who, _ = candidate_waiting_for_the_cell_vote(live.client, live.settings)
    for width in WIDTHS:
        context = _context(live, width)
        page = context.new_page()
        page.goto(f"{live.base}/web/sign-in")
        screenshot(page, f"accounts-sign-in-{width}")
        if width == "390":
            _fits_a_phone(page)
        context.close()

    admin_context = _context(live, "1366")
    admin = admin_context.new_page()
    admin.set_default_timeout(TIMEOUT_MS)
    _sign_in(admin, live, "quantri", live.admin_password, ADMIN_PASSWORD)
    admin.click("text=Người dùng")
    expect(admin.locator("h1")).to_have_text("Người dùng")
    form = admin.locator("#create-user")
    form.locator('input[name="login"]').fill("bithu.llcs")
    form.locator('input[name="full_name"]').fill("Nguyễn Thị Lan")
    form.locator('input[name="contact"]').fill("0912 345 678")
    form.locator('select[name="unit_id"]').select_option(label="Chi bộ Khoa Lý luận cơ sở")
    form.locator("button[type=submit]").click()
    expect(admin.locator("h1")).to_have_text("Nguyễn Thị Lan")
    one_time = admin.locator(".onetime").get_attribute("data-password") or ""
    assert len(one_time) >= 12
    screenshot(admin, "accounts-created-1366")
    user_path = "/web/users/" + admin.locator("#assign").get_attribute("action").split("/")[-2]  # type: ignore[union-attr]

    assign = admin.locator("#assign")
    assign.locator('select[name="role"]').select_option(label="Bí thư chi bộ")
    assign.locator('select[name="unit_id"]').select_option(label="Chi bộ Khoa Lý luận cơ sở")
    assign.locator('input[name="valid_from"]').fill("01/10/2025")
    assign.locator('input[name="decision_ref"]').fill("Quyết định số 12-QĐ/ĐU ngày 30/9/2025")
    assign.locator("button[type=submit]").click()
    expect(admin.locator("#assignments")).to_contain_text("Bí thư chi bộ")
    expect(admin.locator("#assignments")).to_contain_text("Đang giữ")
    _both_widths(live, admin, user_path, "user")
    _both_widths(live, admin, "/web/users", "users")
    _both_widths(live, admin, f"/web/holders?unit={CELL}", "holders")

    secretary_context = _context(live, "390")
    secretary = secretary_context.new_page()
    secretary.set_default_timeout(TIMEOUT_MS)
    _sign_in(secretary, live, "bithu.llcs", one_time, SECRETARY_PASSWORD)
    expect(secretary.locator("header .who")).to_contain_text("Nguyễn Thị Lan")
    secretary.goto(f"{live.base}/web/people/{who}")
    form = secretary.locator('form[data-operation="approveAtCell"]')
    details = secretary.locator('details:has(form[data-operation="approveAtCell"])')
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    form.locator('input[name="occurred_on"]').fill("15/12/2021")
    form.locator('input[name="resolution_ref"]').fill("NQ 20-NQ/CB")
    form.locator('input[name="yes"]').fill("4")
    form.locator('input[name="no"]').fill("0")
    form.locator('button[type="submit"]').click()
    expect(secretary.locator("main")).to_contain_text("Đã ghi vào sổ")
    expect(secretary.locator("main")).to_contain_text("Chi bộ đã đề nghị kết nạp")
    screenshot(secretary, "accounts-secretary-recorded-390")

    admin.goto(f"{live.base}{user_path}")
    expect(admin.locator("#sign-ins")).to_contain_text("Đăng nhập thành công")
    admin.locator('#deactivate input[name="reason"]').fill("Chuyển công tác")
    admin.locator("#deactivate button[type=submit]").click()
    expect(admin.locator("main")).to_contain_text("Đã khóa tài khoản")
    _both_widths(live, admin, "/web/sign-ins", "sign-ins")

    secretary.goto(f"{live.base}/web/units")
    expect(secretary.locator("h1")).to_have_text("Đăng nhập")  # out at the next click: the session is revoked
    secretary.fill('form.card input[name="login"]', "bithu.llcs")
    secretary.fill('form.card input[name="password"]', SECRETARY_PASSWORD)
    secretary.click("form.card button[type=submit]")
    expect(secretary.locator(".refusal")).to_have_text("Tài khoản này đã bị khóa.")
    screenshot(secretary, "accounts-secretary-out-390")
    _fits_a_phone(secretary)
