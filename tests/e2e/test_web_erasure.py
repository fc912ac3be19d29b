"""R-PRIVACY-ERASE and R-PRIVACY-RETAIN on the dashboard: the erasure form on a person's file (field messages and
refusals in Vietnamese, nothing recorded until it is right) and the unit's list of files past their retention
period, both walled like everything else."""

from __future__ import annotations

from datetime import timedelta

from domain.rules.periods import add_months
from services.commands.actors import Role
from services.commands.walls import today
from services.settings import Settings
from tests.e2e.conftest import Client
from tests.e2e.desk import SIBLING, Desk, log_position
from tests.e2e.web_support import CELL, catch_up, post_form, sign_in

SCHOOL = "unit-school"


def withdrawn_candidate(client: Client, settings: Settings, on: str = "2021-04-01") -> tuple[str, str]:
    """A member of cell 1 and a candidate the cell withdrew from the source pool on `on`: (candidate, member)."""
    desk = Desk(client, settings)
    member = desk.enrol(1)
    who = desk.nominate(9, member)
    answer = desk.post(desk.cell, f"/people/{who}/withdrawal",
                       {"reason": "Xin rút vì lý do gia đình", "occurred_on": on, "expected_version": 1})  # fmt: skip
    assert answer.status_code == 201, answer.text
    return who, member


def recently_past_its_period() -> str:
    """A withdrawal 24 months and five days ago: past its period five days, erased 25 days from now."""
    return (add_months(today(), -24) - timedelta(days=5)).isoformat()


def test_an_officer_erases_a_withdrawn_candidates_file_through_the_form(client: Client, settings: Settings) -> None:
    who, _ = withdrawn_candidate(client, settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, SCHOOL)
    form_path = f"/web/people/{who}/erasure"
    assert f'href="{form_path}"' in client.get(f"/web/people/{who}").text
    form = client.get(form_path)
    assert form.status_code == 200
    assert "Đã hoàn thành mục đích xử lý (hết thời hạn lưu trữ)" in form.text and "Quần Chúng Ưu Tú" in form.text

    head = log_position(client)
    empty = post_form(client, form_path, form_path, {"expected_version": "2", "decided_on": "31/02/2026"})
    assert empty.status_code == 422
    for message in ("Hãy chọn căn cứ xóa", "Hãy ghi số quyết định", "Phải là ngày dạng dd/mm/yyyy",
                    "Hãy đánh dấu xác nhận"):  # fmt: skip
        assert message in empty.text
    future = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    filled = {"ground": "purpose_complete", "decision_ref": "15-QĐ/ĐU", "confirm": "on", "expected_version": "2"}
    too_soon = post_form(client, form_path, form_path, filled | {"decided_on": future})
    assert too_soon.status_code == 422 and 'id="decided_on-error"' in too_soon.text
    assert log_position(client) == head

    done = post_form(client, form_path, form_path, filled | {"decided_on": today().strftime("%d/%m/%Y")})
    assert done.status_code == 303, done.text
    page = client.get(done.headers["location"]).text
    assert "Hồ sơ đã xóa dữ liệu cá nhân" in page and "Quần Chúng Ưu Tú" not in page
    assert f'href="{form_path}"' not in page
    assert 'id="next-steps"' not in page  # R-PRIVACY-ERASED: no step is offered on an erased file


def test_an_open_file_is_refused_naming_the_rule_and_nothing_is_recorded(client: Client, settings: Settings) -> None:
    _, member = withdrawn_candidate(client, settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, SCHOOL)
    form_path = f"/web/people/{member}/erasure"
    head = log_position(client)
    fields = {"ground": "purpose_complete", "decision_ref": "15-QĐ/ĐU", "confirm": "on", "expected_version": "1",
              "decided_on": today().strftime("%d/%m/%Y")}  # fmt: skip

    refused = post_form(client, form_path, form_path, fields)

    assert refused.status_code == 422
    assert "R-PRIVACY-ERASE" in refused.text and "quy định về xóa dữ liệu cá nhân" in refused.text
    assert "hồ sơ đang được sử dụng" in refused.text
    assert log_position(client) == head


def test_the_form_outside_the_walls_or_the_role_reads_like_a_missing_page(client: Client, settings: Settings) -> None:
    who, _ = withdrawn_candidate(client, settings)
    missing_path = "/web/people/person-00000000000000000000000000000000/erasure"
    for role, unit in ((Role.GRASSROOTS_OFFICER, SIBLING), (Role.CELL_SECRETARY, CELL), (Role.VIEWER, SCHOOL)):
        sign_in(client, settings, role, unit)
        foreign, missing = client.get(f"/web/people/{who}/erasure"), client.get(missing_path)
        assert foreign.status_code == missing.status_code == 404
        assert foreign.text == missing.text
    assert 'id="erase-link"' not in client.get(f"/web/people/{who}").text  # the viewer of the school: no link


def test_the_unit_sees_a_file_past_its_period_with_the_day_it_will_be_erased(
    client: Client, settings: Settings
) -> None:
    on = recently_past_its_period()
    who, _ = withdrawn_candidate(client, settings, on)
    catch_up(settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, SCHOOL)
    assert 'id="retention-link"' in client.get(f"/web/units/{SCHOOL}").text

    page = client.get(f"/web/units/{SCHOOL}/retention")

    assert page.status_code == 200
    row = page.text[page.text.index(f'data-person="{who}"') :]
    row = row[: row.index("</tr>")]
    closed = add_months(today(), -24) - timedelta(days=5)
    due = add_months(closed, 24)
    assert "Quần Chúng Ưu Tú" in row and "Rút khỏi danh sách nguồn" in row
    for day in (closed, due, due + timedelta(days=30)):
        assert day.strftime("%d/%m/%Y") in row


def test_the_retention_page_of_a_foreign_unit_reads_like_a_missing_one(client: Client, settings: Settings) -> None:
    withdrawn_candidate(client, settings, recently_past_its_period())
    for role, unit in ((Role.GRASSROOTS_OFFICER, SIBLING), (Role.CELL_SECRETARY, CELL)):
        sign_in(client, settings, role, unit)
        foreign, missing = client.get(f"/web/units/{SCHOOL}/retention"), client.get("/web/units/unit-none/retention")
        assert foreign.status_code == missing.status_code == 404
        assert foreign.text == missing.text
    assert 'id="retention-link"' not in client.get(f"/web/units/{CELL}").text


def test_hostile_values_come_back_on_the_form_and_record_nothing(client: Client, settings: Settings) -> None:
    who, _ = withdrawn_candidate(client, settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, SCHOOL)
    form_path = f"/web/people/{who}/erasure"
    head = log_position(client)
    good = {"ground": "purpose_complete", "decision_ref": "15-QĐ/ĐU", "confirm": "on", "expected_version": "2",
            "decided_on": today().strftime("%d/%m/%Y")}  # fmt: skip
    for bad in ({"decision_ref": "QĐ\x00 15"}, {"decision_ref": "Q" * 5000}, {"ground": "everything"},
                {"expected_version": "abc"}, {"expected_version": "1"}, {"decided_on": "99/99/99999"},
                {"decided_on": "2026-13-01"}):  # fmt: skip
        answer = post_form(client, form_path, form_path, good | bad)
        assert answer.status_code == 422, (bad, answer.status_code)
        assert 'class="refusal"' in answer.text or 'class="field-error"' in answer.text, bad
    assert log_position(client) == head
