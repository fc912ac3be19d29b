"""Text normalisation: one Unicode form for Vietnamese, no hidden characters, search without diacritics."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidCommand
from domain.text import fold_diacritics, normalise_text, search_key

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
vietnamese_words = st.text(alphabet=VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper(), min_size=1, max_size=8)
vietnamese_names = st.lists(vietnamese_words, min_size=1, max_size=5).map(" ".join)


def test_normalise_text_composes_decomposed_vietnamese() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hồng Nhung")
    assert decomposed != "Nguyễn Thị Hồng Nhung"
    assert normalise_text(decomposed) == "Nguyễn Thị Hồng Nhung"


def test_normalise_text_trims_and_collapses_every_kind_of_whitespace() -> None:
    assert normalise_text("  Trần\t Văn\u00a0\u00a0An \n") == "Trần Văn An"


@pytest.mark.parametrize(
    "hidden",
    ["\x00", "\x07", "\x1b", "\x1f", "\x7f", "\x85", "\u200b", "\u200d", "\u202e", "\ufeff", "\ue000"],
)
def test_normalise_text_refuses_control_and_invisible_characters(hidden: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        normalise_text(f"Lê{hidden}Văn", field="full_name")
    assert refused.value.field == "full_name"
    assert f"U+{ord(hidden):04X}" in refused.value.message_vi


def test_normalise_text_refuses_empty_text_when_required() -> None:
    with pytest.raises(InvalidCommand) as refused:
        normalise_text(" \t\n ", field="reason")
    assert refused.value.message_vi == "không được để trống"


def test_normalise_text_accepts_empty_text_when_optional() -> None:
    assert normalise_text("   ", required=False) == ""


def test_normalise_text_refuses_text_longer_than_the_limit_after_collapsing() -> None:
    assert normalise_text("a  b", max_length=3) == "a b"
    with pytest.raises(InvalidCommand):
        normalise_text("abcd", max_length=3)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Đặng Thị Ngọc Ánh", "Dang Thi Ngoc Anh"),
        ("Nguyễn Đức Thắng", "Nguyen Duc Thang"),
        ("ư ơ ă â ê ô đ", "u o a a e o d"),
        ("Ơ Đu, Rơ Măm", "O Du, Ro Mam"),
    ],
)
def test_fold_diacritics_removes_tone_and_vowel_marks_and_the_d_stroke(text: str, folded: str) -> None:
    assert fold_diacritics(text) == folded


def test_search_key_matches_whatever_the_case_marks_and_spacing() -> None:
    assert search_key("  NGUYỄN   văn  Đạt ") == search_key("nguyen van dat") == "nguyen van dat"


@given(vietnamese_names)
def test_nfc_of_a_decomposed_vietnamese_name_equals_the_composed_name(name: str) -> None:
    composed = unicodedata.normalize("NFC", name)
    assert normalise_text(unicodedata.normalize("NFD", name)) == normalise_text(composed) == composed


@given(vietnamese_names)
def test_folding_a_vietnamese_name_leaves_plain_ascii_letters(name: str) -> None:
    folded = fold_diacritics(name)
    assert folded.isascii()
    assert fold_diacritics(folded) == folded
    assert len(folded) == len(unicodedata.normalize("NFC", name))
