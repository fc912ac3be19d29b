"""The register and the impact-assessment annex as a locked Excel workbook (openpyxl), in Vietnamese.

Sheets are protected and the workbook's structure locked: the file is what the platform measured on the day
it was made, to be filed as it is (a new one is made for each six-monthly update), not a form to edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from domain.person.stages import Stage
from domain.privacy import Level, Subject
from domain.retention import Outcome
from domain.rules.periods import add_months
from services.privacy.access_rules import kinds_in_lists
from services.privacy.catalogue import Entry, Source
from services.privacy.report import PrivacyReport

LAW: Final = "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"
DECREE: Final = "Nghị định số 356/2025/NĐ-CP"
SHEETS: Final = (
    "Thông tin chung",
    "Danh mục dữ liệu",
    "Dữ liệu nhạy cảm",
    "Quyền truy cập",
    "Thời hạn lưu trữ",
    "Số liệu đo được",
    "Phụ lục đánh giá tác động",
)
CATALOGUE_HEADERS: Final = (
    "Nguồn",
    "Sự kiện / bảng",
    "Trường",
    "Loại dữ liệu",
    "Phân loại",
    "Chủ thể dữ liệu",
    "Khi xóa dữ liệu cá nhân",
)
BOLD: Final = Font(bold=True)
ERASURE_NOTE: Final = (
    "Hồ sơ quá hạn được xóa dữ liệu cá nhân bằng cách hủy khóa của từng chủ thể (partyledger erase; "
    "POST /people/{id}/erasure); sổ vẫn kiểm chứng được và số liệu tổng hợp giữ nguyên."
)


def vi_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def register_workbook(report: PrivacyReport) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    _general(book.create_sheet(SHEETS[0]), report)
    _catalogue(book.create_sheet(SHEETS[1]), report.entries)
    _catalogue(book.create_sheet(SHEETS[2]), [e for e in report.entries if e.level is Level.SENSITIVE])
    _access(book.create_sheet(SHEETS[3]), report)
    _retention(book.create_sheet(SHEETS[4]), report)
    _figures(book.create_sheet(SHEETS[5]), report)
    _annex(book.create_sheet(SHEETS[6]), report)
    for sheet in book.worksheets:
        sheet.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _table(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[int]) -> None:
    start = sheet.max_row + 2 if sheet["A1"].value is not None else 1
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=start, column=column, value=header)
        cell.font = BOLD
    for row in rows:
        sheet.append(list(row))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[chr(64 + column)].width = width
    for line in sheet.iter_rows(min_row=start + 1):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _general(sheet: Worksheet, report: PrivacyReport) -> None:
    sheet.append(["HỒ SƠ GHI NHẬN HOẠT ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN"])
    sheet["A1"].font = Font(bold=True, size=13)
    subjects = "; ".join(s.label_vi for s in Subject)
    rows = [
        ("Ngày lập", vi_date(report.made_on)),
        ("Bên kiểm soát và xử lý dữ liệu cá nhân", report.controller),
        ("Hệ thống", "Sổ theo dõi phát triển đảng viên (Party Ledger)"),
        ("Người phụ trách bảo vệ dữ liệu cá nhân", report.officer or "Chưa chỉ định (phải chỉ định theo luật)"),
        (
            "Mục đích xử lý",
            "Theo dõi quá trình phát triển đảng viên: tạo nguồn, bồi dưỡng nhận thức về Đảng, thẩm tra lý lịch, "
            "giới thiệu, kết nạp, công nhận đảng viên chính thức, chuyển sinh hoạt, xếp loại, sàng lọc, xóa tên; "
            "thống kê theo Hướng dẫn 11-HD/BTCTW.",
        ),
        (
            "Cơ sở pháp lý",
            f"{LAW}; {DECREE}; Điều lệ Đảng và các văn bản hướng dẫn đang áp dụng: {report.rule_texts}",
        ),
        (
            "Căn cứ xử lý",
            "Xử lý dữ liệu cá nhân để cơ quan Đảng thực hiện nhiệm vụ theo quy định, không cần sự đồng ý của chủ "
            "thể dữ liệu; phải có quy định truy cập dữ liệu nhạy cảm, hồ sơ ghi nhận xử lý và đánh giá tác động.",
        ),
        ("Nhóm chủ thể dữ liệu", subjects),
        (
            "Dữ liệu nhạy cảm được xử lý",
            "Nguồn gốc dân tộc; tôn giáo; quan điểm chính trị (việc là đảng viên và mọi bước vào Đảng, xếp loại, "
            "kỷ luật, xóa tên, ra khỏi Đảng) — xem trang “Dữ liệu nhạy cảm”.",
        ),
        ("Vị trí cuối của sổ khi lập", report.head_position),
        (
            "Đánh giá tác động",
            "Nộp trong 60 ngày kể từ khi bắt đầu xử lý, cập nhật 6 tháng một lần; lần cập nhật tiếp theo trước "
            f"ngày {vi_date(add_months(report.made_on, 6))}.",
        ),
    ]
    _table(sheet, ("Nội dung", "Thông tin"), rows, (40, 110))


def _handling(entry: Entry) -> str:
    if entry.level is Level.NOT_PERSONAL:
        return "Giữ lại (không định danh)"
    return "Hủy khóa của chủ thể dữ liệu (chưa triển khai: dữ liệu đang lưu dạng rõ)"


def _catalogue(sheet: Worksheet, entries: Sequence[Entry]) -> None:
    rows = [
        (
            e.source.label_vi,
            e.owner,
            e.field,
            e.privacy.kind.label_vi,
            e.level.label_vi,
            e.privacy.subject.label_vi if e.privacy.subject is not None else "—",
            _handling(e),
        )
        for e in entries
    ]
    _table(sheet, CATALOGUE_HEADERS, rows, (26, 34, 36, 44, 26, 34, 40))
    sheet.freeze_panes = "A2"


def _yes(value: bool) -> str:
    return "Có" if value else "Không"


def _access(sheet: Worksheet, report: PrivacyReport) -> None:
    shown = "; ".join(k.label_vi for k in kinds_in_lists(report.entries))
    rows = [
        (
            access.role.label_vi,
            "; ".join(access.records) or "Không ghi",
            f"Có, trong phạm vi đơn vị mình và cấp dưới: {shown}; mỗi lượt đọc được ghi nhận"
            if access.reads_lists
            else "Không",
            f"{_yes(access.reads_log)}{', mỗi lượt đọc được ghi nhận' if access.reads_log else ''}",
            _yes(access.reads_records),
            _yes(access.reads_who_read),
        )
        for access in report.roles
    ]
    headers = (
        "Vai trò",
        "Được ghi vào sổ (các bước)",
        "Đọc danh sách, bảng tổng hợp của đơn vị",
        "Đọc toàn bộ sự kiện (kiểm tra)",
        "Đọc ghi nhận truy cập, từ chối",
        "Xem ai đã đọc hồ sơ của người trong đơn vị",
    )
    _table(sheet, headers, rows, (26, 60, 60, 30, 24, 24))


def _retention(sheet: Worksheet, report: PrivacyReport) -> None:
    past: dict[Outcome, int] = {}
    for items in report.past.values():
        for item in items:
            past[item.rule.outcome] = past.get(item.rule.outcome, 0) + 1
    by_outcome = report.figures.by_outcome
    rows = [
        (
            rule.rule_id,
            outcome.label_vi,
            rule.months,
            "Tỉnh cấu hình" if outcome in report.overridden else "Mặc định",
            by_outcome.get(outcome, 0),
            past.get(outcome, 0),
        )
        for outcome, rule in report.rules.items()
    ]
    headers = ("Mã quy tắc", "Kết quả hồ sơ", "Thời hạn lưu (tháng)", "Nguồn", "Số hồ sơ", "Số hồ sơ đã quá hạn")
    _table(sheet, headers, rows, (38, 52, 20, 16, 12, 20))
    sheet.append([])
    sheet.append([ERASURE_NOTE])


def _figures(sheet: Worksheet, report: PrivacyReport) -> None:
    f = report.figures
    rows: list[tuple[str, str, object]] = [
        ("Sổ", "Số sự kiện trong sổ", f.events),
        ("Sổ", "Số người có hồ sơ", f.people),
        *(("Theo giai đoạn", stage.label_vi, f.by_stage[stage]) for stage in Stage if stage in f.by_stage),
        *(("Theo kết quả", o.label_vi, f.by_outcome.get(o, 0)) for o in Outcome),
        ("Chủ thể khác", "Người thân được thẩm tra lý lịch", f.relatives),
        ("Chủ thể khác", "Người giới thiệu", f.sponsors),
        ("Chủ thể khác", "Đảng viên giúp đỡ", f.helpers),
    ]
    for source in Source:
        for level in (Level.PERSONAL, Level.SENSITIVE):
            rows.append(("Số trường", f"{source.label_vi}: {level.label_vi.lower()}", f.fields.get((source, level), 0)))
    if f.rows_naming_people is None:
        rows.append(("Bảng đọc", "Số dòng định danh người", "Chưa dựng bảng đọc"))
    else:
        rows += [("Bảng đọc", f"Số dòng định danh người: {key}", n) for key, n in f.rows_naming_people.items()]
    if f.reads is None or f.readers is None:
        rows.append(("Truy cập", "Ghi nhận lượt đọc", "Chưa có bảng ghi nhận"))
    else:
        rows += [("Truy cập", "Số lượt đọc được ghi nhận", f.reads), ("Truy cập", "Số người đã đọc", f.readers)]
    if f.audit_reads is not None:
        rows.append(("Truy cập", "Trong đó, ghi nhận riêng của kiểm tra viên", f.audit_reads))
    rows.append(("Xóa dữ liệu", "Số hồ sơ đã xóa dữ liệu cá nhân (hủy khóa của chủ thể)", f.erased))
    _table(sheet, ("Nhóm", "Chỉ tiêu", "Giá trị"), rows, (20, 70, 16))


def _annex(sheet: Worksheet, report: PrivacyReport) -> None:
    sheet.append([f"PHỤ LỤC ĐÁNH GIÁ TÁC ĐỘNG XỬ LÝ DỮ LIỆU CÁ NHÂN — lập ngày {vi_date(report.made_on)}"])
    sheet["A1"].font = Font(bold=True, size=13)
    f = report.figures
    sensitive = sum(n for (_, level), n in f.fields.items() if level is Level.SENSITIVE)
    past = sum(len(items) for items in report.past.values())
    rows = [
        (
            1,
            f"Dữ liệu cá nhân và nhạy cảm của {f.people} người ({sensitive} trường nhạy cảm) lưu dạng rõ trong sổ "
            "sự kiện, bản xuất và bản sao lưu",
            "Cao",
            "Sổ chỉ ghi thêm, chuỗi băm và niêm phong phát hiện sửa đổi; phân quyền theo đơn vị",
            "Mã hóa từng trường theo khóa của chủ thể dữ liệu trước khi băm (AES-256-GCM); khóa lưu riêng, "
            "bọc bằng khóa chính; bản sao lưu sổ không chứa khóa",
            "Đã triển khai",
        ),
        (
            2,
            f"Không xóa được dữ liệu khi hết mục đích: {past} hồ sơ đã quá thời hạn lưu",
            "Cao",
            "Danh sách hồ sơ quá hạn theo từng đơn vị (partyledger privacy retention)",
            "Xóa bằng hủy khóa của chủ thể, ghi sự kiện xóa không chứa dữ liệu cá nhân "
            f"(đã xóa {f.erased} hồ sơ); số liệu thống kê giữ nguyên",
            "Đã triển khai",
        ),
        (
            3,
            "Mọi vai trò, kể cả người xem, đọc được họ tên, ngày sinh, dân tộc, giai đoạn hồ sơ của từng người "
            "trong phạm vi đơn vị",
            "Trung bình",
            "Tường phân quyền theo đơn vị (đơn vị khác trả lời như không tồn tại)",
            "Chỉ vai trò được phép mới đọc dữ liệu nhạy cảm của người có tên; người xem chỉ thấy số liệu",
            "Chưa triển khai",
        ),
        (
            4,
            "Người có quyền đọc dữ liệu cá nhân của người có tên mà không để lại dấu vết",
            "Trung bình",
            f"Ghi nhận mọi lượt đọc hồ sơ, danh sách và lượt kiểm tra: {f.reads or 0} lượt, {f.readers or 0} người "
            "đọc; đơn vị của chủ thể xem được ai đã đọc hồ sơ; không ghi nhận được thì không trả dữ liệu",
            "Danh sách ghi theo đơn vị và số người; xem lại định kỳ các lượt đọc bất thường",
            "Đã triển khai",
        ),
        (
            5,
            "Số, ký hiệu văn bản của mỗi bước được chép dạng rõ vào phần bao sự kiện (metadata)",
            "Thấp",
            "Chỉ người có quyền kiểm tra đọc được phần bao",
            "Mã hóa cùng dữ liệu của chủ thể",
            "Chưa triển khai",
        ),
        (
            6,
            "Số liệu thống kê theo dân tộc, tôn giáo ở đơn vị nhỏ có thể nhận ra một người",
            "Thấp",
            "Số liệu chỉ đọc được trong phạm vi đơn vị",
            "Gộp ô có số nhỏ khi công bố ra ngoài đơn vị",
            "Cần xem xét",
        ),
    ]
    headers = ("STT", "Rủi ro", "Mức độ", "Biện pháp hiện có", "Biện pháp bổ sung", "Tình trạng")
    _table(sheet, headers, rows, (6, 60, 12, 50, 50, 16))
