"""A file's pickers of cells (issue 21): the cells of the file's own commune-level committee are listed, any
other is found by name or code with "Tìm" (no script), a candidate's new cell only within the caller's walls
(a cell beyond them is not found, as one that does not exist), and the page reads members' rolls only for the
cells it lists — never the whole province's."""

from __future__ import annotations

import re
from typing import Any

import pytest

from projections import queries
from services.api.web.cell_pickers import cell_finder
from services.commands.actors import Role
from services.commands.walls import today
from services.settings import Settings
from tests.e2e.another_commune import NEAR_LABEL, OTHER_CELL, OTHER_LABEL, another_commune
from tests.e2e.conftest import Client
from tests.e2e.desk import CELL, Desk
from tests.e2e.web_support import catch_up, post_form, sign_in


def datalist(html: str, form: str, field: str) -> list[str]:
    found = re.search(rf'<datalist id="{form}-{field}">(.*?)</datalist>', html, re.S)
    assert found is not None, (form, field)
    return re.findall(r'<option value="([^"]*)"', found.group(1))


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field-error" role="alert">([^<]*)<', html)


def test_a_members_transfer_lists_its_communes_cells_and_finds_any_other(client: Client, settings: Settings) -> None:
    another_commune(client, settings)
    member = Desk(client, settings).enrol(1)
    catch_up(settings)
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, "unit-province")
    page = f"/web/people/{member}"
    shown = client.get(page).text
    listed = datalist(shown, "introduceTransfer", "to_unit_id")
    assert NEAR_LABEL in listed and OTHER_LABEL not in listed and len(listed) == 4  # the bloc's cells but its own
    assert "Danh sách có các chi bộ thuộc Đảng ủy Khối các cơ quan tỉnh" in shown
    transfer = {"expected_version": "1", "occurred_on": "01/12/2020", "kind": "official", "cause_on": "20/11/2020"}
    action = f"{page}/steps/introduceTransfer"

    searched = post_form(client, page, action, transfer | {"to_unit_id": "to toan", "find": "to_unit_id"})

    assert searched.status_code == 200
    assert f"Đã tìm thấy: {OTHER_LABEL}." in searched.text
    assert f'name="to_unit_id" list="introduceTransfer-to_unit_id" value="{OTHER_LABEL}"' in searched.text
    assert 'value="01/12/2020"' in searched.text and "<details open" in searched.text  # nothing typed is lost
    assert datalist(searched.text, "introduceTransfer", "to_unit_id")[0] == OTHER_LABEL
    assert 'name="expected_version" value="1"' in client.get(page).text  # nothing recorded
    many = post_form(client, page, action, transfer | {"to_unit_id": "chi bo", "find": "to_unit_id"})
    assert "Có 5 chi bộ khớp với “chi bo”: hãy chọn một trong danh sách của ô này." in many.text
    none = post_form(client, page, action, transfer | {"to_unit_id": "<b>Tổ Văn</b>", "find": "to_unit_id"})
    assert "Không tìm thấy chi bộ nào khớp với “&lt;b&gt;Tổ Văn&lt;/b&gt;”." in none.text

    taken = post_form(client, page, action, transfer | {"to_unit_id": OTHER_LABEL})

    assert taken.status_code == 303, taken.text
    catch_up(settings)
    sign_in(client, settings, Role.CELL_SECRETARY, OTHER_CELL)
    assert "Đảng Viên B" in client.get(f"/web/units/{OTHER_CELL}/transfers").text


def test_a_candidates_new_cell_is_found_within_the_walls_with_its_members_as_helpers(
    client: Client, settings: Settings
) -> None:
    another_commune(client, settings)
    desk = Desk(client, settings)
    who = desk.nominate(9, desk.enrol(1))
    catch_up(settings)
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, "unit-province")
    page = f"/web/people/{who}"
    assert OTHER_LABEL not in datalist(client.get(page).text, "transferCandidate", "to_cell_id")
    move = {"expected_version": "1", "occurred_on": "10/01/2021", "to_cell_id": "tổ toán", "find": "to_cell_id"}

    searched = post_form(client, page, f"{page}/steps/transferCandidate", move)

    assert f"Đã tìm thấy: {OTHER_LABEL}." in searched.text
    helpers = datalist(searched.text, "transferCandidate", "helper_id")
    assert "Đảng Viên G (sinh 01/04/1985) — Chi bộ Tổ Toán" in helpers  # the new cell's members are offered
    taken = post_form(client, page, f"{page}/steps/transferCandidate", move | {"find": "", "helper_id": "dang vien g"})
    assert taken.status_code == 303, taken.text
    assert "<dd>Đảng Viên G</dd>" in client.get(taken.headers["location"]).text

    # The school's officer sees its own cells only: the other commune's cell is refused exactly as a made-up one.
    other = desk.nominate(8, desk.enrol(2))
    catch_up(settings)
    sign_in(client, settings, Role.GRASSROOTS_OFFICER, "unit-school")
    page = f"/web/people/{other}"
    assert "Danh sách có các chi bộ thuộc Đảng bộ Trường Chính trị tỉnh." in client.get(page).text  # all it sees
    posted = {"expected_version": "1", "occurred_on": "10/01/2021", "helper_id": "dang vien c"}
    beyond = post_form(client, page, f"{page}/steps/transferCandidate", posted | {"to_cell_id": "Chi bộ Tổ Toán"})
    made_up = post_form(client, page, f"{page}/steps/transferCandidate", posted | {"to_cell_id": "Chi bộ Tổ Văn"})
    assert beyond.status_code == made_up.status_code == 422
    assert [e.replace("Tổ Toán", "…") for e in field_errors(beyond.text)] == [
        e.replace("Tổ Văn", "…") for e in field_errors(made_up.text)
    ]
    tree = client.app.state.ledger.tree()
    assert cell_finder(tree, today(), "unit-school")("to toan") == ()  # a search within the school's walls
    assert [o.value for o in cell_finder(tree, today(), "unit-province")("to toan")] == [OTHER_CELL]


def test_a_file_reads_the_rolls_of_its_own_cell_and_commune_never_the_provinces(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    another_commune(client, settings)
    desk = Desk(client, settings)
    member = desk.enrol(1)
    candidate = desk.nominate(9, member)
    catch_up(settings)
    sign_in(client, settings, Role.PROVINCIAL_ADMIN, "unit-province")
    asked: list[list[str]] = []
    real = queries.member_roll

    def member_roll(connection: Any, units: list[str], *args: Any) -> Any:
        asked.append(list(units))
        return real(connection, units, *args)

    monkeypatch.setattr(queries, "member_roll", member_roll)

    assert client.get(f"/web/people/{member}").status_code == 200
    assert all(units == [CELL] for units in asked)  # at most its own cell's, for a picker of its members
    asked.clear()
    assert client.get(f"/web/people/{candidate}").status_code == 200
    bloc = {CELL, *(f"unit-school-cell-{n}" for n in range(2, 6))}
    assert asked and all(set(units) <= bloc for units in asked)  # its own cell (a new cell's once one is chosen)
    assert all(OTHER_CELL not in units and "unit-province" not in units for units in asked)
    asked.clear()
    page = f"/web/people/{candidate}"
    move = {"expected_version": "1", "to_cell_id": "to toan", "find": "to_cell_id"}
    assert post_form(client, page, f"{page}/steps/transferCandidate", move).status_code == 200
    assert {tuple(units) for units in asked} == {(CELL,), (OTHER_CELL,)}  # and the new cell's, once it is chosen
