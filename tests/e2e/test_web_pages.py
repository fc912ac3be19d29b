"""The web dashboard in-process: sign-in and CSRF, search without diacritics, walls, step forms and refusals.

The same pages run in a real Chromium against PostgreSQL, Redis and a worker in `test_web_browser.py`; here
the embedded ledger answers fast enough to check each behaviour on its own.
"""

from __future__ import annotations

import re
import unicodedata
from io import BytesIO

import pytest
from openpyxl import load_workbook

from eventstore import EventStore
from services.api.web.file_view import name_ids, person_namer
from services.commands.actors import Actor, Role
from services.commands.tree_log import UNIT_TREE_STREAM
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import SIBLING, Desk, citizen, particulars, person
from tests.e2e.web_support import CELL, candidate_waiting_for_the_cell_vote, catch_up, csrf_of, post_form, sign_in


def test_a_demo_user_signs_in_with_an_httponly_strict_cookie(client: Client) -> None:
    form = client.get("/web/sign-in")
    assert "Người dùng mẫu" in form.text and "canbo.truongchinhtri" in form.text

    answer = client.post(
        "/web/sign-in", data={"_csrf_token": csrf_of(form.text), "demo_user": "canbo.truongchinhtri"},
        follow_redirects=False,
    )  # fmt: skip

    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/web" in cookie
    assert "Đảng bộ Trường Chính trị tỉnh" in client.get("/web/units").text


def test_a_form_without_its_csrf_token_is_refused(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)

    answer = client.post("/web/sign-out", data={}, follow_redirects=False)

    assert answer.status_code == 403
    assert "Yêu cầu bị từ chối" in answer.text


def test_a_bad_token_is_refused_in_vietnamese(client: Client) -> None:
    form = client.get("/web/sign-in")
    answer = client.post("/web/sign-in", data={"_csrf_token": csrf_of(form.text), "token": "not-a-token"})
    assert answer.status_code == 401
    assert "Mã đăng nhập không hợp lệ" in answer.text
    assert client.get("/web/units", follow_redirects=False).headers["location"] == "/web/sign-in"


def test_search_finds_units_with_or_without_diacritics_and_shows_their_path(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.UPPER_OFFICER, "unit-bloc")
    expected = {"chinh tri": "Đảng bộ Trường Chính trị tỉnh", "CHÍNH TRỊ": "Đảng bộ Trường Chính trị tỉnh",
                "tct-cb2": "Chi bộ Khoa Xây dựng Đảng"}  # fmt: skip
    for query, unit in expected.items():
        found = client.get("/web/units", params={"q": query}).text
        assert unit in found, query
    cell = client.get(f"/web/units/{CELL}").text
    crumbs = re.search(r'<nav class="crumbs".*?</nav>', cell, re.S)
    assert crumbs is not None
    assert re.findall(r">([^<>]+)</(?:a|span)>", crumbs.group(0)) == [
        "Đảng ủy Khối các cơ quan tỉnh", "Đảng bộ Trường Chính trị tỉnh", "Chi bộ Khoa Lý luận cơ sở",
    ]  # fmt: skip  # from the caller's own unit down, nothing above it


def test_a_sibling_unit_reads_exactly_like_a_missing_one(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    sibling = client.get(f"/web/units/{SIBLING}")
    missing = client.get("/web/units/unit-never-was")
    assert sibling.status_code == missing.status_code == 404
    assert sibling.text == missing.text
    assert client.get(f"/web/units/{SIBLING}/statistics.xlsx").status_code == 404


def test_a_refused_step_is_shown_in_vietnamese_with_its_rule_and_records_nothing(
    client: Client, settings: Settings
) -> None:
    who, version = candidate_waiting_for_the_cell_vote(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    page = f"/web/people/{who}"
    vote = {"expected_version": version, "occurred_on": "15/12/2021", "resolution_ref": "NQ 20-NQ/CB"}

    refused = post_form(client, page, f"{page}/steps/approveAtCell", {**vote, "yes": "1", "no": "3"})

    assert refused.status_code == 422
    assert 'Bị từ chối (<span class="rule">R-VOTE-TWOTHIRDS</span>)' in refused.text
    assert "chỉ có 1/4 phiếu tán thành" in refused.text
    assert re.search(r'<label class="invalid">Số phiếu tán thành \*.*?Chỉ có 1/4 phiếu tán thành', refused.text, re.S)
    assert unicodedata.is_normalized("NFC", refused.text)
    assert 'value="NQ 20-NQ/CB"' in refused.text  # the officer corrects the form instead of retyping it
    assert f'name="expected_version" value="{version}"' in client.get(page).text  # nothing recorded

    taken = post_form(client, page, f"{page}/steps/approveAtCell", {**vote, "yes": "4", "no": "0"})

    assert taken.status_code == 303, taken.text
    after = client.get(taken.headers["location"]).text
    assert "Đã ghi vào sổ" in after
    assert "Chi bộ đã đề nghị kết nạp" in after  # the new stage
    assert on_paper("Chi bộ xét, đề nghị kết nạp", "15/12/2021") in after and "NQ 20-NQ/CB" in after
    assert "4 tán thành, 0 không tán thành trên 4 đảng viên — đạt hai phần ba" in after  # the vote's result
    assert re.search(
        r"Cấp có thẩm quyền ra quyết định kết nạp</span>: <strong>\d\d/\d\d/\d{4}</strong> \((còn|quá hạn) \d+ ngày\)",
        after,
    )
    catch_up(settings)
    listed = client.get(f"/web/units/{CELL}/files").text
    assert "Cấp có thẩm quyền ra quyết định kết nạp: " in listed and "R-DECIDE-DEADLINE" not in listed
    board = client.get(f"/web/units/{CELL}").text  # the running clock on the cell's dashboard
    shown = re.sub(r"<[^>]*>", " ", board)  # what an officer reads: tags and their attributes dropped
    assert "Cấp có thẩm quyền ra quyết định kết nạp" in shown and "R-DECIDE-DEADLINE" not in shown


def test_a_viewer_gets_no_step_forms_and_cannot_post_one(client: Client, settings: Settings) -> None:
    who, version = candidate_waiting_for_the_cell_vote(client, settings)
    sign_in(client, settings, Role.VIEWER, "unit-school")
    page = f"/web/people/{who}"
    assert "Các bước tiếp theo" not in client.get(page).text
    body = {"expected_version": version, "occurred_on": "2021-12-15", "resolution_ref": "NQ", "yes": "4", "no": "0"}
    assert post_form(client, page, f"{page}/steps/approveAtCell", body).status_code == 404


def test_the_statistics_workbook_holds_the_page_figures(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, "unit-school")
    answer = client.get("/web/units/unit-school/statistics.xlsx", params={"year": 2021})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(answer.content))
    assert book.sheetnames[:2] == ["Tổng hợp", "Kết nạp đảng viên"]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Tổng số đảng viên"] == 0
    printable = client.get("/web/units/unit-school/statistics", params={"year": 2021, "print_view": "true"})
    assert '<body class="print">' in printable.text and "Thống kê năm 2021" in printable.text


def test_an_auditor_verifies_the_log_and_reads_the_seals(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.AUDITOR, "unit-province")
    page = client.get("/web/audit")
    assert page.status_code == 200 and "Dấu niêm phong gần nhất" in page.text

    verified = post_form(client, "/web/audit", "/web/audit/verification", {})

    assert verified.status_code == 200
    assert "Sổ nguyên vẹn: đã kiểm tra" in verified.text


def test_the_audit_pages_are_for_auditors_only(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, "unit-school")
    assert client.get("/web/audit").status_code == 404
    assert client.get("/web/audit/units/unit-school/history").status_code == 404


def test_an_auditor_reads_the_history_and_the_two_clocks(client: Client, settings: Settings) -> None:
    candidate_waiting_for_the_cell_vote(client, settings)  # papers dated 2020-2021, recorded today
    sign_in(client, settings, Role.AUDITOR, "unit-province")

    history = client.get("/web/audit/units/unit-school/history", params={"occurred_from": "01/12/2021"}).text
    assert "Ghi người giới thiệu" in history and "khớp" in history
    assert "Nhập đảng viên vào sổ" not in history  # dated 02/11/2020: filtered out on the paper's clock

    as_of = client.get("/web/audit/units/unit-school/as-of", params={"on": "31/12/2020"}).text
    official = re.findall(r'data-clock="(\w+)".*?class="num official">(\d+)<', as_of, re.S)
    assert official == [("occurred", "4"), ("recorded", "0")]  # true then, but not yet in the ledger then
    late = re.search(r"Văn bản đề ngày trước, ghi sổ sau ngày 31/12/2020 \((\d+)\)", as_of)
    assert late is not None and late.group(1) == "11", late  # 6 units registered, 4 enrolments, 1 nomination


def test_an_auditor_reads_a_file_as_of_a_day_on_both_clocks(client: Client, settings: Settings) -> None:
    who, _ = candidate_waiting_for_the_cell_vote(client, settings)
    sign_in(client, settings, Role.AUDITOR, "unit-province")
    assert f"/web/audit/people/{who}/as-of" in client.get(f"/web/people/{who}").text

    page = client.get(f"/web/audit/people/{who}/as-of", params={"on": "31/03/2021"}).text

    stages = re.findall(r'data-clock="(\w*)".*?class="stage">([^<]+)<', page, re.S)
    assert stages == [("occurred", "Đã thẩm tra lý lịch"), ("recorded", "Chưa có hồ sơ vào ngày này.")]


def on_paper(step: str, day: str) -> str:
    """A timeline row's step and the date on its paper, as the page writes them."""
    return f'{step}</td><td data-label="Ngày trên văn bản">{day}</td>'


def nomination(helper: str, n: int = 9) -> dict[str, str]:
    """The nomination form as an officer fills it: dates dd/mm/yyyy, the particulars one input each."""
    return {
        "occurred_on": "01/12/2020", "citizen_id": citizen(n), "particulars.full_name": "Quần Chúng Ưu Tú",
        "particulars.sex": "male", "particulars.date_of_birth": "01/04/1985", "particulars.ethnicity": "kinh",
        "particulars.religion": "none", "particulars.education": "university",
        "particulars.occupation": "public_employee", "helper_id": helper, "resolution_ref": "NQ 05-NQ/CB",
    }  # fmt: skip


def test_a_cell_secretary_nominates_a_candidate_from_the_cells_files(client: Client, settings: Settings) -> None:
    helper = Desk(client, settings).enrol(1)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    files = f"/web/units/{CELL}/files"
    assert f'href="{files}#open-file"' in client.get(f"/web/units/{CELL}").text
    assert "Mở hồ sơ mới" in client.get(files).text and "Giới tính" in client.get(files).text

    taken = post_form(client, files, f"{files}/nominateCandidate", nomination(helper))

    assert taken.status_code == 303, taken.text
    assert taken.headers["location"].startswith(f"/web/people/{person(9)}?recorded=")
    after = client.get(taken.headers["location"]).text
    assert "Đã ghi vào sổ" in after and "<h1>Quần Chúng Ưu Tú</h1>" in after
    assert on_paper("Đưa vào nguồn phát triển đảng viên", "01/12/2020") in after and "NQ 05-NQ/CB" in after


def test_a_refused_nomination_comes_back_in_vietnamese_with_the_form_filled(client: Client, settings: Settings) -> None:
    probationer = Desk(client, settings).enrol(2, official=False)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    files = f"/web/units/{CELL}/files"

    refused = post_form(client, files, f"{files}/nominateCandidate", nomination(probationer))

    assert refused.status_code == 422
    assert 'Bị từ chối (<span class="rule">R-HELPER-OFFICIAL</span>)' in refused.text
    assert "không phải đảng viên chính thức" in refused.text and unicodedata.is_normalized("NFC", refused.text)
    assert 'value="NQ 05-NQ/CB"' in refused.text and '<option value="kinh" selected>' in refused.text
    assert client.get(f"/web/people/{person(9)}").status_code == 404  # nothing recorded


def test_a_citizen_id_filed_with_another_cell_comes_back_saying_only_that(client: Client, settings: Settings) -> None:
    """I8 on the web form: the neighbour's secretary learns the number is filed elsewhere, nothing more."""
    member = Desk(client, settings).enrol(1)
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    files = f"/web/units/{SIBLING}/files"
    form = nomination(person(8), n=1)  # the number of the member filed in cell 1; a helper of the caller's own

    refused = post_form(client, files, f"{files}/nominateCandidate", form)

    assert refused.status_code == 422
    assert "đã có hồ sơ ở một tổ chức đảng ngoài phạm vi của đồng chí" in refused.text
    for leak in ("Đảng Viên", CELL, member):
        assert leak not in refused.text, leak


def test_an_admin_enrols_a_member_into_the_cell_whose_page_it_is(client: Client, settings: Settings) -> None:
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, "unit-province")
    files = f"/web/units/{CELL}/files"
    page = client.get(files).text
    assert 'data-operation="enrollMember"' in page
    assert 'data-operation="nominateCandidate"' not in page  # a nomination lands in the caller's own unit
    form = {k: v for k, v in nomination("", 3).items() if k.startswith(("particulars", "citizen"))}
    enrolment = {**form, "occurred_on": "02/11/2020", "admitted_on": "01/05/2010", "ceremony_on": "19/05/2010",
                 "official_from": "19/05/2011", "roll_ref": "Sổ đảng viên 3", "cell_id": SIBLING}  # fmt: skip

    taken = post_form(client, files, f"{files}/enrollMember", enrolment)

    assert taken.status_code == 303, taken.text
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)  # the page fixed the cell, whatever was posted
    assert on_paper("Nhập đảng viên vào sổ", "02/11/2020") in client.get(f"/web/people/{person(3)}").text


def test_a_viewer_cannot_open_a_file_and_a_sibling_cell_is_not_found(client: Client, settings: Settings) -> None:
    helper = Desk(client, settings).enrol(1)
    sign_in(client, settings, Role.VIEWER, CELL)
    files = f"/web/units/{CELL}/files"
    assert "Mở hồ sơ mới" not in client.get(files).text + client.get(f"/web/units/{CELL}").text
    assert post_form(client, files, f"{files}/nominateCandidate", nomination(helper)).status_code == 404
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    sibling = f"/web/units/{SIBLING}/files"
    assert client.get(sibling).status_code == 404
    assert post_form(client, files, f"{sibling}/enrollMember", nomination(helper)).status_code == 404
    assert client.get(f"/web/people/{person(9)}").status_code == 404


def test_the_receiving_cell_sees_an_incoming_transfer_and_records_the_presentation(
    client: Client, settings: Settings
) -> None:
    desk = Desk(client, settings)
    member, stays = desk.enrol(1), desk.enrol(2)
    body = {"kind": "official", "to_unit_id": SIBLING, "cause_on": "2020-11-20"}
    desk.step(desk.cell, member, "/member-transfer", 1, "2020-12-01", **body)
    incoming = f"/web/units/{SIBLING}/transfers"
    sign_in(client, settings, Role.VIEWER, SIBLING)
    catch_up(settings)
    listed = client.get(incoming).text
    assert "Đảng Viên B" in listed and "Chính thức" in listed and 'data-operation="presentTransfer"' not in listed
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    assert client.get(incoming).status_code == 404  # the home cell does not read the receiving cell's page
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    assert client.get(f"/web/people/{member}").status_code == 404  # still the home cell's member
    form = {"expected_version": "2", "occurred_on": "05/12/2020"}
    assert post_form(client, incoming, f"{incoming}/{stays}", form).status_code == 404  # not on its way here

    taken = post_form(client, incoming, f"{incoming}/{member}", form)

    assert taken.status_code == 303, taken.text
    after = client.get(taken.headers["location"]).text
    assert "Đã ghi vào sổ" in after and on_paper("Nhận sinh hoạt đảng", "05/12/2020") in after
    assert "Đảng Viên B" not in client.get(incoming).text


def test_a_page_reads_the_unit_tree_once(client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything a page shows comes from one read of the tree: each read is a round trip to the log, and a
    reorganisation committed between two of them gave a page whose crumbs and figures disagreed."""
    sign_in(client, settings, Role.UPPER_OFFICER, "unit-bloc")
    store: EventStore = client.app.state.ledger.store
    asked: list[str] = []
    real = store.stream_version

    def counted(stream_id: str) -> int:
        asked.append(stream_id)
        return real(stream_id)

    monkeypatch.setattr(store, "stream_version", counted)

    for path in ("/web/units", f"/web/units/{CELL}", f"/web/units/{CELL}/files", f"/web/units/{CELL}/statistics"):
        asked.clear()
        assert client.get(path).status_code == 200, path
        assert asked.count(UNIT_TREE_STREAM) == 1, (path, asked)


def test_a_helper_is_chosen_by_name_typed_without_diacritics(client: Client, settings: Settings) -> None:
    Desk(client, settings).enrol(1)  # Đảng Viên B
    catch_up(settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    files = f"/web/units/{CELL}/files"
    page = client.get(files).text
    assert '<option value="Đảng Viên B (sinh 01/04/1985)" label="dang vien b (sinh 01/04/1985)">' in page
    assert "(mã" not in page and "JSON" not in page

    taken = post_form(client, files, f"{files}/nominateCandidate", nomination("dang vien b"))

    assert taken.status_code == 303, taken.text
    after = client.get(taken.headers["location"]).text
    assert re.search(r'<div id="helper"><dt>Đảng viên giúp đỡ</dt><dd>Đảng Viên B</dd>', after)


def test_every_refused_form_value_is_named_next_to_its_field(client: Client, settings: Settings) -> None:
    Desk(client, settings).enrol(1)
    catch_up(settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    files = f"/web/units/{CELL}/files"
    form = nomination("nguyen van khong co") | {"occurred_on": "31/02/2024"}

    refused = post_form(client, files, f"{files}/nominateCandidate", form)

    assert refused.status_code == 422
    assert "Dữ liệu biểu mẫu không hợp lệ" not in refused.text
    assert 'class="invalid">Đảng viên giúp đỡ' in refused.text
    assert "Không có “nguyen van khong co” trong danh sách" in refused.text
    assert "Phải là ngày dạng dd/mm/yyyy" in refused.text
    assert refused.text.count('class="field-error"') == 2
    assert client.get(f"/web/people/{person(9)}").status_code == 404  # nothing recorded


def test_a_vote_count_that_is_not_a_number_is_refused_on_its_field(client: Client, settings: Settings) -> None:
    who, version = candidate_waiting_for_the_cell_vote(client, settings)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    page = f"/web/people/{who}"
    vote = {"expected_version": version, "occurred_on": "15/12/2021", "resolution_ref": "NQ", "yes": "bốn", "no": "0"}

    refused = post_form(client, page, f"{page}/steps/approveAtCell", vote)

    assert refused.status_code == 422
    assert re.search(r'<label class="invalid">Số phiếu tán thành \*.*?Phải là một số nguyên', refused.text, re.S)
    shown = client.get(page).text
    assert "<details open" not in shown  # the steps stay collapsed until one is chosen
    assert "Cập nhật thông tin cá nhân" in shown and 'value="Quần Chúng Ưu Tú"' in shown  # refilled, not blank


def test_a_refusal_names_units_and_people_never_their_ids(client: Client, settings: Settings) -> None:
    """The domain's messages carry ids ("unit-school không phải cấp có thẩm quyền unit-bloc"); the page names."""
    member = Desk(client, settings).enrol(1)
    ledger = client.app.state.ledger
    tree = ledger.tree()
    cell_secretary = Actor("user-cell", Role.CELL_SECRETARY, CELL)
    outsider = Actor("user-sibling", Role.CELL_SECRETARY, SIBLING)
    message = f"unit-school không phải cấp có thẩm quyền unit-bloc; {member} ở unit-school-cell-1"

    named = name_ids(message, tree, person_namer(ledger, tree, cell_secretary))
    hidden = name_ids(message, tree, person_namer(ledger, tree, outsider))

    assert named == (
        "Đảng bộ Trường Chính trị tỉnh không phải cấp có thẩm quyền Đảng ủy Khối các cơ quan tỉnh; "
        "Đảng Viên B ở Chi bộ Khoa Lý luận cơ sở"
    )
    assert "Đảng Viên B" not in hidden and member not in hidden  # a member behind the wall stays unnamed


def test_a_transfer_goes_to_a_unit_chosen_by_name_or_code_and_waits_there(client: Client, settings: Settings) -> None:
    member = Desk(client, settings).enrol(1)
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    page = f"/web/people/{member}"
    transfer = {"expected_version": "1", "occurred_on": "01/12/2020", "kind": "official", "cause_on": "20/11/2020"}

    unknown = post_form(client, page, f"{page}/steps/introduceTransfer", transfer | {"to_unit_id": "TCT-CB9"})
    assert unknown.status_code == 422
    assert re.search(
        r'<label class="invalid">Chuyển đến tổ chức đảng \*.*?Không có “TCT-CB9” trong danh sách', unknown.text, re.S
    )

    taken = post_form(client, page, f"{page}/steps/introduceTransfer", transfer | {"to_unit_id": "tct-cb2"})

    assert taken.status_code == 303, taken.text
    catch_up(settings)
    sign_in(client, settings, Role.CELL_SECRETARY, SIBLING)
    assert "Đảng Viên B" in client.get(f"/web/units/{SIBLING}/transfers").text  # the receiving cell sees it


def test_a_candidate_moves_to_a_cell_and_a_helper_chosen_by_name(client: Client, settings: Settings) -> None:
    """The school's officer moves a candidate to another of its cells; the new helper is that cell's member."""
    desk = Desk(client, settings)
    school = desk.who(Role.GRASSROOTS_OFFICER, "unit-school")
    enrolment = {
        "citizen_id": citizen(5), "particulars": particulars("Đảng Viên F"), "cell_id": SIBLING,
        "admitted_on": "2010-05-01", "ceremony_on": "2010-05-19", "official_from": "2011-05-19",
        "roll_ref": "Sổ 5", "occurred_on": "2020-11-02", "expected_version": 0,
    }  # fmt: skip
    assert desk.post(school, "/people/enrolment", enrolment).status_code == 201
    who = desk.nominate(9, desk.enrol(1))
    catch_up(settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, "unit-school")
    page = f"/web/people/{who}"
    move = {"expected_version": "1", "occurred_on": "10/01/2021", "to_cell_id": "khoa xay dung dang",
            "helper_id": "dang vien f"}  # fmt: skip

    taken = post_form(client, page, f"{page}/steps/transferCandidate", move)

    assert taken.status_code == 303, taken.text
    after = client.get(taken.headers["location"]).text
    assert "Chi bộ Khoa Xây dựng Đảng" in after and "<dd>Đảng Viên F</dd>" in after


def test_relatives_are_verified_as_rows_with_their_year_of_birth(client: Client, settings: Settings) -> None:
    """Issue 22: relation, full name and year of birth per row; the candidate's own row comes filled in; a year
    after the paper's is refused on the rows, naming the year of birth; the page lists each year kept."""
    desk = Desk(client, settings)
    cell, who = desk.cell, desk.nominate(9, desk.enrol(1))
    v = desk.step(cell, who, "/training-certificate", 1, "2021-01-15", certificate_ref="GCN", issued_on="2021-01-10")
    v = desk.step(cell, who, "/application", v, "2021-02-01", application_ref="Đơn 1-KNĐ")
    v = desk.step(cell, who, "/background-form", v, "2021-02-02", form_ref="Lý lịch 2-KNĐ")
    sign_in(client, settings, Role.CELL_SECRETARY, CELL)
    page = f"/web/people/{who}"
    shown = client.get(page).text
    assert 'name="subjects.0.full_name" value="Quần Chúng Ưu Tú"' in shown
    assert re.search(r'Năm sinh<input name="subjects\.0\.birth_year"[^>]*value="1985"', shown)
    rows = {"expected_version": str(v), "occurred_on": "03/02/2021",
            "subjects.0.relation": "self", "subjects.0.full_name": "Quần Chúng Ưu Tú", "subjects.0.birth_year": "1985",
            "subjects.1.relation": "father", "subjects.1.full_name": "Nguyễn Văn Bình"}  # fmt: skip

    late = post_form(client, page, f"{page}/steps/openVerification", rows | {"subjects.1.birth_year": "2030"})
    typo = post_form(client, page, f"{page}/steps/openVerification", rows | {"subjects.1.birth_year": "196O"})
    taken = post_form(client, page, f"{page}/steps/openVerification", rows | {"subjects.1.birth_year": "1960"})

    assert late.status_code == 422 and typo.status_code == 422
    assert re.search(r'class="field-error" role="alert">Năm sinh 2030 của người thứ 2[^<]*1900 đến 2021', late.text)
    assert "Dòng 2: năm sinh phải là bốn chữ số" in typo.text
    assert taken.status_code == 303, taken.text
    after = client.get(taken.headers["location"]).text
    assert "Bản thân: Quần Chúng Ưu Tú (sinh năm 1985) — đang chờ kết quả" in after
    assert "Cha: Nguyễn Văn Bình (sinh năm 1960) — đang chờ kết quả" in after


@pytest.mark.parametrize(
    ("role", "unit", "shown"),
    [
        (Role.CELL_SECRETARY, CELL, "Bí thư chi bộ · Chi bộ Khoa Lý luận cơ sở"),
        (Role.UPPER_OFFICER, "unit-bloc", "Cán bộ cấp ủy cấp trên · Đảng ủy Khối các cơ quan tỉnh"),
    ],
)
def test_a_service_token_session_is_named_by_its_role_and_units_name_never_an_id(
    client: Client, settings: Settings, role: Role, unit: str, shown: str
) -> None:
    """A token names no person: the header says which role of which unit is signed in, never its login id."""
    sign_in(client, settings, role, unit)
    page = client.get(f"/web/units/{unit}").text
    header = re.search(r'<span class="who">([^<]*)</span>', page)
    assert header is not None
    assert header.group(1) == shown
    assert "user-" not in header.group(1) and unit not in header.group(1)
