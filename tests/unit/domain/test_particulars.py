"""Particulars: the official lists with Vietnamese labels, full-month ages (R-ELIG-AGE), bands, education."""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, timedelta
from enum import StrEnum

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidCommand
from domain.particulars import (
    AgeBand,
    EducationLevel,
    Ethnicity,
    Occupation,
    Particulars,
    Religion,
    Sex,
    age_band,
    age_band_five_year,
    age_in_full_months,
)


def _person(**changes: object) -> Particulars:
    fields: dict[str, object] = {
        "full_name": "Hà Thị Thu",
        "sex": Sex.FEMALE,
        "date_of_birth": date(2001, 5, 19),
        "ethnicity": Ethnicity.TAY,
        "religion": Religion.NONE,
        "education": EducationLevel.UNIVERSITY,
        "occupation": Occupation.PUBLIC_EMPLOYEE,
        "hometown": "Xã Tân Trào, tỉnh Tuyên Quang",
    } | changes
    return Particulars(**fields)  # type: ignore[arg-type]


def test_ethnicity_lists_the_54_official_groups_plus_foreign_origin() -> None:
    groups = [e for e in Ethnicity if e is not Ethnicity.FOREIGN_ORIGIN]
    assert len(groups) == 54
    assert [e.code for e in Ethnicity] == [f"{n:02d}" for n in range(1, 56)]
    assert (Ethnicity.KINH.code, Ethnicity.HOA.code, Ethnicity.RO_MAM.code) == ("01", "04", "54")
    assert sum(e.is_ethnic_minority for e in Ethnicity) == 53


@pytest.mark.parametrize(
    ("member", "label"),
    [
        (Ethnicity.MUONG, "Mường"),
        (Ethnicity.E_DE, "Ê Đê"),
        (Ethnicity.O_DU, "Ơ Đu"),
        (Ethnicity.BRAU, "Brâu"),
    ],
)
def test_ethnicity_labels_carry_their_diacritics(member: Ethnicity, label: str) -> None:
    assert member.label_vi == label


@pytest.mark.parametrize(
    ("label", "member"),
    [
        ("H'Mông", Ethnicity.MONG),
        ("Hmông", Ethnicity.MONG),
        ("Khơ-me", Ethnicity.KHMER),
        ("gia-rai", Ethnicity.GIA_RAI),
        ("Ê-đê", Ethnicity.E_DE),
        ("BRU - VÂN KIỀU", Ethnicity.BRU_VAN_KIEU),
        ("Cờ Lao", Ethnicity.CO_LAO),
        ("Rơ-măm", Ethnicity.RO_MAM),
    ],
)
def test_ethnicity_is_read_from_older_spellings(label: str, member: Ethnicity) -> None:
    assert Ethnicity.from_label(label) is member


def test_every_ethnicity_label_reads_back_to_its_member() -> None:
    assert all(Ethnicity.from_label(e.label_vi) is e for e in Ethnicity)


def test_an_unknown_ethnic_group_is_refused() -> None:
    with pytest.raises(InvalidCommand):
        Ethnicity.from_label("Klingon")


@pytest.mark.parametrize("enum", [Sex, Ethnicity, Religion, EducationLevel, Occupation, AgeBand])
def test_every_label_is_nfc_and_every_value_is_a_stable_ascii_string(enum: type[StrEnum]) -> None:
    for member in enum:
        label: str = member.label_vi  # type: ignore[attr-defined]
        assert label == unicodedata.normalize("NFC", label) != ""
        assert member.value.isascii()


def test_religion_lists_the_16_recognised_religions_besides_none_and_other() -> None:
    assert len(Religion) == 18
    assert not Religion.NONE.is_religious
    assert Religion.HOA_HAO.label_vi == "Phật giáo Hòa Hảo"


@pytest.mark.parametrize(
    ("level", "meets"),
    [
        (EducationLevel.NONE, False),
        (EducationLevel.PRIMARY, False),
        (EducationLevel.LOWER_SECONDARY, True),
        (EducationLevel.UPPER_SECONDARY, True),
        (EducationLevel.VOCATIONAL, True),
        (EducationLevel.DOCTORATE, True),
    ],
)
def test_r_elig_edu_lower_secondary_or_anything_requiring_it(level: EducationLevel, meets: bool) -> None:
    assert level.meets_lower_secondary() is meets


def test_particulars_store_names_in_nfc_with_whitespace_collapsed() -> None:
    person = _person(full_name=unicodedata.normalize("NFD", "  Hà   Thị Thu "), hometown=" Tuyên  Quang ")
    assert person.full_name == "Hà Thị Thu"
    assert person.hometown == "Tuyên Quang"


@pytest.mark.parametrize("name", ["", "   ", "Nguyễn Văn 2", "Lê\u200bHoa"])
def test_particulars_refuse_an_empty_or_malformed_name(name: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        _person(full_name=name)
    assert refused.value.field == "full_name"


def test_particulars_survive_the_event_codec_round_trip() -> None:
    person = _person()
    assert msgspec.convert(msgspec.to_builtins(person), Particulars, strict=False) == person


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        (date(2004, 3, 15), date(2022, 3, 14), 215),
        (date(2004, 3, 15), date(2022, 3, 15), 216),
        (date(2001, 1, 31), date(2001, 2, 27), 0),
        (date(2001, 1, 31), date(2001, 2, 28), 1),
        (date(2004, 1, 31), date(2004, 2, 28), 0),
        (date(2004, 1, 31), date(2004, 2, 29), 1),
        (date(2001, 1, 31), date(2001, 4, 29), 2),
        (date(2001, 1, 31), date(2001, 4, 30), 3),
        (date(2004, 2, 29), date(2022, 2, 27), 215),
        (date(2004, 2, 29), date(2022, 2, 28), 216),
        (date(2004, 2, 29), date(2024, 2, 29), 240),
        (date(1962, 5, 10), date(2022, 5, 9), 719),
        (date(1962, 5, 10), date(2022, 5, 10), 720),
        (date(2000, 1, 1), date(2000, 1, 1), 0),
    ],
)
def test_r_elig_age_full_months_complete_on_the_birth_day_or_the_month_end(born: date, on: date, months: int) -> None:
    assert age_in_full_months(born, on) == months


def test_age_before_birth_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="before the date of birth"):
        age_in_full_months(date(2000, 1, 2), date(2000, 1, 1))


def _anniversary(born: date, months: int) -> date:
    year, month = divmod(born.month - 1 + months, 12)
    year += born.year
    return date(year, month + 1, min(born.day, calendar.monthrange(year, month + 1)[1]))


@given(st.dates(date(1900, 1, 1), date(2020, 12, 31)), st.integers(1, 1000))
def test_r_elig_age_the_kth_month_completes_exactly_on_its_anniversary(born: date, months: int) -> None:
    anniversary = _anniversary(born, months)
    assert age_in_full_months(born, anniversary) == months
    assert age_in_full_months(born, anniversary - timedelta(days=1)) == months - 1


@given(st.dates(date(1900, 1, 1), date(2020, 12, 31)), st.integers(0, 40000), st.integers(0, 400))
def test_full_months_never_decrease_as_time_passes(born: date, offset: int, step: int) -> None:
    on = born + timedelta(days=offset)
    assert age_in_full_months(born, on) <= age_in_full_months(born, on + timedelta(days=step))


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (date(2004, 1, 2), AgeBand.UNDER_18),
        (date(2004, 1, 1), AgeBand.AGE_18_30),
        (date(1991, 1, 2), AgeBand.AGE_18_30),
        (date(1991, 1, 1), AgeBand.AGE_31_40),
        (date(1981, 1, 1), AgeBand.AGE_41_50),
        (date(1962, 1, 1), AgeBand.AGE_51_60),
        (date(1961, 1, 1), AgeBand.AGE_61_70),
        (date(1951, 1, 2), AgeBand.AGE_61_70),
        (date(1951, 1, 1), AgeBand.OVER_70),
    ],
)
def test_age_bands_follow_completed_years_on_the_reference_date(born: date, band: AgeBand) -> None:
    assert age_band(born, date(2022, 1, 1)) is band


@pytest.mark.parametrize(
    ("years", "band"),
    [
        (17, "under-18"),
        (30, "18-30"),
        (31, "31-35"),
        (35, "31-35"),
        (36, "36-40"),
        (70, "66-70"),
        (71, "over-70"),
    ],
)
def test_five_year_bands_split_ages_after_thirty(years: int, band: str) -> None:
    assert age_band_five_year(date(2000 - years, 6, 1), date(2000, 6, 1)) == band
