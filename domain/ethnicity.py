"""The 54 ethnic groups of Vietnam, for a person's particulars and the HD 11 statistics by ethnicity.

Codes follow the official list of ethnic groups, Decision 121-TCTK/PPCĐ of 2 March 1979 (01 Kinh … 54 Rơ Măm),
still the code order of most administrative lists. Vietnamese names use today's common spelling (2019
census); older spellings (Khơ-me, H'Mông, Gia-rai, …) are accepted by `Ethnicity.from_label`.

`FOREIGN_ORIGIN` is not an ethnic group: the party's ethnicity statistics (form 4-TCTW since HD 12-HD/BTCTW
of 2012, carried into HD 11-HD/BTCTW of 2021) count members of foreign origin naturalised as Vietnamese on a
line of their own, and administrative lists give them code 55 ("Người nước ngoài").
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from domain.errors import InvalidCommand
from domain.text import search_key


class Ethnicity(StrEnum):
    """An official ethnic group (dân tộc); values are stable ASCII slugs."""

    KINH = "kinh"
    TAY = "tay"
    THAI = "thai"
    HOA = "hoa"
    KHMER = "khmer"
    MUONG = "muong"
    NUNG = "nung"
    MONG = "mong"
    DAO = "dao"
    GIA_RAI = "gia_rai"
    NGAI = "ngai"
    E_DE = "e_de"
    BA_NA = "ba_na"
    XO_DANG = "xo_dang"
    SAN_CHAY = "san_chay"
    CO_HO = "co_ho"
    CHAM = "cham"
    SAN_DIU = "san_diu"
    HRE = "hre"
    MNONG = "mnong"
    RA_GLAI = "ra_glai"
    XTIENG = "xtieng"
    BRU_VAN_KIEU = "bru_van_kieu"
    THO = "tho"
    GIAY = "giay"
    CO_TU = "co_tu"
    GIE_TRIENG = "gie_trieng"
    MA = "ma"
    KHO_MU = "kho_mu"
    CO = "co"
    TA_OI = "ta_oi"
    CHO_RO = "cho_ro"
    KHANG = "khang"
    XINH_MUN = "xinh_mun"
    HA_NHI = "ha_nhi"
    CHU_RU = "chu_ru"
    LAO = "lao"
    LA_CHI = "la_chi"
    LA_HA = "la_ha"
    PHU_LA = "phu_la"
    LA_HU = "la_hu"
    LU = "lu"
    LO_LO = "lo_lo"
    CHUT = "chut"
    MANG = "mang"
    PA_THEN = "pa_then"
    CO_LAO = "co_lao"
    CONG = "cong"
    BO_Y = "bo_y"
    SI_LA = "si_la"
    PU_PEO = "pu_peo"
    BRAU = "brau"
    O_DU = "o_du"
    RO_MAM = "ro_mam"
    FOREIGN_ORIGIN = "foreign_origin"

    @property
    def code(self) -> str:
        """The two-digit official code ("01" Kinh … "54" Rơ Măm; "55" foreign origin)."""
        return _CODES[self]

    @property
    def label_vi(self) -> str:
        return _LABELS_VI[self]

    @property
    def is_ethnic_minority(self) -> bool:
        """The 53 groups other than Kinh (dân tộc thiểu số), counted apart in every statistic."""
        return self not in (Ethnicity.KINH, Ethnicity.FOREIGN_ORIGIN)

    @classmethod
    def from_label(cls, label: str) -> Ethnicity:
        """Read a Vietnamese name in any common spelling (case, diacritics, hyphens and spaces ignored)."""
        found = _BY_KEY.get(_label_key(label))
        if found is None:
            raise InvalidCommand("ethnicity", f"unknown ethnic group {label!r}", f"không rõ dân tộc «{label}»")
        return found


_LABELS_VI: Final[dict[Ethnicity, str]] = {
    Ethnicity.KINH: "Kinh",
    Ethnicity.TAY: "Tày",
    Ethnicity.THAI: "Thái",
    Ethnicity.HOA: "Hoa",
    Ethnicity.KHMER: "Khmer",
    Ethnicity.MUONG: "Mường",
    Ethnicity.NUNG: "Nùng",
    Ethnicity.MONG: "Mông",
    Ethnicity.DAO: "Dao",
    Ethnicity.GIA_RAI: "Gia Rai",
    Ethnicity.NGAI: "Ngái",
    Ethnicity.E_DE: "Ê Đê",
    Ethnicity.BA_NA: "Ba Na",
    Ethnicity.XO_DANG: "Xơ Đăng",
    Ethnicity.SAN_CHAY: "Sán Chay",
    Ethnicity.CO_HO: "Cơ Ho",
    Ethnicity.CHAM: "Chăm",
    Ethnicity.SAN_DIU: "Sán Dìu",
    Ethnicity.HRE: "Hrê",
    Ethnicity.MNONG: "Mnông",
    Ethnicity.RA_GLAI: "Ra Glai",
    Ethnicity.XTIENG: "Xtiêng",
    Ethnicity.BRU_VAN_KIEU: "Bru-Vân Kiều",
    Ethnicity.THO: "Thổ",
    Ethnicity.GIAY: "Giáy",
    Ethnicity.CO_TU: "Cơ Tu",
    Ethnicity.GIE_TRIENG: "Giẻ Triêng",
    Ethnicity.MA: "Mạ",
    Ethnicity.KHO_MU: "Khơ Mú",
    Ethnicity.CO: "Co",
    Ethnicity.TA_OI: "Tà Ôi",
    Ethnicity.CHO_RO: "Chơ Ro",
    Ethnicity.KHANG: "Kháng",
    Ethnicity.XINH_MUN: "Xinh Mun",
    Ethnicity.HA_NHI: "Hà Nhì",
    Ethnicity.CHU_RU: "Chu Ru",
    Ethnicity.LAO: "Lào",
    Ethnicity.LA_CHI: "La Chí",
    Ethnicity.LA_HA: "La Ha",
    Ethnicity.PHU_LA: "Phù Lá",
    Ethnicity.LA_HU: "La Hủ",
    Ethnicity.LU: "Lự",
    Ethnicity.LO_LO: "Lô Lô",
    Ethnicity.CHUT: "Chứt",
    Ethnicity.MANG: "Mảng",
    Ethnicity.PA_THEN: "Pà Thẻn",
    Ethnicity.CO_LAO: "Cơ Lao",
    Ethnicity.CONG: "Cống",
    Ethnicity.BO_Y: "Bố Y",
    Ethnicity.SI_LA: "Si La",
    Ethnicity.PU_PEO: "Pu Péo",
    Ethnicity.BRAU: "Brâu",
    Ethnicity.O_DU: "Ơ Đu",
    Ethnicity.RO_MAM: "Rơ Măm",
    Ethnicity.FOREIGN_ORIGIN: "Người nước ngoài nhập quốc tịch Việt Nam",
}

_CODES: Final[dict[Ethnicity, str]] = {member: f"{number:02d}" for number, member in enumerate(Ethnicity, start=1)}

_ALIASES: Final[dict[str, Ethnicity]] = {
    "Việt": Ethnicity.KINH,
    "Khơ-me": Ethnicity.KHMER,
    "H'Mông": Ethnicity.MONG,
    "Stiêng": Ethnicity.XTIENG,
    "Gié-Triêng": Ethnicity.GIE_TRIENG,
    "Người nước ngoài": Ethnicity.FOREIGN_ORIGIN,
}


def _label_key(label: str) -> str:
    return "".join(char for char in search_key(label) if char.isalnum())


_BY_KEY: Final[dict[str, Ethnicity]] = {
    **{_label_key(label): member for member, label in _LABELS_VI.items()},
    **{_label_key(alias): member for alias, member in _ALIASES.items()},
}
