"""The roll's template: the workbook `import-members` reads, with its instructions, its lists and a filled example.

One function makes it (`roll_template`), for the dashboard's download and the command line alike. The example
hangs under the caller's own province code and dates its probationary member a few months before today, so
the file imports cleanly as it is (a test does so).
"""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from domain.ethnicity import Ethnicity
from domain.particulars import EducationLevel, Occupation, Religion, Sex
from domain.person.stages import Stage
from domain.rules.periods import add_months
from domain.units.kinds import UnitKind

from .roll_sheets import (
    IMPORTED_STAGES,
    MEMBER_COLUMNS,
    MEMBERS_SHEET,
    OPEN_FILE_COLUMNS,
    OPEN_FILES_SHEET,
    UNIT_COLUMNS,
    UNITS_SHEET,
    Column,
)

LISTS_SHEET: Final = "Danh mục"
GUIDE_SHEET: Final = "Hướng dẫn"
HEADER: Final = Font(bold=True, color="FFFFFF")
HEADER_FILL: Final = PatternFill("solid", fgColor="9B1C1C")

LISTS: Final[dict[str, list[str]]] = {
    "Loại tổ chức": [k.label_vi for k in UnitKind if k is not UnitKind.PROVINCIAL_COMMITTEE],
    "Có / Không": ["Có", "Không"],
    "Giới tính": [s.label_vi for s in Sex],
    "Dân tộc": [e.label_vi for e in Ethnicity],
    "Tôn giáo": [r.label_vi for r in Religion],
    "Trình độ học vấn": [e.label_vi for e in EducationLevel],
    "Nghề nghiệp": [o.label_vi for o in Occupation],
    "Giai đoạn": [stage.label_vi for stage in IMPORTED_STAGES],
}
LIST_OF_FIELD: Final = {
    "kind": "Loại tổ chức",
    "admission_delegated": "Có / Không",
    "sex": "Giới tính",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education": "Trình độ học vấn",
    "occupation": "Nghề nghiệp",
    "stage": "Giai đoạn",
}
TEXT_FIELDS: Final = frozenset({"citizen_id", "code", "parent_code", "cell_code", "helper_citizen_id"})


def example_units(province_code: str) -> list[list[Any]]:
    return [
        ["VD.BT", "Đảng bộ phường Bến Thành", UnitKind.UPPER_COMMITTEE.label_vi, province_code, "Không"],
        ["VD.BT.BTX", "Đảng bộ Trường THPT Bùi Thị Xuân", UnitKind.GRASSROOTS_COMMITTEE.label_vi, "VD.BT", "Có"],
        ["VD.BT.BTX.TOAN", "Chi bộ Tổ Toán - Tin", UnitKind.CELL.label_vi, "VD.BT.BTX", "Không"],
    ]


def example_members(today: date) -> list[list[Any]]:
    """Two official members and one on probation (ceremony four months before `today`)."""
    ceremony = add_months(today, -4)
    return [
        ["079085001234", "Nguyễn Văn An", "Nam", date(1985, 4, 12), "Kinh", "Không", "Đại học",
         "Viên chức đơn vị sự nghiệp công lập", "Quận 1, Thành phố Hồ Chí Minh", "VD.BT.BTX.TOAN",
         date(2010, 3, 12), date(2010, 3, 26), date(2011, 3, 26), "Thẻ đảng viên số 79001234"],
        ["079192004567", "Trần Thị Bích Ngọc", "Nữ", date(1992, 11, 3), "Hoa", "Phật giáo", "Thạc sĩ",
         "Viên chức đơn vị sự nghiệp công lập", None, "VD.BT.BTX.TOAN",
         date(2016, 9, 2), date(2016, 9, 19), date(2017, 9, 19), "Thẻ đảng viên số 79004567"],
        ["079301007890", "Lê Hoàng Mai", "Nữ", date(2001, 6, 20), "Kinh", "Công giáo", "Đại học",
         "Viên chức đơn vị sự nghiệp công lập", "Huế", "VD.BT.BTX.TOAN",
         ceremony - timedelta(days=15), ceremony, None, "Danh sách đảng viên dự bị, số 0012"],
    ]  # fmt: skip


def example_open_files(today: date) -> list[list[Any]]:
    """A candidate in the source pool and one whose application is in, helped by the first example member."""
    return [
        ["079204001111", "Phạm Minh Khoa", "Nam", date(2004, 2, 14), "Kinh", "Không", "Đại học",
         "Viên chức đơn vị sự nghiệp công lập", None, "VD.BT.BTX.TOAN", Stage.SOURCE_POOL.label_vi, "079085001234",
         add_months(today, -2), "Nghị quyết chi bộ số 05-NQ/CB", None, None, None, None, None, None],
        ["079199002222", "Đặng Thu Hà", "Nữ", date(1999, 8, 30), "Kinh", "Không", "Thạc sĩ",
         "Viên chức đơn vị sự nghiệp công lập", "Đà Lạt, Lâm Đồng", "VD.BT.BTX.TOAN", Stage.APPLIED.label_vi,
         "079085001234", add_months(today, -14), "Nghị quyết chi bộ số 02-NQ/CB", "Giấy chứng nhận số 118",
         add_months(today, -13), add_months(today, -6), "Đơn xin vào Đảng ngày nộp", add_months(today, -5),
         "Lý lịch người xin vào Đảng số 07"],
    ]  # fmt: skip


def roll_template(province_code: str, today: date) -> bytes:
    """The workbook: instructions, the two sheets with their headers and example rows, the lists they take."""
    book = Workbook()
    guide = book.active
    assert guide is not None
    guide.title = GUIDE_SHEET
    _guide(guide)
    lists = book.create_sheet(LISTS_SHEET)
    ranges = _lists(lists)
    _sheet(book.create_sheet(UNITS_SHEET, 1), UNIT_COLUMNS, example_units(province_code), ranges)
    _sheet(book.create_sheet(MEMBERS_SHEET, 2), MEMBER_COLUMNS, example_members(today), ranges)
    _sheet(book.create_sheet(OPEN_FILES_SHEET, 3), OPEN_FILE_COLUMNS, example_open_files(today), ranges)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _guide(sheet: Any) -> None:
    lines = [
        "Mẫu nhập sổ đảng viên (Party Ledger)",
        "",
        f"1. Trang “{UNITS_SHEET}”: mỗi dòng một tổ chức đảng; tổ chức cấp trên phải có trong sổ hoặc trong trang.",
        f"2. Trang “{MEMBERS_SHEET}”: mỗi dòng một đảng viên đã kết nạp trước khi dùng sổ.",
        "3. Ngày ghi theo dạng dd/mm/yyyy; các giá trị có danh sách chọn lấy theo trang “Danh mục”.",
        "4. Ngày công nhận chính thức đúng 12 tháng sau ngày lễ kết nạp; để trống nếu còn dự bị.",
        "5. Kiểm tra trước (--dry-run hoặc nút “Kiểm tra”): sổ chỉ ghi khi mọi dòng hợp lệ,",
        "   hoặc khi chọn chỉ ghi các dòng hợp lệ. Nhập lại cùng một tệp không ghi thêm gì.",
        "6. Các dòng ví dụ (mã bắt đầu bằng VD) hãy xóa trước khi nhập dữ liệu thật.",
        f"7. Trang “{OPEN_FILES_SHEET}” (không bắt buộc): mỗi dòng một hồ sơ đang xét, ở giai đoạn đã đến",
        "   (nguồn, đã học lớp nhận thức về Đảng, đã có đơn xin vào Đảng) với ngày và số văn bản của từng bước",
        "   đã qua; mỗi bước được kiểm tra theo thứ tự và theo quy định như khi ghi trên trang hồ sơ.",
        "   Người giúp đỡ là đảng viên chính thức vào ngày đưa vào nguồn (trong sổ hoặc trang Đảng viên).",
        "   Các giai đoạn sau (thẩm tra, giới thiệu, biểu quyết…) ghi tiếp trên trang hồ sơ sau khi nhập.",
        "",
        "Cột | Bắt buộc | Ghi chú",
    ]
    for column in (*UNIT_COLUMNS, *MEMBER_COLUMNS, *OPEN_FILE_COLUMNS[9:]):
        lines.append(f"{column.header} | {'có' if column.required else 'không'} | {column.hint}")
    for number, line in enumerate(lines, start=1):
        sheet.cell(number, 1, line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _lists(sheet: Any) -> dict[str, str]:
    """Each list in a column of the lists sheet; answers the range a validation points at, by list name."""
    ranges: dict[str, str] = {}
    for index, (name, values) in enumerate(LISTS.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(1, index, name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            sheet.cell(row, index, value)
        sheet.column_dimensions[letter].width = 36
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _sheet(sheet: Any, columns: tuple[Column, ...], rows: list[list[Any]], ranges: dict[str, str]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(1, index, column.header)
        cell.font, cell.fill = HEADER, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        listed = LIST_OF_FIELD.get(column.field)
        if listed is not None:
            check = DataValidation(type="list", formula1=ranges[listed], allow_blank=not column.required)
            check.error, check.errorTitle = "Chọn một giá trị trong danh sách", column.header
            sheet.add_data_validation(check)
            check.add(f"{letter}2:{letter}100000")
    sheet.freeze_panes = "A2"
    for number, values in enumerate(rows, start=2):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(number, index, value)
            if isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
            elif column.field in TEXT_FIELDS:
                cell.number_format = "@"
