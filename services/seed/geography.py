"""The province the generator writes about: Lâm Đồng's districts and communes before 1/7/2025, its agencies.

Lâm Đồng is the province of DOMAIN.md §5's worked example (its Political School). On 1/7/2025 the district
level closed and Đắk Nông and Bình Thuận merged into it (`services.seed.reorganise`).

Real place names make the dashboards read like the real thing; the people are invented. Each district lists
its seat first; `town` marks wards and townships, whose cells are residential groups (tổ dân phố) rather
than hamlets (xóm).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from services.seed.population import Area, Profile

PROVINCE_NAME: Final = "Lâm Đồng"


@dataclass(frozen=True)
class District:
    """A district-level unit of the old map; its committee is an upper committee until 1/7/2025."""

    code: str
    name: str
    city: bool
    area: Area
    communes: tuple[tuple[str, bool], ...]

    @property
    def committee_name(self) -> str:
        return f"Đảng bộ {'thành phố' if self.city else 'huyện'} {self.name}"

    @property
    def hometowns(self) -> tuple[str, ...]:
        level = "thành phố" if self.city else "huyện"
        return tuple(
            f"{_commune_word(self.city, town)} {name}, {level} {self.name}, tỉnh {PROVINCE_NAME}"
            for name, town in self.communes
        )


def _commune_word(city: bool, town: bool) -> str:
    if city:
        return "phường" if town else "xã"
    return "thị trấn" if town else "xã"


def commune_committee_name(district: District, name: str, town: bool) -> str:
    return f"Đảng bộ {_commune_word(district.city, town)} {name}"


DISTRICTS: Final[tuple[District, ...]] = (
    District("DT", "Đức Trọng", False, Area.HIGHLAND,
             (("Liên Nghĩa", True), ("Hiệp An", False), ("Hiệp Thạnh", False), ("Ninh Gia", False),
              ("Tà Năng", False), ("Phú Hội", False))),
    District("DL", "Đà Lạt", True, Area.LOWLAND,
             (("1", True), ("2", True), ("3", True), ("4", True),
              ("Xuân Thọ", False), ("Tà Nung", False))),
    District("BL", "Bảo Lộc", True, Area.LOWLAND,
             (("B'Lao", True), ("Lộc Phát", True), ("Lộc Sơn", True), ("Lộc Tiến", True), ("Đại Lào", False))),
    District("LH", "Lâm Hà", False, Area.HIGHLAND,
             (("Đinh Văn", True), ("Nam Ban", True), ("Mê Linh", False), ("Đông Thanh", False),
              ("Gia Lâm", False), ("Tân Hà", False))),
    District("DLI", "Di Linh", False, Area.HIGHLAND,
             (("Di Linh", True), ("Gung Ré", False), ("Tân Châu", False), ("Đinh Lạc", False),
              ("Hòa Ninh", False))),
    District("DD", "Đơn Dương", False, Area.HIGHLAND,
             (("Thạnh Mỹ", True), ("D'Ran", True), ("Lạc Xuân", False), ("Ka Đô", False), ("Quảng Lập", False))),
    District("LD", "Lạc Dương", False, Area.HIGHLAND,
             (("Lạc Dương", True), ("Lát", False), ("Đạ Sar", False), ("Đạ Nhim", False),
              ("Đạ Chais", False))),
    District("BLA", "Bảo Lâm", False, Area.HIGHLAND,
             (("Lộc Thắng", True), ("Lộc An", False), ("Lộc Ngãi", False), ("Lộc Quảng", False),
              ("Lộc Thành", False))),
    District("DH", "Đạ Huoai", False, Area.LOWLAND,
             (("Mađaguôi", True), ("Đạ M'ri", True), ("Đạ Oai", False), ("Hà Lâm", False), ("Phước Lộc", False))),
)  # fmt: skip

HAMLETS: Final[tuple[str, ...]] = (
    "Đồng Tâm", "Trung Tâm", "Làng Chè", "Đồng Bẩm", "Khuôn Ngàn", "Na Mao", "Bờ Đậu", "Làng Mới", "Đồng Kiệm",
    "Bãi Bằng", "Cây Thị", "Suối Cát", "Đồng Danh", "Tân Lập", "Thống Nhất", "Đoàn Kết", "Hòa Bình", "Tiền Phong",
    "Đồng Cả", "Gốc Gạo", "Đầm Mua", "Khe Cốc", "Nà Lay", "Bản Piềng", "Làng Cà", "Soi Mít", "Cầu Đá", "Đồng Chùa",
    "Phố Hích", "Làng Hin", "Đồng Quan", "Hạ Vụ", "Thượng Vụ", "Làng Phan", "Mỹ Khánh", "Ao Sen",
)  # fmt: skip

Cells = tuple[tuple[str, Profile, int], ...]
"""(cell name, profile, members at the start of the ledger)."""

POLITICAL_SCHOOL_CELLS: Final[Cells] = (
    ("Chi bộ Khoa Lý luận cơ sở", Profile.SCHOOL, 7),
    ("Chi bộ Khoa Xây dựng Đảng", Profile.SCHOOL, 7),
    ("Chi bộ Khoa Nhà nước và Pháp luật", Profile.SCHOOL, 6),
    ("Chi bộ Phòng Đào tạo", Profile.SCHOOL, 6),
    ("Chi bộ Phòng Tổ chức - Hành chính", Profile.SCHOOL, 5),
)
"""DOMAIN.md §5: five cells; with the one probationary member enrolled in the first, 32 members in 2021."""


@dataclass(frozen=True)
class Body:
    """A grassroots organisation of a bloc: a committee with cells (and sub-committees), or a grassroots cell."""

    name: str
    profile: Profile
    cells: tuple[int, ...] = ()
    subs: tuple[tuple[str, tuple[int, ...]], ...] = ()
    size: int = 0
    delegated: bool = False
    committee_size: int = 7
    party_side: bool = False


AGENCY_CELL_NAMES: Final[tuple[str, ...]] = (
    "Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Thanh tra", "Phòng Nghiệp vụ",
    "Phòng Quản lý chuyên ngành", "Trung tâm Dịch vụ", "Khối đoàn thể",
)  # fmt: skip

AGENCIES: Final[tuple[Body, ...]] = (
    Body("Đảng bộ Sở Y tế", Profile.HEALTH, (22, 18, 20, 16), committee_size=7),
    Body("Chi bộ Báo Lâm Đồng", Profile.AGENCY, size=21, party_side=True),
    Body("Đảng bộ Sở Giáo dục và Đào tạo", Profile.AGENCY, (18, 16, 14, 12), committee_size=7),
    Body("Đảng bộ Sở Nông nghiệp và Phát triển nông thôn", Profile.AGENCY, (16, 15, 14, 13, 12), committee_size=9),
    Body("Đảng bộ Sở Tài chính", Profile.AGENCY, (15, 14, 12), committee_size=5),
    Body("Chi bộ Sở Tư pháp", Profile.AGENCY, size=24),
    Body("Chi bộ Sở Nội vụ", Profile.AGENCY, size=26),
    Body("Đảng bộ Văn phòng Ủy ban nhân dân tỉnh", Profile.AGENCY, (17, 15, 13), committee_size=7),
    Body("Đảng bộ Bệnh viện Đa khoa tỉnh", Profile.HEALTH, (28, 26, 24, 22, 20, 18), committee_size=9,
         delegated=True),
    Body("Chi bộ Sở Kế hoạch và Đầu tư", Profile.AGENCY, size=22),
    Body("Chi bộ Sở Công Thương", Profile.AGENCY, size=23),
    Body("Đảng bộ Sở Giao thông vận tải", Profile.AGENCY, (16, 14, 13), committee_size=7),
    Body("Chi bộ Sở Văn hóa, Thể thao và Du lịch", Profile.AGENCY, size=25),
    Body("Đảng bộ Trường Cao đẳng Sư phạm Đà Lạt", Profile.SCHOOL, (16, 14, 14, 12), committee_size=7,
         party_side=True),
)  # fmt: skip
"""The bloc's agencies besides the Political School (province scale); the first two also at small scale."""

ENTERPRISES: Final[tuple[Body, ...]] = (
    Body("Đảng bộ Công ty Điện lực Lâm Đồng", Profile.ENTERPRISE, (24, 22, 20),
         subs=(("Đảng bộ bộ phận Điện lực Đà Lạt", (26, 22, 20)),), committee_size=9),
    Body("Đảng bộ Công ty Nhôm Lâm Đồng - TKV", Profile.ENTERPRISE, (30, 26),
         subs=(("Đảng bộ bộ phận Nhà máy Alumin Tân Rai", (34, 30, 28)),
               ("Đảng bộ bộ phận Mỏ bauxit Tân Rai", (32, 28, 26))),
         committee_size=13, delegated=True),
    Body("Chi bộ Công ty Cổ phần Cấp thoát nước Lâm Đồng", Profile.ENTERPRISE, size=28),
    Body("Đảng bộ Ngân hàng Nhà nước Chi nhánh tỉnh", Profile.AGENCY, (18, 16, 14), committee_size=7),
    Body("Chi bộ Công ty Môi trường và Công trình đô thị", Profile.ENTERPRISE, size=30),
    Body("Đảng bộ Công ty Thủy điện Đa Nhim - Hàm Thuận - Đa Mi", Profile.ENTERPRISE, (30, 28, 26, 24),
         committee_size=11, delegated=True),
    Body("Chi bộ Công ty Cổ phần Xây dựng số 1", Profile.ENTERPRISE, size=24),
    Body("Đảng bộ Công ty Cổ phần Chè Cầu Đất", Profile.ENTERPRISE, (26, 22, 20), committee_size=9),
)  # fmt: skip
