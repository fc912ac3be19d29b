"""Importing the roll's workbook: every row decided by the domain, refusals named row by row in Vietnamese,
nothing written until the file is clean (unless only the clean rows are asked for), the same file twice adds
nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from domain.codec import EVENTS
from domain.person.member_events import MemberEnrolled
from eventstore import EventStore
from eventstore.store import opened
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.roll_import import ImportReport, import_roll
from services.commands.roll_sheets import MEMBERS_SHEET, UNITS_SHEET, read_roll
from services.commands.roll_template import roll_template
from services.commands.walls import WallDenied, today
from tests.unit.services.conftest import Bell

ADMIN = Actor("admin.tinhuy", Role.PROVINCIAL_ADMIN, "unit-province")
CELL = "VD.BT.BTX.TOAN"


Rows = list[list[Any]]


def workbook(units: Rows | None = None, members: Rows | None = None, *, order: str = "") -> BytesIO:
    """The template (example under the minimal province's code "TU") with extra rows appended."""
    book = load_workbook(BytesIO(roll_template("TU", today())))
    if order == "children-first":
        sheet = book[UNITS_SHEET]
        rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
        sheet.delete_rows(2, len(rows))
        for row in reversed(rows):
            sheet.append(row)
    for row in units or []:
        book[UNITS_SHEET].append(row)
    for row in members or []:
        book[MEMBERS_SHEET].append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def member(citizen_id: str | int, name: str, **changes: Any) -> list[Any]:
    values = {
        "citizen_id": citizen_id, "full_name": name, "sex": "Nam", "date_of_birth": date(1980, 1, 15),
        "ethnicity": "Kinh", "religion": "Không", "education": "Đại học", "occupation": "Công an",
        "hometown": None, "cell_code": CELL, "admitted_on": date(2005, 5, 10), "ceremony_on": date(2005, 5, 19),
        "official_from": date(2006, 5, 19), "roll_ref": "Thẻ đảng viên số 79009999",
    }  # fmt: skip
    values.update(changes)
    return list(values.values())


def run(ctx: CommandContext, source: BytesIO, *, write: bool, only_clean: bool = False) -> ImportReport:
    return import_roll(ctx, ADMIN, read_roll(source), write=write, only_clean=only_clean)


def enrolled(store: EventStore) -> list[MemberEnrolled]:
    found = []
    for stored in store.iter_raw():
        record = opened(store.cipher, stored)  # the raw row holds the particulars sealed (I13)
        event = EVENTS.decode(record.event_type, record.schema_version, record.data)
        if isinstance(event, MemberEnrolled):
            found.append(event)
    return found


BAD_MEMBERS = [
    member("079080000101", "Phạm Văn Bình", admitted_on=date(1997, 6, 1), ceremony_on=date(1997, 6, 20),
           official_from=date(1998, 6, 20)),  # row 5: 17 years old when admitted
    member("079080000102", "Võ Văn Cường", official_from=date(2006, 6, 1)),  # row 6: not 12 months after
    member("079080000103", "Đỗ Văn Dũng", cell_code="KHONG.CO"),  # row 7: no such cell
    member("079080000104", "Hồ Văn Em", date_of_birth="31/02/1980"),  # row 8: not a date
    member("079085001234", "Nguyễn Văn An"),  # row 9: the example's citizen ID again
    member("079180000105", "Ngô Văn Phúc"),  # row 10: the number says a woman
]  # fmt: skip


def test_the_template_imports_cleanly_and_enrols_its_members_into_its_cell(ctx: CommandContext, bell: Bell) -> None:
    report = run(ctx, workbook(), write=True)

    assert report.problems == []
    assert (report.units_written, report.members_written) == (3, 3)
    tree = ctx.tree()
    cell_id = tree.unit_with_code(CELL)
    assert cell_id is not None
    people = enrolled(ctx.store)
    assert {p.particulars.full_name for p in people} == {"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Mai"}
    assert {p.cell_id for p in people} == {cell_id}
    assert sorted(p.official_from is None for p in people) == [False, False, True]
    assert cell_id in bell.rung


def test_a_dry_run_names_each_refused_row_and_writes_nothing(ctx: CommandContext, bell: Bell) -> None:
    head = ctx.store.head_position()

    report = run(ctx, workbook(members=BAD_MEMBERS), write=False)

    found = {(p.sheet, p.row, p.column, p.rule) for p in report.problems}
    assert found == {
        (MEMBERS_SHEET, 5, "Ngày quyết định kết nạp", "R-ELIG-AGE"),
        (MEMBERS_SHEET, 6, "Ngày công nhận chính thức", "R-RECOGNISE-BACKDATE"),
        (MEMBERS_SHEET, 7, "Mã chi bộ", "R-UNIT-TREE"),
        (MEMBERS_SHEET, 8, "Ngày sinh", "date_of_birth"),
        (MEMBERS_SHEET, 9, "Số CCCD", "citizen_id"),
        (MEMBERS_SHEET, 10, "Số CCCD", "citizen_id"),
    }
    lines = {p.row: p.line() for p in report.problems}
    assert lines[5].startswith("Trang “Đảng viên”, dòng 5, cột “Ngày quyết định kết nạp” [R-ELIG-AGE]: đảng viên mới")
    assert lines[9].endswith("trùng số CCCD với dòng 2")
    assert "KHONG.CO" in lines[7]
    assert (report.units_new, report.members_new) == (3, 3)
    assert ctx.store.head_position() == head
    assert bell.rung == []


def test_a_file_with_refused_rows_writes_nothing_unless_only_the_clean_rows_are_asked_for(
    ctx: CommandContext,
) -> None:
    head = ctx.store.head_position()
    refused = run(ctx, workbook(members=BAD_MEMBERS), write=True)
    assert (refused.written, ctx.store.head_position()) == (False, head)

    clean = run(ctx, workbook(members=BAD_MEMBERS), write=True, only_clean=True)

    assert clean.written
    assert (clean.units_written, clean.members_written, len(clean.problems)) == (3, 3, 6)
    assert len(enrolled(ctx.store)) == 3


def test_the_same_file_again_adds_nothing(ctx: CommandContext, bell: Bell) -> None:
    first = run(ctx, workbook(members=[member("079080000201", "Đặng Văn Giang")]), write=True)
    assert first.members_written == 4
    head = ctx.store.head_position()
    bell.rung.clear()

    again = run(ctx, workbook(members=[member("079080000201", "Đặng Văn Giang")]), write=True)

    assert again.problems == []
    assert (again.units_present, again.members_present, again.units_new, again.members_new) == (3, 4, 0, 0)
    assert ctx.store.head_position() == head
    assert bell.rung == []


def test_a_changed_row_for_a_member_already_enrolled_is_refused_by_the_stage_order(ctx: CommandContext) -> None:
    run(ctx, workbook(members=[member("079080000401", "Mạc Văn Khoa")]), write=True)

    changed = run(ctx, workbook(members=[member("079080000401", "Mạc Văn Khoa", roll_ref="Thẻ số 79000401")]),
                  write=False)  # fmt: skip

    assert [(p.row, p.rule) for p in changed.problems] == [(5, "R-STAGE-ORDER")]
    assert changed.members_present == 3


def test_units_may_come_children_first_and_a_missing_parent_is_named(ctx: CommandContext) -> None:
    extra = [["VD.X", "Chi bộ mồ côi", "Chi bộ", "KHONG.CO", None]]

    report = run(ctx, workbook(units=extra, order="children-first"), write=False)

    assert [(p.sheet, p.row, p.column, p.rule) for p in report.problems] == [
        (UNITS_SHEET, 5, "Mã tổ chức cấp trên", "R-UNIT-TREE")
    ]
    assert report.units_new == 3


def test_only_a_provincial_administrator_imports(ctx: CommandContext) -> None:
    officer = Actor("canbo.truongchinhtri", Role.GRASSROOTS_OFFICER, "unit-school")
    with pytest.raises(WallDenied):
        import_roll(ctx, officer, read_roll(workbook()), write=False)


def test_a_number_typed_as_a_number_keeps_its_leading_zero(ctx: CommandContext) -> None:
    report = run(ctx, workbook(members=[member(79080000301, "Lý Văn Hải")]), write=False)

    assert report.problems == []
    assert report.members_new == 4
