"""Phones (issue 22 item 8): on a generated province's read models, no main page is wider than a 390 px
phone (a wide table scrolls inside its card), and the funnel's labels stay readable there. Screenshots of
each page at 1366 and 390 px go to `test-artifacts/web/phone-*` for people to look at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Actor, Role
from services.projection_runtime import catch_up_every_unit
from services.seed import generate_province
from services.settings import Settings
from services.tokens import issue_token
from tests.e2e.browser import chromium, screenshot, serving

SCHOOL_OFFICER = Actor("canbo.truongchinhtri", Role.GRASSROOTS_OFFICER, "unit-school")
ADMIN = Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province")
AUDITOR = Actor("kiemtra.tinhuy", Role.AUDITOR, "unit-province")
PAGES = (
    ("dashboard", "/web/units/unit-school?year=2021", SCHOOL_OFFICER),
    ("province", "/web/units/unit-province?year=2025", ADMIN),
    ("files", "/web/units/unit-province/files", ADMIN),
    ("files-official", "/web/units/unit-school/files?stage=Official", SCHOOL_OFFICER),
    ("transfers", "/web/units/unit-school/transfers", SCHOOL_OFFICER),
    ("statistics", "/web/units/unit-province/statistics?year=2025", ADMIN),
    ("tree", "/web/units", ADMIN),
    ("audit", "/web/audit", AUDITOR),
    ("audit-history", "/web/audit/units/unit-school/history", AUDITOR),
    ("audit-as-of", "/web/audit/units/unit-school/as-of?on=2021-12-31", AUDITOR),
)


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("phones")
    settings = Settings.from_environment({"PARTYLEDGER_DATA_DIR": str(folder), "PARTYLEDGER_BROKER_URL": "memory://"})
    store = open_store(settings.database_url, durable=False)
    try:
        generate_province(store, scale="small", seed=2025)
    finally:
        store.close()
    catch_up_every_unit(settings)
    return settings


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as running:
        yield running


@pytest.mark.slow
def test_no_main_page_is_wider_than_a_phone_and_the_funnel_reads(province: Settings, browser: Browser) -> None:
    wider: dict[str, int] = {}
    with serving(create_app(province)) as base:
        for name, path, actor in PAGES:
            for width in (1366, 390):
                context = browser.new_context(viewport={"width": width, "height": 900}, locale="vi-VN")
                page = context.new_page()
                page.goto(f"{base}/web/sign-in")  # a service token opens a server-side session (issue 19)
                page.fill("#token", issue_token(actor, province.signing_key, hours=1))
                page.click("form.service button[type=submit]")
                answer = page.goto(base + path)
                assert answer is not None and answer.status == 200, (name, answer and answer.status)
                screenshot(page, f"phone-{name}-{width}")
                if width == 390:
                    wide = int(page.evaluate("document.documentElement.scrollWidth"))
                    if wide > 390:
                        wider[name] = wide
                if name == "dashboard" and width == 390:
                    heights = page.eval_on_selector_all(
                        "#funnel svg g.bar text:first-child", "els => els.map(e => e.getBoundingClientRect().height)"
                    )
                    assert heights and min(heights) >= 10, heights  # label text ≥ 10 px tall on the phone
                    counts = page.eval_on_selector_all("#funnel svg g.bar", "els => els.map(e => e.dataset.count)")
                    assert "3" in counts  # the article's three sent to the awareness class, as of 31/12/2021
                context.close()
    assert wider == {}, f"pages wider than 390 px on a phone: {wider}"
