"""Bảo mật tài khoản (issue 19, the second factor in the dashboard) in a real headless Chromium over PostgreSQL:
the administrator turns TOTP on from the header's page (the code computed by pyotp, as a phone app would), a
wrong code is refused at its field, and the next sign-in asks for the 6-digit code and lets the right one in.
Over the test client: a wrong current password and a wrong code at sign-in are refused at their fields.
Screenshots at 1366 and 390 px (test-artifacts/web/account-*.png); no page wider than a 390 px phone."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from litestar.testing import TestClient
from playwright.sync_api import Browser, Page, expect

from eventstore import open_store
from services.api.app import create_app
from services.commands.accounts import bootstrap_admin
from services.commands.context import CommandContext
from services.credentials import CredentialStore, create_credential_tables
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.browser import chromium, screenshot, serving
from tests.e2e.conftest import Client
from tests.e2e.web_support import csrf_of

TIMEOUT_MS = 15_000
PASSWORD = "Quan-tri-Tinh-uy-2026"
WIDTHS = {"1366": (1366, 900), "390": (390, 844)}


@dataclass(frozen=True)
class Ledger:
    settings: Settings
    one_time: str


@pytest.fixture
def ledger(postgres_url: str, tmp_path: Path) -> Ledger:
    settings = Settings.from_environment(
        {
            "PARTYLEDGER_ENVIRONMENT": "development",
            "PARTYLEDGER_DATABASE_URL": postgres_url,
            "PARTYLEDGER_BROKER_URL": "memory://",
            "PARTYLEDGER_DATA_DIR": str(tmp_path),
        }
    )
    store = open_store(postgres_url)
    seed_minimal_province(store)
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://", 1))
    create_credential_tables(engine)
    admin = bootstrap_admin(CommandContext(store), CredentialStore(engine), login="quantri", full_name="Trần Văn Bình")
    store.close()
    engine.dispose()
    return Ledger(settings, admin.one_time_password)


def _fits_a_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a phone"


def _first_sign_in(page: Page, base: str, one_time: str) -> None:
    """The one-time password, then the administrator's own."""
    page.goto(f"{base}/web/sign-in")
    page.fill('form.card input[name="login"]', "quantri")
    page.fill('form.card input[name="password"]', one_time)
    page.click("form.card button[type=submit]")
    page.fill('form.card input[name="password"]', one_time)
    page.fill('input[name="new_password"]', PASSWORD)
    page.fill('input[name="new_password_again"]', PASSWORD)
    page.click("form.card button[type=submit]")
    expect(page.locator("h1")).to_have_text("Cây tổ chức")


def _shot(page: Page, name: str, width: str) -> None:
    screenshot(page, f"account-{name}-{width}")
    if width == "390":
        _fits_a_phone(page)


def _turn_on(browser: Browser, base: str, one_time: str, width: str) -> str:
    """Signed in at `width`, TOTP turned on from the header's page; the secret the page showed."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    _first_sign_in(page, base, one_time)
    page.click("header >> text=Bảo mật tài khoản")
    expect(page.locator("h1")).to_have_text("Bảo mật tài khoản")
    _shot(page, "security", width)
    page.fill('#offer-totp input[name="password"]', PASSWORD)
    page.click("#offer-totp button[type=submit]")
    secret = page.locator("#totp-secret").get_attribute("data-secret") or ""
    assert page.locator("#totp-secret").inner_text().replace(" ", "") == secret  # grouped text, the same secret
    assert page.locator("#totp-uri").inner_text().startswith("otpauth://totp/")
    assert f"secret={secret}" in page.locator("#totp-uri").inner_text()
    _shot(page, "totp-offer", width)

    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000:06d}"
    page.fill('#confirm-totp input[name="code"]', wrong)
    page.click("#confirm-totp button[type=submit]")
    expect(page.locator("#confirm-totp label.invalid .field-error")).to_contain_text("Mã xác thực không khớp")
    assert page.locator("#totp-secret").get_attribute("data-secret") == secret  # the same secret, offered again
    _shot(page, "totp-wrong-code", width)

    page.fill('#confirm-totp input[name="code"]', pyotp.TOTP(secret).now())
    page.click("#confirm-totp button[type=submit]")
    expect(page.locator("#totp-on")).to_be_visible()
    _shot(page, "totp-on", width)
    context.close()
    return secret


@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_an_administrator_turns_the_second_factor_on_and_signs_in_with_the_code(ledger: Ledger, width: str) -> None:
    with chromium() as browser, serving(create_app(ledger.settings)) as base:
        secret = _turn_on(browser, base, ledger.one_time, width)

        w, h = WIDTHS[width]
        context = browser.new_context(viewport={"width": w, "height": h}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{base}/web/sign-in")
        page.fill('form.card input[name="login"]', "quantri")
        page.fill('form.card input[name="password"]', PASSWORD)
        page.click("form.card button[type=submit]")
        code = page.locator('form.card input[name="totp"]')
        expect(code).to_be_visible()  # the password alone does not let an administrator with TOTP in
        expect(page.locator("form.card label.invalid .field-error")).to_contain_text("mã 6 số")
        _shot(page, "sign-in-code", width)
        page.fill('form.card input[name="password"]', PASSWORD)
        code.fill(pyotp.TOTP(secret).now())
        page.click("form.card button[type=submit]")
        expect(page.locator("h1")).to_have_text("Cây tổ chức")
        expect(page.locator("header .who")).to_contain_text("Trần Văn Bình")
        context.close()


def _form_post(client: Client, page_path: str, action: str, fields: dict[str, str]) -> str:
    page = client.get(page_path)
    assert page.status_code == 200, page.text
    answer = client.post(action, data={"_csrf_token": csrf_of(page.text), **fields}, follow_redirects=False)
    return str(answer.text)


@pytest.fixture
def client(ledger: Ledger) -> Iterator[Client]:
    with TestClient(app=create_app(ledger.settings)) as test_client:
        _form_post(test_client, "/web/sign-in", "/web/sign-in", {
            "login": "quantri", "password": ledger.one_time, "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        })  # fmt: skip
        yield test_client


def test_a_wrong_password_or_code_is_refused_at_its_field_and_changes_nothing(client: Client) -> None:
    refused = _form_post(client, "/web/account", "/web/account/totp", {"password": "Khong-phai-mat-khau"})
    assert 'class="invalid"' in refused and "Mật khẩu hiện tại không đúng." in refused
    assert 'id="totp-secret"' not in refused

    offer = _form_post(client, "/web/account", "/web/account/totp", {"password": PASSWORD})
    secret = offer.split('data-secret="', 1)[1].split('"', 1)[0]
    for bad, said in (("12345", "gồm đúng 6 chữ số"), ("abcdef", "gồm đúng 6 chữ số")):
        answer = _form_post(client, "/web/account", "/web/account/totp/confirm", {"secret": secret, "code": bad})
        assert said in answer and f'data-secret="{secret}"' in answer
    assert 'id="totp-on"' not in client.get("/web/account").text  # nothing enabled by refused codes

    short_one = {"current_password": PASSWORD, "new_password": "ngan", "new_password_again": "ngan"}
    short = _form_post(client, "/web/account", "/web/account/password", short_one)
    assert "Mật khẩu mới cần ít nhất 10 ký tự." in short
    mismatch = _form_post(client, "/web/account", "/web/account/password",
                          {"current_password": PASSWORD, "new_password": "Mat-khau-moi-2027",
                           "new_password_again": "Mat-khau-khac-2027"})  # fmt: skip
    assert "Hai lần nhập mật khẩu mới không khớp." in mismatch

    on = _form_post(client, "/web/account", "/web/account/totp/confirm",
                    {"secret": secret, "code": pyotp.TOTP(secret).now()})  # fmt: skip
    assert 'id="totp-on"' in on
    client.cookies.clear()
    wrong = f"{(int(pyotp.TOTP(secret).now()) + 500_000) % 1_000_000:06d}"
    answer = _form_post(client, "/web/sign-in", "/web/sign-in", {"login": "quantri", "password": PASSWORD,
                                                                  "totp": wrong})  # fmt: skip
    assert 'class="invalid"' in answer and "Cần mã xác thực 6 số" in answer
    assert client.get("/web/units", follow_redirects=False).status_code in (302, 303, 307)  # still signed out
