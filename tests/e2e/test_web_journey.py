"""A candidate's whole journey, nomination to official member, through the dashboard's forms only, in a real
headless Chromium against PostgreSQL, Redis and a `celery worker` process (issue 22, "Must show").

The Political School's cell secretary, the school's committee officer and the officer of the bloc committee
that decides the school's admissions each sign in and take their steps by choosing: members by name typed
without diacritics, relatives as rows, sponsors as rows. No id is typed and no JSON, anywhere. Every page is
kept as a screenshot at 1366 and 390 px (test-artifacts/web/journey/), and no page is wider than a phone.
Paper dates lie in the past (R-DATE-FUTURE) and respect the rules' waiting periods: the sponsors write a year
after the nomination (R-SPONSOR-COWORK), the recognition vote follows twelve months of probation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from litestar.testing import TestClient
from playwright.sync_api import Browser, expect

from eventstore import open_store
from services.api.app import create_app
from services.commands.actors import Role
from services.embedded import seed_minimal_province
from services.settings import Settings
from tests.e2e.browser import ARTIFACTS, chromium, serving
from tests.e2e.desk import Desk, citizen, log_position
from tests.e2e.web_support import CELL, token
from tests.support.processes import celery_worker, wait_for
from tests.support.queues import queue_name

TIMEOUT_MS = 15_000
SHOTS = ARTIFACTS / "journey"
WIDE, PHONE = (1366, 900), (390, 844)
ID_LIKE = re.compile(r"person-[0-9a-f]{8}|unit-[a-z]")


@pytest.fixture
def live(postgres_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[str, Settings, Browser]]:
    env = {
        "PARTYLEDGER_ENVIRONMENT": "development",
        "PARTYLEDGER_DATABASE_URL": postgres_url,
        "PARTYLEDGER_BROKER_URL": redis_url,
        "PARTYLEDGER_QUEUE": queue_name("journey"),
        "PARTYLEDGER_DATA_DIR": str(tmp_path),
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
        desk = Desk(client, settings)
        for n in (1, 2, 3, 4):  # the cell's members, already on the roll before the ledger opened
            desk.enrol(n)
        head = log_position(client)

        def projected() -> bool:
            answer = client.get(f"/units/{CELL}/members", params={"min_position": head, "wait": 5}, headers=desk.cell)
            return int(answer.headers["X-Log-Position"]) >= head

        wait_for(projected, 30, "the worker to project the cell's roll")
        yield base, settings, browser


class Officer:
    """One signed-in browser; every page it reaches is kept at both widths and checked for ids and width."""

    def __init__(self, browser: Browser, base: str, settings: Settings, role: Role, unit: str, tag: str) -> None:
        self.context = browser.new_context(viewport={"width": WIDE[0], "height": WIDE[1]}, locale="vi-VN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        self.base, self.tag, self.shots = base, tag, 0
        self.page.goto(f"{base}/web/sign-in")
        self.page.fill("#token", token(settings, role, unit))
        self.page.click("form.service button[type=submit]")
        expect(self.page.locator("h1")).to_have_text("Cây tổ chức")

    def shot(self, name: str) -> None:
        """Both widths; on a phone nothing runs off the side."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        stem = f"{self.tag}-{self.shots:02d}-{name}"
        page = self.page
        page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(SHOTS / f"{stem}-390.png"), full_page=True)
        page.set_viewport_size({"width": WIDE[0], "height": WIDE[1]})
        page.screenshot(path=str(SHOTS / f"{stem}-1366.png"), full_page=True)
        assert width <= PHONE[0], (stem, width)

    def step(self, operation: str, fields: dict[str, str], name: str, *, choose: dict[str, str] | None = None) -> None:
        """Open the step (collapsed until chosen), fill it as an officer would, record it, see it recorded."""
        page = self.page
        form = page.locator(f'form[data-operation="{operation}"]')
        page.locator(f'details:has(form[data-operation="{operation}"]) > summary').click()
        for field, value in fields.items():
            form.locator(f'[name="{field}"]').fill(value)
        for field, label in (choose or {}).items():
            form.locator(f'select[name="{field}"]').select_option(label=label)
        for typed in form.locator("input[type=text], input:not([type])").all():
            assert not ID_LIKE.search(typed.input_value()), (operation, typed.input_value())
        self.shot(f"{name}-form")
        form.locator("button[type=submit]").click()
        assert page.locator(".refusal, .field-error").all_inner_texts() == []
        expect(page.locator(".success")).to_contain_text("Đã ghi vào sổ")
        assert not ID_LIKE.search(page.locator("main").inner_text()), operation
        self.shot(name)

    def offered(self) -> list[str]:
        forms = self.page.locator("#next-steps form").all()
        return [form.get_attribute("data-operation") or "" for form in forms]


@pytest.mark.slow
def test_a_candidate_becomes_an_official_member_through_the_forms_only(
    live: tuple[str, Settings, Browser],
) -> None:
    base, settings, browser = live
    cell = Officer(browser, base, settings, Role.CELL_SECRETARY, CELL, "1-chi-bo")
    page = cell.page
    page.fill("#q", "khoa ly luan")
    page.click("form.search button")
    page.click("ul.results a:text('Chi bộ Khoa Lý luận cơ sở')")
    cell.shot("bang-tong-hop")
    page.goto(f"{base}/web/units/{CELL}/files")
    page.locator('details:has(form[data-operation="nominateCandidate"]) > summary').click()
    nominate = page.locator('form[data-operation="nominateCandidate"]')
    for name, value in {
        "occurred_on": "01/03/2024", "citizen_id": citizen(9), "particulars.full_name": "Nguyễn Văn An",
        "particulars.date_of_birth": "01/04/1985", "particulars.hometown": "Đà Lạt, Lâm Đồng",
        "helper_id": "dang vien", "resolution_ref": "NQ 05-NQ/CB",
    }.items():  # fmt: skip
        nominate.locator(f'[name="{name}"]').fill(value)
    for name, label in {"particulars.sex": "Nam", "particulars.education": "Đại học"}.items():
        nominate.locator(f'select[name="{name}"]').select_option(label=label)
    cell.shot("mo-ho-so")
    nominate.locator("button[type=submit]").click()  # four members match "dang vien": which one is meant?
    helper = nominate.locator('label.invalid:has([name="helper_id"]) .field-error')
    expect(helper).to_contain_text("Có 4 lựa chọn khớp với “dang vien”")
    expect(nominate.locator('[name="particulars.full_name"]')).to_have_value("Nguyễn Văn An")  # kept
    cell.shot("mo-ho-so-chua-ro")
    nominate.locator('[name="helper_id"]').fill("dang vien b")
    nominate.locator("button[type=submit]").click()
    assert page.locator(".refusal, .field-error").all_inner_texts() == []
    expect(page.locator("h1")).to_have_text("Nguyễn Văn An")
    expect(page.locator("#helper")).to_contain_text("Đảng Viên B")
    expect(page.locator("#next-steps details[open]")).to_have_count(0)  # collapsed until chosen
    cell.shot("nguon")

    cell.step("recordTrainingCertificate", {"occurred_on": "15/04/2024", "certificate_ref": "GCN 12/2024",
                                            "issued_on": "10/04/2024"}, "lop-nhan-thuc")  # fmt: skip
    expect(page.locator("#deadlines")).to_contain_text("Giấy chứng nhận lớp nhận thức về Đảng còn hiệu lực đến")
    cell.step("submitApplication", {"occurred_on": "02/05/2024", "application_ref": "Đơn 1-KNĐ"}, "don")
    cell.step("submitBackgroundForm", {"occurred_on": "03/05/2024", "form_ref": "Lý lịch 2-KNĐ"}, "ly-lich")
    cell.step(
        "openVerification",
        {"occurred_on": "06/05/2024", "subjects.1.full_name": "Nguyễn Văn Bình", "subjects.1.birth_year": "1962"},
        "tham-tra",
        choose={"subjects.1.relation": "Cha"},
    )
    expect(page.locator("#subjects")).to_contain_text("Bản thân: Nguyễn Văn An (sinh năm 1985) — đang chờ kết quả")
    expect(page.locator("#subjects")).to_contain_text("Cha: Nguyễn Văn Bình (sinh năm 1962) — đang chờ kết quả")
    cell.step("recordVerificationResult", {"occurred_on": "03/06/2024", "result_ref": "KQ 1"}, "ket-qua-1",
              choose={"subject": "Bản thân — Nguyễn Văn An"})  # fmt: skip
    cell.step("recordVerificationResult", {"occurred_on": "04/06/2024", "result_ref": "KQ 2"}, "ket-qua-2",
              choose={"subject": "Cha — Nguyễn Văn Bình"})  # fmt: skip
    cell.step("certifyVerification", {"occurred_on": "10/06/2024"}, "ket-luan")
    cell.step("recordSponsors", {"occurred_on": "10/03/2025", "sponsors.0.sponsor_id": "dang vien c",
                                 "sponsors.0.document_ref": "Thư GT 1", "sponsors.1.sponsor_id": "Đảng Viên D",
                                 "sponsors.1.document_ref": "Thư GT 2"}, "nguoi-gioi-thieu")  # fmt: skip
    expect(page.locator("#sponsors")).to_contain_text("Đảng Viên C (Thư GT 1); Đảng Viên D (Thư GT 2)")
    cell.step("approveAtCell", {"occurred_on": "20/03/2025", "yes": "4", "no": "0",
                                "resolution_ref": "NQ 20-NQ/CB"}, "chi-bo-xet")  # fmt: skip
    expect(page.locator("#timeline tbody tr").first.locator(".result")).to_have_text(
        "4 tán thành, 0 không tán thành trên 4 đảng viên — đạt hai phần ba, nghị quyết được thông qua"
    )
    expect(page.locator("#deadlines")).to_contain_text("Cấp có thẩm quyền ra quyết định kết nạp")
    assert not {"approveAtCommittee", "decideAdmission"} & set(cell.offered())  # the committees' steps
    person_page = page.url.split("?")[0]

    school = Officer(browser, base, settings, Role.GRASSROOTS_OFFICER, "unit-school", "2-dang-uy-truong")
    school.page.goto(person_page)
    assert "decideAdmission" not in school.offered()  # the bloc decides the school's admissions
    school.step("approveAtCommittee", {"occurred_on": "01/04/2025", "yes": "5", "committee_size": "5",
                                       "resolution_ref": "NQ 41-NQ/ĐU"}, "dang-uy-xet")  # fmt: skip

    bloc = Officer(browser, base, settings, Role.UPPER_OFFICER, "unit-bloc", "3-dang-uy-khoi")
    bloc.page.goto(person_page)
    bloc.step("decideAdmission", {"occurred_on": "15/04/2025", "decision_ref": "QĐ 120-QĐ/ĐUK"}, "quyet-dinh")

    page.goto(person_page)
    cell.step("receiveAdmissionDecision", {"occurred_on": "21/04/2025"}, "nhan-quyet-dinh")
    expect(page.locator("#deadlines")).to_contain_text("Tổ chức lễ kết nạp")
    cell.step("holdCeremony", {"occurred_on": "05/05/2025", "mentor_id": "dang vien b",
                               "ceremony_ref": "BB lễ kết nạp"}, "le-ket-nap")  # fmt: skip
    expect(page.locator("#stage")).to_have_text("Đảng viên dự bị")
    cell.step("completeNewMemberCourse", {"occurred_on": "01/08/2025", "certificate_ref": "GCN ĐVM 7"}, "lop-dvm")
    cell.step("holdRecognitionVote", {"occurred_on": "12/05/2026", "yes": "4", "no": "0",
                                      "resolution_ref": "NQ 31-NQ/CB"}, "xet-chinh-thuc")  # fmt: skip

    bloc.page.goto(person_page)
    bloc.step("recogniseOfficial", {"occurred_on": "20/05/2026", "decision_ref": "QĐ 88-QĐ/ĐUK"}, "cong-nhan")
    expect(bloc.page.locator("#stage")).to_have_text("Đảng viên chính thức")
    expect(bloc.page.locator("#file")).to_contain_text("Đảng viên chính thức từ05/05/2026")  # 12 months on
    for officer in (cell, school, bloc):
        officer.context.close()
