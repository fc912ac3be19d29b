"""`/web/import`: the provincial administrator downloads the template, checks a file (refusals row by row in
Vietnamese, nothing written), confirms, and the same file again adds nothing; nobody else finds the page."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from openpyxl import load_workbook

from services.commands.actors import Role
from services.commands.roll_sheets import MEMBERS_SHEET, UNITS_SHEET
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.web_support import CELL, csrf_of, sign_in

PROVINCE = "unit-province"


def template(client: Client, *, refused_row: bool = False) -> bytes:
    answer = client.get("/web/import/template.xlsx")
    assert answer.status_code == 200
    book = load_workbook(BytesIO(answer.content))
    assert book.sheetnames[:3] == ["Hướng dẫn", UNITS_SHEET, MEMBERS_SHEET]
    assert book[UNITS_SHEET]["D2"].value == "TU"  # the example hangs under the caller's own province
    if refused_row:
        book[MEMBERS_SHEET].append(
            ["079080000101", "Phạm Văn Bình", "Nam", date(1980, 1, 15), "Kinh", "Không", "Đại học", "Công an", None,
             "VD.BT.BTX.TOAN", date(1997, 6, 1), date(1997, 6, 20), date(1998, 6, 20), "Thẻ đảng viên số 1"]
        )  # fmt: skip
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def check(client: Client, content: bytes, **fields: str) -> str:
    page = client.get("/web/import")
    answer = client.post(
        "/web/import",
        data={"_csrf_token": csrf_of(page.text), **fields},
        files={"file": ("so-dang-vien.xlsx", content, "application/octet-stream")},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def confirm(client: Client, html: str) -> str:
    upload = html.split('name="upload" value="', 1)[1].split('"', 1)[0]
    fields = {"_csrf_token": csrf_of(html), "upload": upload}
    if 'name="only_clean" value="on"' in html:
        fields["only_clean"] = "on"
    answer = client.post("/web/import", data=fields, files={"file": ("", b"", "application/octet-stream")})
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_refused_row_is_named_and_nothing_is_offered_for_writing(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, PROVINCE)

    html = check(client, template(client, refused_row=True))

    assert '<td>Đảng viên</td><td>5</td><td>Ngày quyết định kết nạp</td><td class="rule">R-ELIG-AGE</td>' in html
    assert "Chưa ghi gì vào sổ" in html
    assert 'id="confirm"' not in html


def test_check_then_confirm_writes_and_the_same_file_again_adds_nothing(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, PROVINCE)
    content = template(client)

    checked = check(client, content)
    assert "tổ chức mới 3 (đã ghi 0)" in checked and 'id="confirm"' in checked

    written = confirm(client, checked)
    assert "Đã ghi: tổ chức mới 3 (đã ghi 3), đã có 0; đảng viên mới 3 (đã ghi 3)" in written

    again = check(client, content)
    assert "tổ chức mới 0 (đã ghi 0), đã có 3; đảng viên mới 0 (đã ghi 0), đã có 3" in again
    assert 'id="confirm"' not in again


def test_only_the_clean_rows_are_written_when_asked(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, PROVINCE)

    checked = check(client, template(client, refused_row=True), only_clean="on")
    written = confirm(client, checked)

    assert "đảng viên mới 3 (đã ghi 3)" in written and "dòng bị từ chối 1" in written


def test_a_file_that_is_not_a_workbook_gets_one_sentence(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, PROVINCE)
    page = client.get("/web/import")

    answer = client.post(
        "/web/import",
        data={"_csrf_token": csrf_of(page.text)},
        files={"file": ("so.xlsx", b"not a workbook", "application/octet-stream")},
    )

    assert answer.status_code == 422
    assert "Không đọc được tệp" in answer.text


def test_nobody_but_the_provincial_administrator_finds_the_page(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    missing = client.get("/web/units/unit-never-was")

    for path in ("/web/import", "/web/import/template.xlsx"):
        answer = client.get(path)
        assert (answer.status_code, answer.text) == (404, missing.text)
