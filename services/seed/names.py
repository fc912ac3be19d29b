"""Vietnamese names as a northern-midlands province has them: weighted family, middle and given names.

Family-name weights follow the usual national shares (Nguyễn about 38 %, Trần 11 %, Lê 9.5 %, …), using the
northern forms (Hoàng, Vũ); minority groups carry their own common family names (Tày and Nùng: Hoàng, Nông,
Ma, Triệu …; Dao: Triệu, Bàn, Đặng; Mông: Giàng, Vàng, Sùng …). Middle names mark sex (Văn, Thị) more often
in older generations.
"""

from __future__ import annotations

from random import Random
from typing import Final

from domain.particulars import Ethnicity, Sex
from domain.text import fold_diacritics

Weighted = tuple[tuple[str, float], ...]

KINH_FAMILY: Final[Weighted] = (
    ("Nguyễn", 38.4),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 5.1),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đào", 0.9),
    ("Đinh", 0.8),
    ("Trịnh", 0.7),
    ("Lương", 0.6),
    ("Mai", 0.5),
    ("Hà", 0.6),
    ("Tạ", 0.3),
    ("Lưu", 0.3),
    ("Cao", 0.4),
    ("Chu", 0.3),
    ("Phùng", 0.3),
    ("Kiều", 0.2),
    ("Triệu", 0.2),
    ("Khổng", 0.1),
    ("Lã", 0.1),
)

MINORITY_FAMILY: Final[dict[Ethnicity, Weighted]] = {
    Ethnicity.TAY: (("Hoàng", 20), ("Nông", 14), ("Ma", 10), ("Triệu", 8), ("Lương", 8), ("Hà", 8), ("Lục", 6),
                    ("Đàm", 5), ("Mạc", 4), ("Nguyễn", 9), ("Dương", 4), ("Vi", 4)),
    Ethnicity.NUNG: (("Hoàng", 18), ("Nông", 14), ("Lý", 10), ("Lăng", 8), ("Vi", 8), ("Chu", 6), ("Triệu", 6),
                     ("Lương", 6), ("Mã", 4), ("Hứa", 4)),
    Ethnicity.DAO: (("Triệu", 30), ("Bàn", 22), ("Đặng", 15), ("Lý", 12), ("Phùng", 8), ("Chảo", 5), ("Dương", 4)),
    Ethnicity.MONG: (("Giàng", 18), ("Vàng", 16), ("Sùng", 12), ("Lý", 12), ("Hầu", 8), ("Thào", 10), ("Mua", 8),
                     ("Lầu", 6), ("Vừ", 6)),
    Ethnicity.MUONG: (("Bùi", 30), ("Đinh", 22), ("Quách", 12), ("Hà", 12), ("Xa", 6), ("Nguyễn", 10)),
    Ethnicity.SAN_CHAY: (("La", 20), ("Lâm", 16), ("Trần", 14), ("Lưu", 12), ("Hoàng", 10), ("Đàm", 8)),
    Ethnicity.SAN_DIU: (("Diệp", 20), ("La", 16), ("Tạ", 12), ("Lâm", 12), ("Trương", 10), ("Bạch", 8)),
    Ethnicity.HOA: (("Lý", 20), ("Trương", 16), ("Lưu", 14), ("Hoàng", 12), ("Tăng", 10), ("Châu", 8)),
}  # fmt: skip

MIDDLE: Final[dict[Sex, Weighted]] = {
    Sex.MALE: (("Văn", 40), ("Đức", 8), ("Quang", 6), ("Minh", 7), ("Mạnh", 3), ("Hữu", 4), ("Xuân", 4),
               ("Ngọc", 3), ("Thanh", 4), ("Trọng", 3), ("Tuấn", 2), ("Duy", 3), ("Công", 3), ("Đình", 4),
               ("Anh", 2), ("Hoàng", 2), ("Tiến", 2), ("Trung", 2), ("Việt", 2), ("Hải", 2)),
    Sex.FEMALE: (("Thị", 50), ("Thu", 6), ("Thanh", 6), ("Ngọc", 5), ("Minh", 3), ("Phương", 3), ("Hồng", 4),
                 ("Thúy", 3), ("Kim", 3), ("Lan", 2), ("Hải", 2), ("Mai", 2), ("Bích", 2), ("Diệu", 1),
                 ("Khánh", 2), ("Bảo", 1), ("Quỳnh", 2), ("Thùy", 3)),
}  # fmt: skip

MODERN_MIDDLE: Final[dict[Sex, Weighted]] = {
    Sex.MALE: (("Văn", 12), ("Đức", 10), ("Minh", 12), ("Quang", 8), ("Tuấn", 6), ("Duy", 6), ("Hoàng", 5),
               ("Anh", 5), ("Gia", 4), ("Bảo", 4), ("Trung", 4), ("Việt", 4), ("Hữu", 3), ("Thành", 4)),
    Sex.FEMALE: (("Thị", 18), ("Thu", 8), ("Ngọc", 8), ("Phương", 7), ("Thanh", 6), ("Minh", 6), ("Khánh", 5),
                 ("Thùy", 6), ("Hải", 4), ("Bảo", 4), ("Diệu", 4), ("Quỳnh", 5), ("Hoài", 4), ("Mai", 4)),
}  # fmt: skip
"""Middle names of people born from 1990 on: Văn and Thị give way to Minh, Ngọc, Khánh, Thùy …"""

GIVEN: Final[dict[Sex, tuple[str, ...]]] = {
    Sex.MALE: ("Hùng", "Dũng", "Tuấn", "Minh", "Hải", "Nam", "Long", "Sơn", "Thắng", "Cường", "Hòa", "Quang",
               "Đức", "Trung", "Thành", "Tùng", "Hưng", "Phong", "Bình", "An", "Huy", "Hoàng", "Khánh", "Kiên",
               "Lâm", "Lợi", "Mạnh", "Nghĩa", "Phúc", "Quân", "Tài", "Thái", "Thịnh", "Toàn", "Trường", "Việt",
               "Vinh", "Vũ", "Chiến", "Công", "Đạt", "Hiếu", "Khoa", "Lực", "Tâm", "Tiến", "Duy", "Đông",
               "Giang", "Hiệp", "Kỳ", "Luân", "Nhật", "Phát", "Quý", "Sang", "Thuận", "Trí", "Tú", "Văn"),
    Sex.FEMALE: ("Hoa", "Lan", "Hương", "Hằng", "Hà", "Linh", "Mai", "Ngọc", "Nhung", "Oanh", "Phương",
                 "Quỳnh", "Thảo", "Thủy", "Trang", "Tuyết", "Vân", "Yến", "Anh", "Bích", "Chi", "Dung", "Giang",
                 "Hạnh", "Hiền", "Hồng", "Huyền", "Lệ", "Liên", "Loan", "Ly", "Nga", "Nguyệt", "Nhàn", "Thanh",
                 "Thơm", "Thu", "Thúy", "Trâm", "Uyên", "Xuân", "Diệp", "Hòa", "Khánh", "My", "Ngân", "Quyên",
                 "Duyên", "Hậu", "Lụa", "Mến", "Nhài", "Tâm", "Thắm", "Vui"),
}  # fmt: skip


def pick(rng: Random, table: Weighted) -> str:
    """One value of a weighted table (deterministic for a given generator state)."""
    return rng.choices([value for value, _ in table], weights=[weight for _, weight in table])[0]


def full_name(rng: Random, sex: Sex, ethnicity: Ethnicity, birth_year: int) -> str:
    """Family, middle and given name; minorities mostly keep their group's family names."""
    family_table = MINORITY_FAMILY.get(ethnicity, KINH_FAMILY)
    family = pick(rng, family_table)
    middles = MODERN_MIDDLE if birth_year >= 1990 else MIDDLE
    middle = pick(rng, middles[sex])
    given = rng.choice(GIVEN[sex])
    while given == middle:
        given = rng.choice(GIVEN[sex])
    return f"{family} {middle} {given}"


def officer_user_id(name: str, unit_code: str) -> str:
    """A login as provincial systems issue them: given name, initials, then the unit (hungnv.hu-dt.03)."""
    parts = fold_diacritics(name).lower().split()
    return f"{parts[-1]}{''.join(p[0] for p in parts[:-1])}.{unit_code.lower()}"
