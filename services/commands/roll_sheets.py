"""The roll as a province keeps it today: an Excel workbook, read into typed rows (openpyxl, read-only mode).

Two sheets with Vietnamese headers, documented in the template (`roll_template.py`) and in `deploy/README.md`:

- **Tổ chức** — one row per unit: its code, name, kind (as the officers name it: "Chi bộ", "Đảng bộ cơ sở", …),
  the code of the unit above it (one already in the ledger or one of the sheet) and whether it was delegated
  the power to admit (R-AUTH-ADMIT).
- **Đảng viên** — one row per member admitted before the ledger: the citizen ID, the particulars, the code of
  the cell, the dates of the admission decision and the ceremony, the date official (blank while on
  probation) and the party card or probationary-roll reference.
- **Hồ sơ đang xét** (optional) — one row per open file: the person, the cell, the stage it has reached
  (`IMPORTED_STAGES`) and the date and paper of each step taken to reach it (the nomination with its
  official helper, the awareness-class certificate, the application and the background form).

Headers are found by name in any order (with or without diacritics, any case); a cell that cannot be read is a
`RowProblem` naming the sheet, the row, the column and the field, and the row is not decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any, Final, Protocol, TypeVar

from openpyxl import load_workbook

from domain.ethnicity import Ethnicity
from domain.particulars import EducationLevel, Occupation, Religion, Sex
from domain.person.stages import Stage
from domain.text import search_key
from domain.units.kinds import UnitKind

UNITS_SHEET: Final = "Tổ chức"
MEMBERS_SHEET: Final = "Đảng viên"
OPEN_FILES_SHEET: Final = "Hồ sơ đang xét"


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its Vietnamese header, the field it fills, whether a row must give it, a hint."""

    header: str
    field: str
    required: bool = True
    hint: str = ""


UNIT_COLUMNS: Final = (
    Column("Mã tổ chức", "code", hint="chữ không dấu, số, '.', '-', '_'; duy nhất trong tỉnh"),
    Column("Tên tổ chức", "name"),
    Column("Loại tổ chức", "kind", hint="Chi bộ / Chi bộ cơ sở / Đảng bộ bộ phận / Đảng bộ cơ sở / …"),
    Column("Mã tổ chức cấp trên", "parent_code", hint="đã có trong sổ hoặc có trong trang này"),
    Column("Được ủy quyền kết nạp", "admission_delegated", required=False, hint="Có / Không (để trống: Không)"),
)
MEMBER_COLUMNS: Final = (
    Column("Số CCCD", "citizen_id", hint="12 chữ số, định dạng văn bản để giữ số 0 đầu"),
    Column("Họ và tên", "full_name"),
    Column("Giới tính", "sex", hint="Nam / Nữ"),
    Column("Ngày sinh", "date_of_birth", hint="dd/mm/yyyy"),
    Column("Dân tộc", "ethnicity"),
    Column("Tôn giáo", "religion", hint="Không, nếu không theo tôn giáo nào"),
    Column("Trình độ học vấn", "education"),
    Column("Nghề nghiệp", "occupation"),
    Column("Quê quán", "hometown", required=False),
    Column("Mã chi bộ", "cell_code", hint="mã của chi bộ hoặc chi bộ cơ sở đảng viên sinh hoạt"),
    Column("Ngày quyết định kết nạp", "admitted_on", hint="dd/mm/yyyy"),
    Column("Ngày lễ kết nạp", "ceremony_on", hint="dd/mm/yyyy"),
    Column("Ngày công nhận chính thức", "official_from", required=False, hint="để trống nếu còn dự bị"),
    Column("Số thẻ đảng viên / số danh sách dự bị", "roll_ref"),
)
IMPORTED_STAGES: Final = (Stage.SOURCE_POOL, Stage.TRAINED, Stage.APPLIED)
"""The stages an open file is imported at (each the sequence of its steps); a later stage is named and refused."""
OPEN_FILE_COLUMNS: Final = (
    *MEMBER_COLUMNS[:9],
    Column("Mã chi bộ", "cell_code", hint="chi bộ đang xét hồ sơ"),
    Column("Giai đoạn", "stage", hint=" / ".join(s.label_vi for s in IMPORTED_STAGES)),
    Column("Số CCCD người giúp đỡ", "helper_citizen_id", hint="đảng viên chính thức (trong sổ hoặc trang Đảng viên)"),
    Column("Ngày đưa vào nguồn", "nominated_on", hint="dd/mm/yyyy: ngày nghị quyết của chi bộ"),
    Column("Số nghị quyết đưa vào nguồn", "resolution_ref"),
    Column("Số giấy chứng nhận lớp nhận thức", "certificate_ref", required=False, hint="từ giai đoạn đã học lớp"),
    Column("Ngày cấp giấy chứng nhận", "certificate_issued_on", required=False, hint="dd/mm/yyyy"),
    Column("Ngày nộp đơn xin vào Đảng", "applied_on", required=False, hint="từ giai đoạn đã có đơn"),
    Column("Số đơn xin vào Đảng", "application_ref", required=False),
    Column("Ngày nộp lý lịch", "background_form_on", required=False, hint="nếu đã nộp (giai đoạn đã có đơn)"),
    Column("Số lý lịch", "background_form_ref", required=False),
)
"""An open file: the person, the cell, the stage reached and the papers of the steps taken to reach it."""
COLUMN_OF_FIELD: Final = {c.field: c.header for c in (*UNIT_COLUMNS, *MEMBER_COLUMNS, *OPEN_FILE_COLUMNS)}


@dataclass(frozen=True)
class RowProblem:
    """Why one row would be refused: where (sheet, row, column) and which rule or field, in Vietnamese."""

    sheet: str
    row: int
    column: str | None
    rule: str
    message_vi: str

    def line(self) -> str:
        where = f"Trang “{self.sheet}”, dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where} [{self.rule}]: {self.message_vi}"


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    kind: UnitKind
    parent_code: str
    admission_delegated: bool


@dataclass(frozen=True)
class MemberRow:
    row: int
    citizen_id: str
    full_name: str
    sex: Sex
    date_of_birth: date
    ethnicity: Ethnicity
    religion: Religion
    education: EducationLevel
    occupation: Occupation
    hometown: str | None
    cell_code: str
    admitted_on: date
    ceremony_on: date
    official_from: date | None
    roll_ref: str


@dataclass(frozen=True)
class OpenFileRow:
    row: int
    citizen_id: str
    full_name: str
    sex: Sex
    date_of_birth: date
    ethnicity: Ethnicity
    religion: Religion
    education: EducationLevel
    occupation: Occupation
    hometown: str | None
    cell_code: str
    stage: Stage
    helper_citizen_id: str
    nominated_on: date
    resolution_ref: str
    certificate_ref: str | None
    certificate_issued_on: date | None
    applied_on: date | None
    application_ref: str | None
    background_form_on: date | None
    background_form_ref: str | None


@dataclass(frozen=True)
class Roll:
    """What the workbook holds: the rows that could be read, and the problems of those that could not."""

    units: tuple[UnitRow, ...]
    members: tuple[MemberRow, ...]
    problems: tuple[RowProblem, ...]
    open_files: tuple[OpenFileRow, ...] = ()

    @property
    def expected_members(self) -> int:
        return len(self.members)

    def member_chunks(self) -> Iterator[tuple[Sequence[MemberRow], Sequence[RowProblem]]]:
        """All the members at once (their problems are already in `problems`)."""
        yield self.members, ()


class RollFeed(Protocol):
    """A roll as the import decides it: its units at once, its members in chunks as they are read, each with
    the problems of the rows read meanwhile (a `Roll`, or `roll_reading.ParallelRoll` read by a second process).
    `problems` are those known before the members: all of them for a `Roll`."""

    @property
    def units(self) -> tuple[UnitRow, ...]: ...

    @property
    def problems(self) -> tuple[RowProblem, ...]: ...

    @property
    def open_files(self) -> tuple[OpenFileRow, ...]: ...

    @property
    def expected_members(self) -> int:
        """How many member rows the sheet says it holds (for progress), 0 if it does not say."""
        ...

    def member_chunks(self) -> Iterator[tuple[Sequence[MemberRow], Sequence[RowProblem]]]: ...


class CellError(ValueError):
    """A cell's value is not what its column takes (the message is Vietnamese, shown to the officer)."""


E = TypeVar("E", bound=StrEnum)


def _labels(enum: type[E], extra: Iterable[tuple[str, E]] = ()) -> dict[str, E]:
    found = {search_key(getattr(member, "label_vi")): member for member in enum}  # noqa: B009
    found.update((search_key(text), member) for text, member in extra)
    return found


def _choice(labels: dict[str, E], what: str) -> Callable[[object], E]:
    def read(value: object) -> E:
        chosen = labels.get(search_key(_text(value)))
        if chosen is None:
            raise CellError(f"“{_text(value)}” không phải {what} trong danh mục (xem trang Danh mục của mẫu)")
        return chosen

    return read


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise CellError(f"“{text}” không phải ngày theo dạng dd/mm/yyyy") from None


def _citizen_id(value: object) -> str:
    """A number typed into a cell formatted as a number loses its leading zeros: twelve digits come back."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return f"{int(value):012d}"
    return _text(value)


def _yes_no(value: object) -> bool:
    key = search_key(_text(value))
    if key in {"co", "x", "1"}:
        return True
    if key in {"khong", "", "0"}:
        return False
    raise CellError(f"“{_text(value)}” phải là Có hoặc Không")


KIND_LABELS: Final = _labels(
    UnitKind, [("Đảng ủy cơ sở", UnitKind.GRASSROOTS_COMMITTEE), ("Tỉnh ủy", UnitKind.PROVINCIAL_COMMITTEE)]
)
READERS: Final[dict[str, Callable[[object], Any]]] = {
    "kind": _choice(KIND_LABELS, "loại tổ chức"),
    "admission_delegated": _yes_no,
    "citizen_id": _citizen_id,
    "sex": _choice(_labels(Sex), "giới tính"),
    "date_of_birth": _date,
    "ethnicity": _choice(_labels(Ethnicity), "dân tộc"),
    "religion": _choice(_labels(Religion), "tôn giáo"),
    "education": _choice(_labels(EducationLevel), "trình độ học vấn"),
    "occupation": _choice(_labels(Occupation), "nghề nghiệp"),
    "admitted_on": _date,
    "ceremony_on": _date,
    "official_from": _date,
    "stage": _choice(_labels(Stage), "giai đoạn của hồ sơ"),
    "helper_citizen_id": _citizen_id,
    "nominated_on": _date,
    "certificate_issued_on": _date,
    "applied_on": _date,
    "background_form_on": _date,
}


def member_rows(book: Any, problems: list[RowProblem]) -> Iterator[MemberRow]:
    """The members' sheet, row by row (a problem appended to `problems` for each row that cannot be read)."""
    return (MemberRow(**v) for v in _sheet_rows(book, MEMBERS_SHEET, MEMBER_COLUMNS, problems))


def unit_rows(book: Any, problems: list[RowProblem]) -> list[UnitRow]:
    return [UnitRow(**v) for v in _sheet_rows(book, UNITS_SHEET, UNIT_COLUMNS, problems)]


def open_file_rows(book: Any, problems: list[RowProblem]) -> list[OpenFileRow]:
    """The open files' sheet (optional: a roll without one has no open files)."""
    return [OpenFileRow(**v) for v in _sheet_rows(book, OPEN_FILES_SHEET, OPEN_FILE_COLUMNS, problems)]


def sheet_size(book: Any, title: str) -> int:
    """The data rows a sheet says it holds (its stored dimension: Excel writes one), 0 if it does not say."""
    sheet = _sheet(book, title)
    if sheet is None:
        return 0
    try:
        return max(int(sheet.max_row or 0) - 1, 0)
    except (TypeError, ValueError):
        return 0


def read_roll(source: Path | IO[bytes]) -> Roll:
    """Every row of both sheets, streamed (openpyxl's read-only mode: memory stays flat at 400,000 rows)."""
    book = load_workbook(source, read_only=True, data_only=True)
    try:
        problems: list[RowProblem] = []
        units = unit_rows(book, problems)
        members = list(member_rows(book, problems))
        open_files = open_file_rows(book, problems)
    finally:
        book.close()
    return Roll(tuple(units), tuple(members), tuple(problems), tuple(open_files))


def _sheet_rows(
    book: Any, title: str, columns: tuple[Column, ...], problems: list[RowProblem]
) -> Iterator[dict[str, Any]]:
    """Each readable row as the fields of its columns (with `row`, the number Excel shows)."""
    sheet = _sheet(book, title)
    if sheet is None:
        return
    sheet.reset_dimensions()  # a sheet without a stored size would otherwise be read twice to find it
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None) or ()
    where = {search_key(str(h)): i for i, h in enumerate(header) if h is not None}
    index: dict[str, int] = {}
    for column in columns:
        found = where.get(search_key(column.header))
        if found is not None:
            index[column.field] = found
        elif column.required:
            problems.append(RowProblem(title, 1, column.header, column.field, "thiếu cột này ở dòng tiêu đề"))
    if len(index) < sum(c.required for c in columns):
        return
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        fields = _row_fields(title, number, values, columns, index, problems)
        if fields is not None:
            yield fields


def _sheet(book: Any, title: str) -> Any:
    return next((book[name] for name in book.sheetnames if search_key(name) == search_key(title)), None)


def _row_fields(
    title: str,
    number: int,
    values: tuple[object, ...],
    columns: tuple[Column, ...],
    index: dict[str, int],
    problems: list[RowProblem],
) -> dict[str, Any] | None:
    fields: dict[str, Any] = {"row": number}
    clean = True
    for column in columns:
        at = index.get(column.field)
        value = values[at] if at is not None and at < len(values) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if column.required:
                problems.append(RowProblem(title, number, column.header, column.field, "không được để trống"))
                clean = False
            fields[column.field] = False if column.field == "admission_delegated" else None
            continue
        try:
            fields[column.field] = READERS.get(column.field, _text)(value)
        except CellError as exc:
            problems.append(RowProblem(title, number, column.header, column.field, str(exc)))
            clean = False
    return fields if clean else None
