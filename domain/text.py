"""Text as the ledger stores it: one Unicode form, no invisible characters, searchable without diacritics.

Vietnamese can be typed precomposed ("ệ") or decomposed ("e" + two combining marks); both look the same but
compare unequal. Everything a person types is NFC-normalised here before it reaches an event, so names,
reasons and references compare, sort and hash the same however they were entered.
"""

from __future__ import annotations

import unicodedata

from domain.errors import InvalidCommand

_WHITESPACE_CONTROLS = frozenset("\t\n\v\f\r")
"""Control characters that are really layout: they collapse into one space instead of being refused."""

_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
"""Controls, invisible format characters (zero-width, bidi overrides), lone surrogates and private use."""

_FOLDED_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})
"""Letters whose stroke is not a combining mark, so NFD alone does not strip it."""


def normalise_text(s: str, *, field: str = "text", required: bool = True, max_length: int | None = None) -> str:
    """NFC, trimmed, inner whitespace collapsed; hidden characters refused, so what is seen is stored."""
    composed = unicodedata.normalize("NFC", s)
    refuse_hidden_characters(composed, field)
    result = " ".join(composed.split())
    if required and not result:
        raise InvalidCommand(field, "must not be empty", "không được để trống")
    if max_length is not None and len(result) > max_length:
        raise InvalidCommand(
            field,
            f"is longer than {max_length} characters",
            f"dài quá {max_length} ký tự",
        )
    return result


def refuse_hidden_characters(s: str, field: str) -> None:
    """What is seen is what is stored: controls and invisible characters are refused, layout whitespace kept."""
    if s.isprintable():  # no character of the categories refused (nor any separator but the space): most texts
        return
    for char in s:
        if char not in _WHITESPACE_CONTROLS and unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise InvalidCommand(
                field,
                f"contains an invisible or control character (U+{ord(char):04X})",
                f"chứa ký tự điều khiển hoặc ký tự ẩn (U+{ord(char):04X})",
            )


def fold_diacritics(s: str) -> str:
    """The text without Vietnamese tone and vowel marks ("Đặng Thị Ngọc" -> "Dang Thi Ngoc"), for search."""
    decomposed = unicodedata.normalize("NFD", s.translate(_FOLDED_LETTERS))
    stripped = "".join(char for char in decomposed if unicodedata.category(char) != "Mn")
    return unicodedata.normalize("NFC", stripped)


def search_key(s: str) -> str:
    """A key for matching what users type: folded, case-folded and with whitespace collapsed."""
    return " ".join(fold_diacritics(unicodedata.normalize("NFC", s)).casefold().split())
