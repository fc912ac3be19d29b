""" "Ai đã xem hồ sơ này" in a real Chromium at 1366 and 390 px: the file's page lists who read it (names, roles
and units in Vietnamese, times as dd/mm/yyyy HH:MM) and the section fits a phone. Screenshots go to
`test-artifacts/web/reads-*` for people to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Browser, expect

from services.api.app import create_app
from services.commands.actors import Actor, Role
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client, bearer
from tests.e2e.desk import CELL, Desk

SCHOOL = "unit-school"
WHEN = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


def _account(client: Client, settings: Settings, login: str, full_name: str, unit: str) -> str:
    admin = bearer(settings, Role.PROVINCIAL_ADMIN, "unit-province", "admin.tinhuy")
    made = client.post("/users/new", json={"login": login, "full_name": full_name, "unit_id": unit}, headers=admin)
    assert made.status_code == 201, made.text
    user_id: str = made.json()["user_id"]
    return user_id


@pytest.mark.slow
def test_the_file_page_shows_who_read_it_on_a_desk_and_a_phone(settings: Settings, browser: Browser) -> None:
    ledger = settings  # the e2e conftest's ledger: the top of a province, the tests' person-id key
    with TestClient(app=create_app(ledger)) as client:
        who = Desk(client, ledger).enrol(1)
        secretary = _account(client, ledger, "bithu.an", "Nguyễn Văn An", CELL)
        officer = _account(client, ledger, "canbo.binh", "Trần Thị Bình", SCHOOL)
        auditor = _account(client, ledger, "kiemtra.cuong", "Lê Văn Cường", "unit-province")
        for user, role, unit in ((officer, Role.GRASSROOTS_OFFICER, SCHOOL), (auditor, Role.AUDITOR, "unit-province")):
            assert client.get(f"/people/{who}", headers=bearer(ledger, role, unit, user)).status_code == 200
        history = client.get(
            f"/audit/people/{who}/history", headers=bearer(ledger, Role.AUDITOR, "unit-province", auditor)
        )
        assert history.status_code == 200

    with serving(create_app(ledger)) as base:
        for width in (1366, 390):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
            page = context.new_page()
            page.goto(f"{base}/web/sign-in")
            page.fill("#token", issue_token(Actor(secretary, Role.CELL_SECRETARY, CELL), ledger.signing_key, hours=1))
            page.click("form.service button[type=submit]")
            answer = page.goto(f"{base}/web/people/{who}")
            assert answer is not None and answer.status == 200
            section = page.locator("#reads")
            expect(section.locator("h2")).to_have_text("Ai đã xem hồ sơ này")
            rows = section.locator("tbody tr")
            expect(rows).to_have_count(4 if width == 1366 else 5)  # each visit of this page is a read too
            first = rows.first
            expect(first).to_contain_text("Nguyễn Văn An")
            expect(first).to_contain_text("Bí thư chi bộ")
            expect(first).to_contain_text("Chi bộ Khoa Lý luận cơ sở")
            expect(section).to_contain_text("Lê Văn Cường")
            expect(section).to_contain_text("Kiểm tra viên")
            expect(section).to_contain_text("Xem lịch sử hồ sơ (kiểm tra)")
            expect(section).to_contain_text("Trần Thị Bình")
            assert WHEN.match(first.locator("td").first.inner_text().strip())
            assert secretary not in section.inner_text() and who not in section.inner_text()
            section.scroll_into_view_if_needed()
            screenshot(page, f"reads-person-{width}")
            section.screenshot(
                path=str(Path(__file__).resolve().parents[2] / "test-artifacts" / "web" / f"reads-section-{width}.png")
            )
            if width == 390:
                assert int(page.evaluate("document.documentElement.scrollWidth")) <= 390
            context.close()
