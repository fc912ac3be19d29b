"""R-FILE-REQUEST on the dashboard: refused on "Mở hồ sơ mới", the officer follows the link, asks; the holding
cell's secretary sees the request named by person and unit, grants it; the file is then the asker's.

Forms are posted as a browser posts them (CSRF token included); a real Chromium then shows both sides at a
laptop's and a phone's width (screenshots kept in test-artifacts/web, the phone page no wider than 390 px).
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from services.api.app import create_app
from services.commands.actors import Role
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.desk import CELL, SIBLING, Desk, citizen, particulars, person
from tests.e2e.web_support import post_form, sign_in, token

IDS = re.compile(r"\b(person|unit|file-request)-[0-9a-z-]+")


def visible_text(html: str) -> str:
    """What the officer reads in the page's body: no tags, attributes (links, hidden inputs) or CSRF token, and
    not the header (which shows the signed-in login, here a test user named after its unit)."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def withdrawn_in_cell_1(client: Client, settings: Settings) -> Desk:
    desk = Desk(client, settings)
    member = desk.enrol(1)
    desk.nominate(3, member)
    withdrawn = desk.post(desk.cell, f"/people/{person(3)}/withdrawal",
                          {"reason": "Xin rút", "occurred_on": "2021-02-01", "expected_version": 1})  # fmt: skip
    assert withdrawn.status_code == 201, withdrawn.text
    body = {"citizen_id": citizen(6), "particulars": particulars("Đảng Viên G"), "cell_id": SIBLING,
            "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
            "roll_ref": "Sổ 6", "occurred_on": "2020-11-02", "expected_version": 0}  # fmt: skip
    assert desk.post(desk.who(Role.CELL_SECRETARY, SIBLING), "/people/enrolment", body).status_code == 201
    return desk


def nominate_form(citizen_id: str) -> dict[str, Any]:
    """The "Mở hồ sơ mới" nomination form as tests/e2e/test_web_pages.py fills it."""
    return {"occurred_on": "01/06/2021", "citizen_id": citizen_id, "particulars.full_name": "Quần Chúng Ưu Tú",
            "particulars.sex": "male", "particulars.date_of_birth": "01/04/1985", "particulars.ethnicity": "kinh",
            "particulars.religion": "none", "particulars.education": "university",
            "particulars.occupation": "public_employee", "helper_id": person(6), "resolution_ref": "NQ 9"}  # fmt: skip


def test_an_officer_asks_for_a_file_and_the_holder_grants_it(client: Client, settings: Settings) -> None:
    withdrawn_in_cell_1(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    files = f"/web/units/{SIBLING}/files"
    refused = post_form(client, files, f"{files}/nominateCandidate", nominate_form(citizen(3)))
    assert refused.status_code == 422
    assert "Đề nghị chuyển hồ sơ" in refused.text and 'id="file-request-form"' in refused.text
    assert f'name="citizen_id" value="{citizen(3)}"' in refused.text  # posted, never in a URL
    page = f"/web/units/{SIBLING}/file-requests"
    sent = post_form(client, files, page, {"citizen_id": citizen(3), "reason": "Quần chúng chuyển công tác về khoa"})
    assert sent.status_code == 303, sent.text
    assert citizen(3) not in sent.headers["location"]
    after = client.get(sent.headers["location"])
    assert "Đã gửi đề nghị" in after.text and "Đang chờ trả lời" in after.text

    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    holder_page = client.get(f"/web/units/{CELL}/file-requests")
    shown = visible_text(holder_page.text)
    assert "Quần Chúng Ưu Tú" in shown and "Chi bộ" in shown and "Quần chúng chuyển công tác về khoa" in shown
    assert IDS.search(shown) is None, IDS.search(shown)
    action = re.search(r'action="(/web/units/[^"]+/grant)"', holder_page.text)
    assert action is not None
    version = re.search(r'name="expected_version" value="(\d+)"', holder_page.text)
    assert version is not None
    granted = post_form(client, f"/web/units/{CELL}/file-requests", action.group(1),
                        {"reason": "Đồng ý chuyển", "expected_version": version.group(1)})  # fmt: skip
    assert granted.status_code == 303, granted.text
    assert "Không có đề nghị nào chờ trả lời" in client.get(granted.headers["location"]).text

    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    assert "Đã đồng ý chuyển hồ sơ" in client.get(page).text
    assert client.get(f"/web/people/{person(3)}").status_code == 200  # the file is the asker's now


def test_a_viewer_of_another_unit_finds_no_page(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    assert client.get(f"/web/units/{CELL}/file-requests").status_code == 404


def test_both_sides_in_chromium_at_a_laptops_and_a_phones_width(settings: Settings, client: Client) -> None:
    withdrawn_in_cell_1(client, settings)
    with serving(create_app(settings)) as base, chromium() as browser:
        for role_unit, name in ((SIBLING, "asker"), (CELL, "holder")):
            for width in (1366, 390):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(f"{base}/web/sign-in")
                page.fill("#token", token(settings, Role.CELL_SECRETARY, role_unit))
                page.click("form.service button[type=submit]")
                page.goto(f"{base}/web/units/{role_unit}/file-requests")
                expect(page.locator("h1")).to_contain_text("Đề nghị chuyển hồ sơ")
                if name == "asker" and width == 1366:
                    page.fill("input[name=citizen_id]", citizen(3))
                    page.fill("textarea[name=reason]", "Quần chúng chuyển công tác về khoa")
                    page.click("#new-request button[type=submit]")
                    expect(page.locator("#sent")).to_contain_text("Đang chờ trả lời")
                if name == "holder":
                    expect(page.locator("#inbox")).to_contain_text("Quần Chúng Ưu Tú")
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                screenshot(page, f"file-requests-{name}-{width}")
                context.close()
