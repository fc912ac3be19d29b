"""R-PRIVACY-ERASE and R-PRIVACY-RETAIN in Chromium: the unit's list of files past their retention period and the
erasure form fit a phone (390 px), the form refuses an incomplete decision field by field, and a withdrawn
candidate's file is erased through it on a laptop (1366 px). Screenshots in test-artifacts/web/."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from domain.person.erasure import ErasureGround
from services.api.app import create_app
from services.commands.actors import Role
from services.commands.walls import today
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.desk import Desk, citizen, particulars, person
from tests.e2e.test_web_erasure import SCHOOL, recently_past_its_period, withdrawn_candidate
from tests.e2e.web_support import catch_up, token

TIMEOUT_MS = 15_000


def second_withdrawn(client: Client, settings: Settings, member: str) -> str:
    """Another candidate, withdrawn recently: within the notice period, listed but not yet erased."""
    desk = Desk(client, settings)
    body = {"citizen_id": citizen(8), "particulars": particulars("Nguyễn Thị Hồng Nhung"), "helper_id": member,
            "resolution_ref": "NQ 06-NQ/CB", "occurred_on": "2020-12-01", "expected_version": 0}  # fmt: skip
    answer = desk.post(desk.cell, "/people", body, key="second-nomination")
    assert answer.status_code == 201, answer.text
    withdrawal = {"reason": "Chuyển công tác", "occurred_on": recently_past_its_period(), "expected_version": 1}
    answer = desk.post(desk.cell, f"/people/{person(8)}/withdrawal", withdrawal, key="second-withdrawal")
    assert answer.status_code == 201, answer.text
    return person(8)


def signed_in(page: Page, base: str, settings: Settings) -> None:
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base}/web/sign-in")
    page.fill("#token", token(settings, Role.GRASSROOTS_OFFICER, SCHOOL))
    page.click("form.service button[type=submit]")


def fits(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_an_officer_reads_the_retention_list_and_erases_a_file_in_chromium(client: Client, settings: Settings) -> None:
    who, member = withdrawn_candidate(client, settings)
    noticed = second_withdrawn(client, settings, member)
    catch_up(settings)  # the worker's part: the closed files' read model
    with chromium() as browser, serving(create_app(settings)) as base:
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        page = phone.new_page()
        signed_in(page, base, settings)
        page.goto(f"{base}/web/units/{SCHOOL}")
        page.click("#retention-link")
        expect(page.locator("h1")).to_have_text("Hồ sơ hết thời hạn lưu trữ")
        expect(page.locator(f'tr[data-person="{noticed}"]')).to_contain_text("Nguyễn Thị Hồng Nhung")
        expect(page.locator(f'tr[data-person="{who}"] td.erase-on')).to_contain_text("đợt xóa tới")
        assert fits(page)
        screenshot(page, "luu-tru-het-han-390")
        page.goto(f"{base}/web/people/{who}")
        page.click("#erase-link")
        expect(page.locator("h1")).to_have_text("Xóa dữ liệu cá nhân")
        assert fits(page)
        screenshot(page, "xoa-du-lieu-bieu-mau-390")
        page.fill("input[name=decided_on]", "31/02/2026")
        page.evaluate("document.getElementById('erasure-form').noValidate = true")  # the server's own messages
        page.click("#erasure-form button[type=submit]")
        expect(page.locator("#ground-error")).to_contain_text("Hãy chọn căn cứ")
        expect(page.locator("#decided_on-error")).to_contain_text("dd/mm/yyyy")
        expect(page.locator("#confirm-error")).to_contain_text("Hãy đánh dấu xác nhận")
        assert fits(page)
        screenshot(page, "xoa-du-lieu-thieu-390")
        phone.close()

        laptop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="vi-VN")
        page = laptop.new_page()
        signed_in(page, base, settings)
        page.goto(f"{base}/web/people/{who}")
        page.click("#erase-link")
        page.select_option("select[name=ground]", label=ErasureGround.PURPOSE_COMPLETE.label_vi)
        page.fill("input[name=decision_ref]", "15-QĐ/ĐU")
        page.fill("input[name=decided_on]", today().strftime("%d/%m/%Y"))
        page.check("input[name=confirm]")
        screenshot(page, "xoa-du-lieu-bieu-mau-1366")
        page.click("#erasure-form button[type=submit]")
        expect(page.locator(".success")).to_contain_text("Đã ghi vào sổ")
        expect(page.locator("#erased")).to_contain_text("Hồ sơ đã xóa dữ liệu cá nhân")
        expect(page.locator("#timeline tbody tr").first).to_contain_text("Xóa dữ liệu cá nhân")
        expect(page.locator("#erase-link")).to_have_count(0)
        expect(page.locator("#next-steps")).to_have_count(0)
        screenshot(page, "xoa-du-lieu-xong-1366")
        catch_up(settings)  # the read model forgets the erased file's row
        page.goto(f"{base}/web/units/{SCHOOL}/retention")
        expect(page.locator(f'tr[data-person="{who}"]')).to_have_count(0)
        expect(page.locator(f'tr[data-person="{noticed}"]')).to_have_count(1)
        laptop.close()
