"""The import page in Chromium at a desk (1366 px) and on a phone (390 px): upload, the refusals, confirm.

Embedded ledger in a thread of this process (the flow, not the worker, is under test here; the in-process
tests in `test_web_roll_import.py` hold each behaviour). Screenshots land in `test-artifacts/web/`.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from services.api.app import create_app
from services.commands.actors import Role
from services.commands.roll_sheets import MEMBERS_SHEET
from services.commands.roll_template import roll_template
from services.commands.walls import today
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.web_support import token


def workbook(folder: Path, *, refused_row: bool) -> Path:
    book = load_workbook(BytesIO(roll_template("TU", today())))
    if refused_row:
        book[MEMBERS_SHEET].append(
            ["079080000101", "Phạm Văn Bình", "Nam", date(1980, 1, 15), "Kinh", "Không", "Đại học", "Công an", None,
             "VD.BT.BTX.TOAN", date(1997, 6, 1), date(1997, 6, 20), date(1998, 6, 20), "Thẻ đảng viên số 1"]
        )  # fmt: skip
    path = folder / ("co-loi.xlsx" if refused_row else "so-dang-vien.xlsx")
    book.save(path)
    return path


def fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_administrator_checks_reads_the_refusals_and_confirms(settings: Settings, tmp_path: Path) -> None:
    with serving(create_app(settings)) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{base}/web/sign-in")
        page.fill("#token", token(settings, Role.PROVINCIAL_ADMIN, "unit-province"))
        page.click("form.service button[type=submit]")
        page.click("text=Nhập sổ")
        expect(page.locator("h1")).to_have_text("Nhập sổ từ tệp Excel")
        screenshot(page, "import-01-trang-1366")

        page.set_input_files("#file", str(workbook(tmp_path, refused_row=True)))
        page.click("#check button[type=submit]")
        expect(page.locator("#refusals tbody tr")).to_have_count(1)
        expect(page.locator("#refusals .rule")).to_have_text("R-ELIG-AGE")
        expect(page.locator("#confirm")).to_have_count(0)
        screenshot(page, "import-02-tu-choi-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        fits(page)
        screenshot(page, "import-03-tu-choi-390")

        page.set_viewport_size({"width": 1366, "height": 900})
        page.set_input_files("#file", str(workbook(tmp_path, refused_row=False)))
        page.click("#check button[type=submit]")
        expect(page.locator("#confirm")).to_be_visible()
        screenshot(page, "import-04-kiem-tra-1366")
        page.click("#confirm button[type=submit]")
        expect(page.locator("p.success")).to_contain_text("Đã ghi: tổ chức mới 3 (đã ghi 3)")
        screenshot(page, "import-05-da-ghi-1366")
        page.set_viewport_size({"width": 390, "height": 844})
        fits(page)
        screenshot(page, "import-06-da-ghi-390")
