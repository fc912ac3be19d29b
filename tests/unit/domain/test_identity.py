"""The 12-digit citizen identity number: structure, province codes, sex and century.

Person ids keyed from it: tests/unit/services/test_person_ids.py.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import InvalidCommand
from domain.identity import PROVINCE_CODES, check_citizen_id_agrees, parse_citizen_id
from domain.particulars import Sex


def test_parse_reads_province_sex_and_birth_year() -> None:
    citizen = parse_citizen_id("001090012345")
    assert (citizen.province_code, citizen.sex, citizen.birth_year) == ("001", Sex.MALE, 1990)
    assert citizen.province_vi == "Hà Nội"
    assert citizen.value == "001090012345"


@pytest.mark.parametrize(
    ("digit", "sex", "birth_year"),
    [
        ("0", Sex.MALE, 1985),
        ("1", Sex.FEMALE, 1985),
        ("2", Sex.MALE, 2085),
        ("3", Sex.FEMALE, 2085),
        ("4", Sex.MALE, 2185),
        ("5", Sex.FEMALE, 2185),
        ("6", Sex.MALE, 2285),
        ("7", Sex.FEMALE, 2285),
        ("8", Sex.MALE, 1885),
        ("9", Sex.FEMALE, 1885),
    ],
)
def test_fourth_digit_encodes_sex_and_century(digit: str, sex: Sex, birth_year: int) -> None:
    citizen = parse_citizen_id(f"079{digit}85000001")
    assert (citizen.sex, citizen.birth_year) == (sex, birth_year)


def test_province_codes_are_the_63_of_circular_07_2016() -> None:
    assert len(PROVINCE_CODES) == 63
    assert min(PROVINCE_CODES) == "001"
    assert max(PROVINCE_CODES) == "096"
    assert PROVINCE_CODES["079"] == "Hồ Chí Minh"


@pytest.mark.parametrize("code", sorted(PROVINCE_CODES))
def test_every_official_province_code_is_accepted(code: str) -> None:
    assert parse_citizen_id(f"{code}195000001").province_code == code


@pytest.mark.parametrize("code", ["000", "003", "005", "050", "097", "099", "100", "999"])
def test_codes_outside_the_official_list_are_refused(code: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        parse_citizen_id(f"{code}195000001")
    assert refused.value.field == "citizen_id"
    assert "mã tỉnh" in refused.value.message_vi


@pytest.mark.parametrize(
    "text",
    [
        "00109001234",
        "0010900123456",
        "00109001234a",
        "001 090012345",
        "001-090-012345",
        "００１０９００１２３４５",
        "٠٠١٠٩٠٠١٢٣٤٥",
        "",
    ],
)
def test_anything_but_exactly_twelve_ascii_digits_is_refused(text: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        parse_citizen_id(text)
    assert refused.value.message_vi == "số định danh cá nhân phải gồm đúng 12 chữ số"


def test_surrounding_spaces_are_forgiven() -> None:
    assert parse_citizen_id("  001090012345\n").value == "001090012345"


def test_the_number_never_shows_in_repr() -> None:
    assert "001090012345" not in repr(parse_citizen_id("001090012345"))


def test_particulars_that_agree_with_the_number_pass() -> None:
    check_citizen_id_agrees(parse_citizen_id("038304000123"), sex=Sex.FEMALE, date_of_birth=date(2004, 2, 29))


def test_a_sex_contradicting_the_number_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_citizen_id_agrees(parse_citizen_id("038304000123"), sex=Sex.MALE, date_of_birth=date(2004, 1, 1))
    assert "giới tính" in refused.value.message_vi


def test_a_birth_year_contradicting_the_number_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_citizen_id_agrees(parse_citizen_id("038304000123"), sex=Sex.FEMALE, date_of_birth=date(1904, 1, 1))
    assert "sinh năm 2004" in refused.value.message_vi
