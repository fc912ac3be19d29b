"""A member's transfer to a cell of another commune in a real Chromium (no script runs: the pages' CSP), at
1366 and 390 px: the cell is found with "Tìm" beside its picker, what was typed stays, and the transfer is
recorded. Screenshots go to `test-artifacts/web/pickers-*` for people to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Browser, expect

from services.api.app import create_app
from services.commands.actors import Actor, Role
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.another_commune import OTHER_LABEL, another_commune
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.desk import Desk
from tests.e2e.web_support import catch_up

ADMIN = Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.mark.slow
def test_a_cell_of_another_commune_is_found_and_chosen_on_a_desk_and_a_phone(
    settings: Settings, browser: Browser
) -> None:
    with TestClient(app=create_app(settings)) as client:
        another_commune(client, settings)
        desk = Desk(client, settings)
        members = [desk.enrol(n) for n in (1, 2)]
    catch_up(settings)

    with serving(create_app(settings)) as base:
        for width, member in zip((1366, 390), members, strict=True):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
            page = context.new_page()
            page.goto(f"{base}/web/sign-in")
            page.fill("#token", issue_token(ADMIN, settings.signing_key, hours=1))
            page.click("form.service button[type=submit]")
            page.goto(f"{base}/web/people/{member}")
            page.locator("summary", has_text="Giới thiệu chuyển sinh hoạt đảng").click()
            form = page.locator('form[data-operation="introduceTransfer"]')
            expect(form.locator(".pick .hint")).to_contain_text("các chi bộ thuộc Đảng ủy Khối các cơ quan tỉnh")
            form.locator('[name="occurred_on"]').fill("01/12/2020")
            form.locator('[name="cause_on"]').fill("20/11/2020")
            screenshot(page, f"pickers-listed-{width}")  # not while its list is open: the shot ate the next click
            form.locator('[name="to_unit_id"]').fill("to toan")

            form.locator("button.find").click()

            form = page.locator('form[data-operation="introduceTransfer"]')
            expect(form.locator(".pick .hint")).to_have_text(f"Đã tìm thấy: {OTHER_LABEL}.")
            expect(form.locator('[name="to_unit_id"]')).to_have_value(OTHER_LABEL)
            expect(form.locator('[name="occurred_on"]')).to_have_value("01/12/2020")  # nothing typed is lost
            form.scroll_into_view_if_needed()
            screenshot(page, f"pickers-found-{width}")
            if width == 390:
                assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390

            form.get_by_role("button", name="Ghi vào sổ").click()

            expect(page.locator("p.success")).to_contain_text("Đã ghi vào sổ")
            context.close()
