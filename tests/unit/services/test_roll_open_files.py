"""Open files imported from the roll (sheet "Hồ sơ đang xét"): each row the domain's steps up to its stage, a
row whose steps break a rule refused in the dry run naming the row and the person, the same file again adding
nothing."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import load_workbook

from domain.person.stages import Stage
from services.commands.context import CommandContext
from services.commands.person_log import load_person
from services.commands.roll_import import ImportReport, import_roll
from services.commands.roll_sheets import OPEN_FILES_SHEET, read_roll
from services.commands.roll_template import roll_template
from services.commands.walls import today
from tests.unit.services.conftest import Bell
from tests.unit.services.test_roll_import import ADMIN, CELL

OFFICIAL = "079085001234"  # the template's first member, official since 2011
PROBATIONARY = "079301007890"  # the template's member on probation


def workbook(*rows: list[Any]) -> BytesIO:
    book = load_workbook(BytesIO(roll_template("TU", today())))
    for row in rows:
        book[OPEN_FILES_SHEET].append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return out


def open_file(citizen_id: str, name: str, stage: Stage, **changes: Any) -> list[Any]:
    values = {
        "citizen_id": citizen_id, "full_name": name, "sex": "Nam", "date_of_birth": date(1998, 3, 9),
        "ethnicity": "Kinh", "religion": "Không", "education": "Đại học", "occupation": "Công an", "hometown": None,
        "cell_code": CELL, "stage": stage.label_vi, "helper": OFFICIAL, "nominated_on": date(2025, 1, 6),
        "resolution_ref": "Nghị quyết chi bộ số 09-NQ/CB", "certificate_ref": "Giấy chứng nhận số 77",
        "certificate_issued_on": date(2025, 3, 3), "applied_on": date(2025, 6, 2),
        "application_ref": "Đơn xin vào Đảng", "background_form_on": None, "background_form_ref": None,
    }  # fmt: skip
    values.update(changes)
    return list(values.values())


def run(ctx: CommandContext, source: BytesIO, *, write: bool) -> ImportReport:
    return import_roll(ctx, ADMIN, read_roll(source), write=write)


def test_each_open_file_is_imported_at_its_stage_with_its_steps_dated_as_on_their_papers(
    ctx: CommandContext, bell: Bell
) -> None:
    extra = open_file("079098000501", "Bùi Văn Lâm", Stage.TRAINED)

    report = run(ctx, workbook(extra), write=True)

    assert report.problems == []
    assert (report.files_new, report.files_written) == (3, 3)
    stages = {}
    for citizen in ("079204001111", "079199002222", "079098000501"):
        person = load_person(ctx.store, ctx.person_id_of(citizen))
        stages[person.particulars.full_name if person.particulars else ""] = person.stage
    assert stages == {"Phạm Minh Khoa": Stage.SOURCE_POOL, "Đặng Thu Hà": Stage.APPLIED, "Bùi Văn Lâm": Stage.TRAINED}
    recorded = ctx.store.read_stream(ctx.person_id_of("079098000501"))
    assert [(r.event_type, r.occurred_on) for r in recorded] == [
        ("CandidateNominated", date(2025, 1, 6)),
        ("AwarenessTrainingCertified", date(2025, 3, 3)),
    ]
    assert ctx.tree().unit_with_code(CELL) in bell.rung


def test_a_dry_run_refuses_a_row_whose_steps_break_a_rule_naming_the_row_and_the_person(ctx: CommandContext) -> None:
    head = ctx.store.head_position()
    rows = [
        open_file("079098000601", "Châu Văn Minh", Stage.SOURCE_POOL, helper=PROBATIONARY),  # row 4
        open_file("079098000602", "Lưu Văn Nam", Stage.APPLIED, applied_on=date(2025, 2, 3)),  # row 5: before class
        open_file("079098000603", "Tạ Văn Oanh", Stage.CELL_APPROVED),  # row 6: a stage not imported
        open_file("079098000604", "Kiều Văn Phú", Stage.APPLIED, application_ref=None),  # row 7
    ]

    report = run(ctx, workbook(*rows), write=False)

    found = {(p.sheet, p.row, p.column, p.rule) for p in report.problems}
    assert found == {
        (OPEN_FILES_SHEET, 4, "Số CCCD người giúp đỡ", "R-HELPER-OFFICIAL"),
        (OPEN_FILES_SHEET, 5, "Ngày nộp đơn xin vào Đảng", "R-STAGE-ORDER"),
        (OPEN_FILES_SHEET, 6, "Giai đoạn", "R-STAGE-ORDER"),
        (OPEN_FILES_SHEET, 7, "Số đơn xin vào Đảng", "application_ref"),
    }
    lines = {p.row: p.line() for p in report.problems}
    assert lines[4].startswith("Trang “Hồ sơ đang xét”, dòng 4, cột “Số CCCD người giúp đỡ” [R-HELPER-OFFICIAL]: ")
    assert "Châu Văn Minh" in lines[4] and "Lê Hoàng Mai" in lines[4]
    assert all("person-" not in line and "unit-" not in line for line in lines.values())
    assert "Lưu Văn Nam" in lines[5] and "Tạ Văn Oanh" in lines[6]
    assert report.files_new == 2  # the template's own two
    assert ctx.store.head_position() == head


def test_the_same_open_files_again_add_nothing(ctx: CommandContext, bell: Bell) -> None:
    run(ctx, workbook(), write=True)
    head = ctx.store.head_position()
    bell.rung.clear()

    again = run(ctx, workbook(), write=True)

    assert again.problems == []
    assert (again.files_present, again.files_new, again.files_written) == (2, 0, 0)
    assert ctx.store.head_position() == head and bell.rung == []


def test_an_open_file_for_someone_on_the_members_sheet_is_refused_as_a_second_row(ctx: CommandContext) -> None:
    report = run(ctx, workbook(open_file(OFFICIAL, "Nguyễn Văn An", Stage.SOURCE_POOL)), write=False)

    assert [(p.sheet, p.row, p.rule) for p in report.problems] == [(OPEN_FILES_SHEET, 4, "citizen_id")]
    assert "dòng 2 trang “Đảng viên”" in report.problems[0].message_vi
