"""HD 11 statistics of a unit's subtree: on screen, printable, and as an Excel workbook (openpyxl)."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Annotated, Final

import sqlalchemy as sa
from litestar import Response, get
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template
from openpyxl import Workbook
from openpyxl.styles import Font

from projections import queries
from services.commands.actors import Actor
from services.commands.walls import today
from services.ledger import Ledger

from .common import Viewer, breadcrumbs, freshness, page, snapshot, subtree, visible_unit
from .format import vi_date
from .pages import term_of
from .session import Context

METRICS_VI: Final = {
    "admissions": "Kết nạp đảng viên",
    "exits": "Đảng viên ra khỏi Đảng",
    "ratings": "Xếp loại chất lượng đảng viên",
}
DIMENSIONS_VI: Final = {
    "sex": "Giới tính",
    "age_band": "Độ tuổi",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "education": "Trình độ học vấn",
    "occupation": "Nghề nghiệp",
    "type": "Hình thức",
    "grade": "Xếp loại",
}
XLSX: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Year = Annotated[int | None, QueryParameter(ge=1990, le=2200)]


@dataclass(frozen=True)
class Table:
    metric: str
    title: str
    rows: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)


@dataclass(frozen=True)
class Report:
    position: int
    year: int
    members: queries.MemberCounts
    tables: tuple[Table, ...]


def report(connection: sa.Connection, units: list[str], year: int) -> Report:
    """The breakdowns and the member counts from one snapshot, so the sheet's figures agree with each other."""
    stats = queries.statistics(connection, units, year)
    board = queries.dashboard(connection, units, year, term_of(year), today().year)
    tables = []
    for metric, metric_vi in METRICS_VI.items():
        for dimension, dimension_vi in DIMENSIONS_VI.items():
            counts = stats.metrics.get(metric, {}).get(dimension)
            if counts is None and dimension in {"type", "grade"}:
                continue
            rows = tuple((queries.label_vi(dimension, v), n) for v, n in queries.in_order(dimension, counts or {}))
            tables.append(Table(metric, f"{metric_vi} — theo {dimension_vi.lower()}", rows))
    return Report(min(stats.position, board.position), year, board.members, tuple(tables))


def _read(ledger: Ledger, viewer: Actor, units: list[str], year: int | None) -> Report:
    return snapshot(ledger, report, units, year or today().year, reader=viewer, units=units)


@get("/units/{unit_id:str}/statistics", sync_to_thread=True)
def statistics_page(
    unit_id: FromPath[str], viewer: Viewer, ledger: Context, year: Year = None, print_view: FromQuery[bool] = False
) -> Template:
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    units = subtree(tree, viewer, unit_id)
    data = _read(ledger, viewer, units, year)
    return page(
        "statistics.html",
        viewer,
        unit=unit,
        crumbs=breadcrumbs(tree, viewer, unit_id),
        data=data,
        print_view=print_view,
        fresh=freshness(ledger, data.position, units),
        printed_on=vi_date(today()),
    )


@get("/units/{unit_id:str}/statistics.xlsx", sync_to_thread=True)
def statistics_workbook(unit_id: FromPath[str], viewer: Viewer, ledger: Context, year: Year = None) -> Response[bytes]:
    """The same figures as the page, as a workbook officers can file and add up."""
    tree = ledger.tree()
    unit = visible_unit(tree, viewer, unit_id)
    data = _read(ledger, viewer, subtree(tree, viewer, unit_id), year)
    content = workbook(unit.name, data)
    name = f"thong-ke-{unit.code}-{data.year}.xlsx"
    return Response(content, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def workbook(unit_name: str, data: Report) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    summary.append([f"Thống kê năm {data.year} — {unit_name}"])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append(["Ngày lập", vi_date(today())])
    summary.append(["Vị trí sổ phản ánh", data.position])
    summary.append([])
    summary.append(["Đảng viên chính thức", data.members.official])
    summary.append(["Đảng viên dự bị", data.members.probationary])
    summary.append(["Tổng số đảng viên", data.members.total])
    for metric, title in METRICS_VI.items():
        sheet = book.create_sheet(title[:31])
        for table in (t for t in data.tables if t.metric == metric):
            sheet.append([table.title])
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
            for label, count in table.rows:
                sheet.append([label, count])
            sheet.append(["Cộng", table.total])
            sheet.append([])
        sheet.column_dimensions["A"].width = 48
    summary.column_dimensions["A"].width = 40
    out = BytesIO()
    book.save(out)
    return out.getvalue()
