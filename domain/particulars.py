"""A person's particulars (the facts of form 2-KNĐ that the HD 11 statistics break down by).

Enum values are stable ASCII strings stored in events; Vietnamese labels are for the dashboard only and may
be reworded without touching the log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Final

from domain.ages import AgeBand, age_band, age_band_five_year, age_in_full_months, age_in_full_years
from domain.errors import InvalidCommand
from domain.ethnicity import Ethnicity
from domain.privacy import ERASED_TEXT, Personal, Sensitive
from domain.text import normalise_text

__all__ = [
    "AgeBand",
    "EducationLevel",
    "Ethnicity",
    "Occupation",
    "Particulars",
    "Religion",
    "Sex",
    "age_band",
    "age_band_five_year",
    "age_in_full_months",
    "age_in_full_years",
]


class Sex(StrEnum):
    """Sex as recorded on the citizen identity card (the CCCD number encodes it too)."""

    MALE = "male"
    FEMALE = "female"

    @property
    def label_vi(self) -> str:
        return "Nam" if self is Sex.MALE else "Nữ"


class Religion(StrEnum):
    """No religion, the 16 religions recognised by the State, or another one."""

    NONE = "none"
    BUDDHISM = "buddhism"
    CATHOLICISM = "catholicism"
    PROTESTANTISM = "protestantism"
    CAO_DAI = "cao_dai"
    HOA_HAO = "hoa_hao"
    ISLAM = "islam"
    BAHAI = "bahai"
    PURE_LAND_LAY_BUDDHISM = "pure_land_lay_buddhism"
    TU_AN_HIEU_NGHIA = "tu_an_hieu_nghia"
    BUU_SON_KY_HUONG = "buu_son_ky_huong"
    MINH_SU_DAO = "minh_su_dao"
    MINH_LY_DAO = "minh_ly_dao"
    BRAHMANISM = "brahmanism"
    LATTER_DAY_SAINTS = "latter_day_saints"
    HIEU_NGHIA_TA_LON = "hieu_nghia_ta_lon"
    SEVENTH_DAY_ADVENTISM = "seventh_day_adventism"
    OTHER = "other"

    @property
    def label_vi(self) -> str:
        return _RELIGION_LABELS_VI[self]

    @property
    def is_religious(self) -> bool:
        """Members with a religion (đảng viên là người có đạo) are counted apart in the statistics."""
        return self is not Religion.NONE


_RELIGION_LABELS_VI: Final[dict[Religion, str]] = {
    Religion.NONE: "Không",
    Religion.BUDDHISM: "Phật giáo",
    Religion.CATHOLICISM: "Công giáo",
    Religion.PROTESTANTISM: "Tin lành",
    Religion.CAO_DAI: "Cao Đài",
    Religion.HOA_HAO: "Phật giáo Hòa Hảo",
    Religion.ISLAM: "Hồi giáo",
    Religion.BAHAI: "Baha'i",
    Religion.PURE_LAND_LAY_BUDDHISM: "Tịnh độ Cư sĩ Phật hội Việt Nam",
    Religion.TU_AN_HIEU_NGHIA: "Tứ Ân Hiếu Nghĩa",
    Religion.BUU_SON_KY_HUONG: "Bửu Sơn Kỳ Hương",
    Religion.MINH_SU_DAO: "Minh Sư Đạo",
    Religion.MINH_LY_DAO: "Minh Lý Đạo - Tam Tông Miếu",
    Religion.BRAHMANISM: "Bà-la-môn giáo",
    Religion.LATTER_DAY_SAINTS: "Các Thánh hữu Ngày sau của Chúa Giê-su Ky-tô",
    Religion.HIEU_NGHIA_TA_LON: "Phật giáo Hiếu Nghĩa Tà Lơn",
    Religion.SEVENTH_DAY_ADVENTISM: "Cơ đốc Phục lâm",
    Religion.OTHER: "Tôn giáo khác",
}


class EducationLevel(StrEnum):
    """The highest level completed, lowest first.

    Elementary vocational certificates (sơ cấp) are not a level here: they need no general education, so
    record the general-education level instead. Every level from VOCATIONAL (trung cấp) up requires the
    lower-secondary diploma to enrol.
    """

    NONE = "none"
    PRIMARY = "primary"
    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"
    VOCATIONAL = "vocational"
    COLLEGE = "college"
    UNIVERSITY = "university"
    MASTER = "master"
    DOCTORATE = "doctorate"

    @property
    def label_vi(self) -> str:
        return _EDUCATION_LABELS_VI[self]

    @property
    def rank(self) -> int:
        return _EDUCATION_ORDER.index(self)

    def at_least(self, other: EducationLevel) -> bool:
        return self.rank >= other.rank

    def meets_lower_secondary(self) -> bool:
        """R-ELIG-EDU: a lower-secondary diploma or anything that requires it (area exceptions apart)."""
        return self.at_least(EducationLevel.LOWER_SECONDARY)


_EDUCATION_ORDER: Final[tuple[EducationLevel, ...]] = tuple(EducationLevel)

_EDUCATION_LABELS_VI: Final[dict[EducationLevel, str]] = {
    EducationLevel.NONE: "Chưa tốt nghiệp tiểu học",
    EducationLevel.PRIMARY: "Tiểu học",
    EducationLevel.LOWER_SECONDARY: "Trung học cơ sở",
    EducationLevel.UPPER_SECONDARY: "Trung học phổ thông",
    EducationLevel.VOCATIONAL: "Trung cấp",
    EducationLevel.COLLEGE: "Cao đẳng",
    EducationLevel.UNIVERSITY: "Đại học",
    EducationLevel.MASTER: "Thạc sĩ",
    EducationLevel.DOCTORATE: "Tiến sĩ",
}


class Occupation(StrEnum):
    """Occupation groups of the party's yearly statistics (nghề nghiệp)."""

    STATE_OFFICIAL = "state_official"
    PARTY_MASS_ORG_OFFICIAL = "party_mass_org_official"
    COMMUNE_OFFICIAL = "commune_official"
    VILLAGE_WORKER = "village_worker"
    PUBLIC_EMPLOYEE = "public_employee"
    ENTERPRISE_MANAGER = "enterprise_manager"
    WORKER = "worker"
    PRIVATE_BUSINESS_OWNER = "private_business_owner"
    FARMER = "farmer"
    MILITARY = "military"
    POLICE = "police"
    STUDENT = "student"
    RETIRED = "retired"
    OTHER = "other"

    @property
    def label_vi(self) -> str:
        return _OCCUPATION_LABELS_VI[self]


_OCCUPATION_LABELS_VI: Final[dict[Occupation, str]] = {
    Occupation.STATE_OFFICIAL: "Cán bộ, công chức cơ quan nhà nước",
    Occupation.PARTY_MASS_ORG_OFFICIAL: "Cán bộ, công chức cơ quan Đảng, Mặt trận Tổ quốc, đoàn thể",
    Occupation.COMMUNE_OFFICIAL: "Cán bộ, công chức, người hoạt động không chuyên trách cấp xã",
    Occupation.VILLAGE_WORKER: "Người hoạt động không chuyên trách ở thôn, tổ dân phố",
    Occupation.PUBLIC_EMPLOYEE: "Viên chức đơn vị sự nghiệp công lập",
    Occupation.ENTERPRISE_MANAGER: "Lãnh đạo, quản lý doanh nghiệp",
    Occupation.WORKER: "Công nhân, người lao động trong doanh nghiệp",
    Occupation.PRIVATE_BUSINESS_OWNER: "Chủ doanh nghiệp tư nhân",
    Occupation.FARMER: "Nông, lâm, ngư nghiệp",
    Occupation.MILITARY: "Quân đội",
    Occupation.POLICE: "Công an",
    Occupation.STUDENT: "Học sinh, sinh viên",
    Occupation.RETIRED: "Nghỉ hưu, mất sức",
    Occupation.OTHER: "Nghề nghiệp khác",
}

NAME_MAX_LENGTH: Final = 100
PLACE_MAX_LENGTH: Final = 200


@dataclass(frozen=True)
class Particulars:
    """Who a person is, as the statistics need it; names are NFC so they compare and search reliably."""

    full_name: Annotated[str, Personal.NAME]
    sex: Annotated[Sex, Personal.SEX]
    date_of_birth: Annotated[date, Personal.BIRTH_DATE]
    ethnicity: Annotated[Ethnicity, Sensitive.ETHNICITY]
    religion: Annotated[Religion, Sensitive.RELIGION]
    education: Annotated[EducationLevel, Personal.EDUCATION]
    occupation: Annotated[Occupation, Personal.OCCUPATION]
    hometown: Annotated[str | None, Personal.HOMETOWN] = None

    def __post_init__(self) -> None:
        name = normalise_text(self.full_name, field="full_name", max_length=NAME_MAX_LENGTH)
        if any(char.isdigit() for char in name):
            raise InvalidCommand("full_name", "must not contain digits", "họ và tên không được chứa chữ số")
        object.__setattr__(self, "full_name", name)
        if self.hometown is not None:
            place = normalise_text(self.hometown, field="hometown", max_length=PLACE_MAX_LENGTH)
            object.__setattr__(self, "hometown", place)

    @property
    def erased(self) -> bool:
        """The person's data was erased (R-PRIVACY-ERASE): these are placeholders and counted values only."""
        return self.full_name == ERASED_TEXT

    def age_in_full_months(self, on: date) -> int:
        return age_in_full_months(self.date_of_birth, on)

    def age_band(self, on: date) -> AgeBand:
        return age_band(self.date_of_birth, on)
