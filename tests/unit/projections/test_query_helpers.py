"""The pure parts of the queries: terms, cursors, summing several units' counters, labels."""

from __future__ import annotations

import pytest

from projections.queries.dashboard import term_years
from projections.queries.reading import add_counts, decode_cursor, distinct_units, encode_cursor
from projections.queries.statistics import label_vi


def test_a_term_covers_its_calendar_years_inclusive() -> None:
    assert list(term_years("2020-2025")) == [2020, 2021, 2022, 2023, 2024, 2025]


@pytest.mark.parametrize("term", ["2020", "2025-2020", "twenty-five", "2020-2025-2030"])
def test_a_malformed_term_is_refused(term: str) -> None:
    with pytest.raises(ValueError, match="2020-2025"):
        term_years(term)


def test_a_cursor_names_the_last_row_and_reads_back() -> None:
    assert decode_cursor(encode_cursor("cb-ly-luận", "f:person-abc")) == ("cb-ly-luận", "f:person-abc")


@pytest.mark.parametrize("cursor", ["", "!!!", encode_cursor("a", "b")[:-3] + "x", "WzFd"])
def test_a_cursor_not_given_by_a_query_is_refused(cursor: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor(cursor)


def test_counters_of_several_units_add_up_key_by_key() -> None:
    total: dict[str, object] = {}
    add_counts(total, {"admitted": 1, "exits": {"expelled": 1}, "note": "ignored"})
    add_counts(total, {"admitted": 2, "exits": {"expelled": 1, "struck_off": 1}})

    assert total == {"admitted": 3, "exits": {"expelled": 2, "struck_off": 1}}


def test_units_are_read_once_each_and_at_least_one() -> None:
    assert distinct_units(["b", "a", "b"]) == ["b", "a"]
    with pytest.raises(ValueError, match="unit"):
        distinct_units([])


def test_breakdown_values_have_vietnamese_labels() -> None:
    assert label_vi("sex", "female") == "Nữ"
    assert label_vi("age_band", "18-30") == "Từ 18 đến 30 tuổi"
    assert label_vi("type", "expelled") == "Khai trừ"
    assert label_vi("grade", "good") == "Hoàn thành tốt nhiệm vụ"
