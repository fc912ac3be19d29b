"""The citizen identity number (số định danh cá nhân, printed on the CCCD card) that identifies a person.

Structure (Decree 137/2015/NĐ-CP art. 7, Circular 07/2016/TT-BCA as amended by 59/2021/TT-BCA): 12 digits —
3 for the province or city where the birth was registered, 1 for sex and century, 2 for the last digits of
the birth year, 6 random. The province codes are the 63 of Circular 07/2016's annex; numbers issued before the
2025 merger of provinces keep their codes, so the list stays the set of valid codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final

from domain.errors import InvalidCommand
from domain.particulars import Sex

PROVINCE_CODES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
"""Code → province of birth registration (Circular 07/2016/TT-BCA, annex I)."""

CENTURY_BY_DIGIT: Final[dict[str, tuple[int, Sex]]] = {
    "0": (1900, Sex.MALE),
    "1": (1900, Sex.FEMALE),
    "2": (2000, Sex.MALE),
    "3": (2000, Sex.FEMALE),
    "4": (2100, Sex.MALE),
    "5": (2100, Sex.FEMALE),
    "6": (2200, Sex.MALE),
    "7": (2200, Sex.FEMALE),
    "8": (1800, Sex.MALE),
    "9": (1800, Sex.FEMALE),
}
"""The 4th digit: the century of birth and the sex."""

_ASCII_DIGITS: Final = frozenset("0123456789")


@dataclass(frozen=True)
class CitizenId:
    """A well-formed identity number and what it says about its holder; the number is kept out of repr."""

    value: str = field(repr=False)
    province_code: str
    sex: Sex
    birth_year: int

    @property
    def province_vi(self) -> str:
        return PROVINCE_CODES[self.province_code]


def parse_citizen_id(s: str) -> CitizenId:
    """Check the structure of a 12-digit identity number; surrounding spaces are forgiven, nothing else."""
    value = s.strip()
    if len(value) != 12 or not set(value) <= _ASCII_DIGITS:
        raise InvalidCommand(
            "citizen_id",
            "a citizen identity number has exactly 12 digits",
            "số định danh cá nhân phải gồm đúng 12 chữ số",
        )
    province_code = value[:3]
    if province_code not in PROVINCE_CODES:
        raise InvalidCommand(
            "citizen_id",
            f"{province_code} is not a province code of birth registration",
            f"{province_code} không phải mã tỉnh, thành phố nơi đăng ký khai sinh",
        )
    century, sex = CENTURY_BY_DIGIT[value[3]]
    return CitizenId(value=value, province_code=province_code, sex=sex, birth_year=century + int(value[4:6]))


def check_citizen_id_agrees(citizen_id: CitizenId, *, sex: Sex, date_of_birth: date) -> None:
    """Refuse particulars that contradict the number: a typo in either would attach a file to a stranger."""
    if citizen_id.sex is not sex:
        raise InvalidCommand(
            "citizen_id",
            f"the number is of a {citizen_id.sex.value} person but the sex given is {sex.value}",
            f"số định danh là của người giới tính {citizen_id.sex.label_vi.lower()} "
            f"nhưng giới tính khai là {sex.label_vi.lower()}",
        )
    if citizen_id.birth_year != date_of_birth.year:
        raise InvalidCommand(
            "citizen_id",
            f"the number is of a person born in {citizen_id.birth_year} "
            f"but the date of birth given is in {date_of_birth.year}",
            f"số định danh là của người sinh năm {citizen_id.birth_year} "
            f"nhưng ngày sinh khai là năm {date_of_birth.year}",
        )
