"""R-RETRACT in Chromium: from the person page's "Thu hồi" link to the confirmation, refused without a reason,
then retracted; the confirmation fits a laptop (1366 px) and a phone (390 px). Screenshots in test-artifacts/."""

from __future__ import annotations

from playwright.sync_api import expect

from services.api.app import create_app
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.test_web_retractions import trained_candidate
from tests.e2e.web_support import CELL, token

TIMEOUT_MS = 15_000


def test_an_officer_retracts_a_mistaken_entry_in_chromium(client: Client, settings: Settings) -> None:
    who = trained_candidate(client, settings)
    with chromium() as browser, serving(create_app(settings)) as base:
        for width, height in ((1366, 900), (390, 844)):
            context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN")
            page = context.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(f"{base}/web/sign-in")
            page.fill("#token", token(settings, Role.CELL_SECRETARY, CELL))
            page.click("form.service button[type=submit]")
            page.goto(f"{base}/web/people/{who}")
            page.click("a.retract")
            expect(page.locator("h1")).to_have_text("Thu hồi mục ghi nhầm")
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            screenshot(page, f"thu-hoi-xac-nhan-{width}")
            page.fill("textarea[name=reason]", " ")
            page.click("#retract-form button[type=submit]")
            expect(page.locator("#reason-error")).to_contain_text("Hãy ghi lý do thu hồi")
            screenshot(page, f"thu-hoi-thieu-ly-do-{width}")
            context.close()
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{base}/web/sign-in")
        page.fill("#token", token(settings, Role.CELL_SECRETARY, CELL))
        page.click("form.service button[type=submit]")
        page.goto(f"{base}/web/people/{who}")
        page.click("a.retract")
        page.fill("textarea[name=reason]", "Ghi nhầm ngày trên giấy chứng nhận")
        page.click("#retract-form button[type=submit]")
        expect(page.locator(".success")).to_contain_text("Đã ghi vào sổ")
        expect(page.locator("#stage")).to_have_text("Quần chúng ưu tú (nguồn)")
        expect(page.locator("#timeline tbody tr").first).to_contain_text("Thu hồi mục ghi nhầm")
        screenshot(page, "thu-hoi-xong-390")
        context.close()
