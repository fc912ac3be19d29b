"""`partyledger privacy report`'s use case and workbook: Vietnamese, locked, every sensitive field listed, and
the figures those of the log (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; issue 20 items 3 and 6)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import date
from io import BytesIO
from typing import Any

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from domain.person.stages import Stage
from domain.privacy import Level
from domain.retention import Outcome
from eventstore import EventStore
from services.audit.access import record_read
from services.audit.person_reads import ReadKind, read_person
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.privacy.catalogue import catalogue, undeclared_stored_fields
from services.privacy.report import PrivacyReport, privacy_report
from services.privacy.workbook import CATALOGUE_HEADERS, SHEETS, register_workbook
from services.record_tables import create_record_tables
from tests.unit.services.officers import CELL, SECRETARY, enrol, nominate, person, take

TODAY = date(2026, 12, 7)


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    engine = sa.create_engine("sqlite://")
    yield engine
    engine.dispose()


def a_cell_with_five_people(ctx: CommandContext) -> None:
    """Two members enrolled; three candidates nominated, one withdrawn, one rejected by the cell."""
    enrol(ctx, 1)
    enrol(ctx, 2)
    for n in (3, 4, 5):
        nominate(ctx, n, person(1), key=f"nominate-{n}")
    take(ctx, SECRETARY, "withdrawCandidate", person(4), "w", reason="Chuyển công tác",
         occurred_on="2021-05-03", expected_version=1)  # fmt: skip
    take(ctx, SECRETARY, "rejectCandidate", person(5), "r", level="cell", reason="Chưa đủ tiêu chuẩn",
         occurred_on="2021-05-04", expected_version=1)  # fmt: skip


def report_of(ctx: CommandContext, engine: sa.Engine) -> PrivacyReport:
    return privacy_report(ctx.store, engine, retention_months=[("withdrawn", 12)], today=TODAY)


def book_of(report: PrivacyReport) -> Workbook:
    return load_workbook(BytesIO(register_workbook(report)))


def values(book: Workbook, sheet: str) -> list[tuple[Any, ...]]:
    return [row for row in book[sheet].iter_rows(values_only=True) if any(v is not None for v in row)]


def figure(book: Workbook, label: str, group: str | None = None) -> Any:
    found = [row[2] for row in values(book, "Số liệu đo được") if row[1] == label and group in (None, row[0])]
    assert len(found) == 1, label
    return found[0]


def events_in(store: EventStore) -> list[Any]:
    return store.read_all(after_position=0, limit=100_000).events


def test_the_figures_are_the_logs(ctx: CommandContext, engine: sa.Engine) -> None:
    a_cell_with_five_people(ctx)

    report = report_of(ctx, engine)
    book = book_of(report)

    log = events_in(ctx.store)
    people = {e.stream_id for e in log if e.event_type in ("CandidateNominated", "MemberEnrolled")}
    assert figure(book, "Số sự kiện trong sổ") == len(log)
    assert figure(book, "Số người có hồ sơ") == len(people) == 5
    assert figure(book, Outcome.WITHDRAWN.label_vi, "Theo kết quả") == 1
    assert figure(book, Outcome.REJECTED.label_vi, "Theo kết quả") == 1
    assert figure(book, Stage.OFFICIAL.label_vi, "Theo giai đoạn") == 2
    assert figure(book, Stage.SOURCE_POOL.label_vi, "Theo giai đoạn") == 1
    assert figure(book, "Đảng viên giúp đỡ") == 1
    assert figure(book, "Ghi nhận lượt đọc") == "Chưa có bảng ghi nhận"
    assert report.figures.by_outcome == {Outcome.WITHDRAWN: 1, Outcome.REJECTED: 1}


def test_reads_and_readers_come_from_the_record_of_reads(ctx: CommandContext, engine: sa.Engine) -> None:
    create_record_tables(engine)
    enrol(ctx, 1)
    for user in ("bithu.a", "bithu.a", "bithu.b"):
        read_person(ctx, engine, Actor(user, Role.CELL_SECRETARY, CELL), person(1), ReadKind.FILE)
    record_read(engine, user_id="kiemtra.a", role="auditor", acting_unit="unit-province", operation="history",
                subject=person(1), detail="")  # fmt: skip

    book = book_of(report_of(ctx, engine))

    assert figure(book, "Số lượt đọc được ghi nhận") == 3
    assert figure(book, "Số người đã đọc") == 2
    assert figure(book, "Trong đó, ghi nhận riêng của kiểm tra viên") == 1


def test_the_workbook_is_vietnamese_and_locked(ctx: CommandContext, engine: sa.Engine) -> None:
    a_cell_with_five_people(ctx)

    book = book_of(report_of(ctx, engine))

    assert tuple(book.sheetnames) == SHEETS
    assert book.security is not None and book.security.lockStructure
    assert all(sheet.protection.sheet for sheet in book.worksheets)
    assert values(book, "Danh mục dữ liệu")[0] == CATALOGUE_HEADERS
    assert values(book, "Dữ liệu nhạy cảm")[0] == CATALOGUE_HEADERS
    assert values(book, "Quyền truy cập")[0][0] == "Vai trò"
    who_read = {row[0]: row[-1] for row in values(book, "Quyền truy cập")[1:]}
    assert (who_read["Kiểm tra viên"], who_read["Bí thư chi bộ"], who_read["Người xem"]) == ("Có", "Có", "Không")
    assert values(book, "Thời hạn lưu trữ")[0][:3] == ("Mã quy tắc", "Kết quả hồ sơ", "Thời hạn lưu (tháng)")
    assert values(book, "Số liệu đo được")[0] == ("Nhóm", "Chỉ tiêu", "Giá trị")
    general = dict(row[:2] for row in values(book, "Thông tin chung")[1:])
    assert general["Ngày lập"] == "07/12/2026"
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in general["Cơ sở pháp lý"]
    assert "Nghị định số 356/2025/NĐ-CP" in general["Cơ sở pháp lý"]
    texts = [v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row]
    assert all(unicodedata.is_normalized("NFC", v) for v in texts if isinstance(v, str))


def test_every_sensitive_field_is_listed_with_its_class(ctx: CommandContext, engine: sa.Engine) -> None:
    book = book_of(report_of(ctx, engine))

    sensitive = {(e.owner, e.field) for e in catalogue() if e.level is Level.SENSITIVE}
    listed = {(row[1], row[2]) for row in values(book, "Dữ liệu nhạy cảm")[1:]}
    everything = {(row[1], row[2]): row[4] for row in values(book, "Danh mục dữ liệu")[1:]}
    assert sensitive and listed == sensitive
    assert all(everything[field] == Level.SENSITIVE.label_vi for field in sensitive)
    assert ("CandidateNominated", "particulars.ethnicity") in sensitive
    assert ("CandidateNominated", "particulars.religion") in sensitive
    assert ("files[f:<stream id>]", "ethnicity") in sensitive


def test_the_retention_sheet_counts_the_files_past_their_period(ctx: CommandContext, engine: sa.Engine) -> None:
    a_cell_with_five_people(ctx)

    rows = {row[0]: row for row in values(book_of(report_of(ctx, engine)), "Thời hạn lưu trữ")[1:] if row[1]}

    assert rows["R-PRIVACY-RETAIN:withdrawn"][2:] == (12, "Tỉnh cấu hình", 1, 1)
    assert rows["R-PRIVACY-RETAIN:rejected"][2:] == (24, "Mặc định", 1, 1)
    assert rows["R-PRIVACY-RETAIN:expelled"][2:] == (120, "Mặc định", 0, 0)


def test_the_envelope_and_record_tables_are_classed_column_by_column() -> None:
    assert undeclared_stored_fields() == []
