"""What a step's paper is called and why a file stops, in the words officers write (all Vietnamese, NFC)."""

from __future__ import annotations

from datetime import date
from random import Random
from typing import Final

from domain.units.state import Unit

WITHDRAW_REASONS: Final = (
    "Chuyển công tác ra ngoài tỉnh",
    "Đi lao động ở nước ngoài",
    "Hoàn cảnh gia đình khó khăn, xin rút khỏi danh sách",
    "Không còn nguyện vọng phấn đấu vào Đảng",
    "Đi học tập dài hạn ở địa phương khác",
)
RETURN_REASONS: Final = (
    "Lý lịch khai chưa đầy đủ, cần bổ sung",
    "Thiếu xác nhận của cấp ủy nơi cư trú",
    "Giấy giới thiệu chưa đúng mẫu, cần làm lại",
    "Biên bản họp chi bộ thiếu chữ ký",
    "Cần bổ sung kết quả thẩm tra lý lịch của gia đình",
)
REJECT_REASONS: Final = (
    "Chưa đủ tiêu chuẩn về phẩm chất, năng lực công tác",
    "Kết quả thẩm tra lý lịch có vấn đề chưa được làm rõ",
    "Chưa được quần chúng nơi cư trú tín nhiệm",
)


def vi_date(on: date) -> str:
    return f"{on:%d/%m/%Y}"


def body_abbreviation(unit: Unit) -> str:
    """The suffix of a body's document numbers: HU for a district, ĐUK for a bloc, ĐU for the others."""
    if unit.code.startswith("HU-"):
        return "HU"
    if unit.code in {"DUK", "DNK"}:
        return "ĐUK"
    if unit.code == "TU":
        return "TU"
    return "ĐU"


def numbered(rng: Random, kind: str, suffix: str, on: date, what: str = "") -> str:
    """A document reference such as "Quyết định số 215-QĐ/ĐUK ngày 16/11/2020"."""
    label = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CV": "Công văn", "BC": "Báo cáo"}[kind]
    text = f"{label} số {rng.randint(1, 480)}-{kind}/{suffix} ngày {vi_date(on)}"
    return f"{text} {what}".strip()
