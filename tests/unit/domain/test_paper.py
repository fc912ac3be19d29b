"""A command's paper is checked before any rule: hidden characters anywhere, dates outside any plausible year,
ids that name nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from domain.errors import InvalidCommand
from domain.paper import check_paper, check_paper_and_ids


@dataclass(frozen=True)
class Particulars:
    full_name: str
    born_on: date


@dataclass(frozen=True)
class Step:
    reason: str
    occurred_on: date
    particulars: Particulars
    witnesses: tuple[str, ...] = ()


GOOD = Step("Chuyển công tác", date(2022, 1, 3), Particulars("Nguyễn Thị Hồng", date(1995, 4, 30)), ("Lê Văn A",))


def test_a_clean_paper_passes() -> None:
    check_paper(GOOD)


@pytest.mark.parametrize(
    ("paper", "field"),
    [
        (Step("Lý\x00 do", GOOD.occurred_on, GOOD.particulars), "reason"),
        (Step(GOOD.reason, date(9999, 12, 31), GOOD.particulars), "occurred_on"),
        (
            Step(GOOD.reason, GOOD.occurred_on, Particulars("Nguyễn\u200bThị", date(1995, 4, 30))),
            "particulars.full_name",
        ),
        (Step(GOOD.reason, GOOD.occurred_on, Particulars("Nguyễn Thị", date(1, 1, 1))), "particulars.born_on"),
        (Step(GOOD.reason, GOOD.occurred_on, GOOD.particulars, ("Lê\u202eVăn",)), "witnesses"),
    ],
)
def test_hidden_characters_and_absurd_dates_are_refused_naming_the_field(paper: Step, field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_paper(paper)
    assert refused.value.field == field


def test_layout_whitespace_is_not_a_hidden_character() -> None:
    check_paper(Step("Dòng một\nDòng hai\tcột", GOOD.occurred_on, GOOD.particulars))


@dataclass(frozen=True)
class Letter:
    sponsor_id: str


@dataclass(frozen=True)
class Ceremony:
    mentor_id: str
    letters: tuple[Letter, ...] = ()
    exempt_ids: tuple[str, ...] = ()


@pytest.mark.parametrize(
    ("command", "field"),
    [
        (Ceremony(""), "mentor_id"),
        (Ceremony("   "), "mentor_id"),
        (Ceremony("person-1", (Letter("person-2"), Letter(""))), "letters.sponsor_id"),
        (Ceremony("person-1", exempt_ids=("person-2", "")), "exempt_ids"),
    ],
)
def test_an_empty_id_is_refused_naming_the_field(command: Ceremony, field: str) -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_paper_and_ids(command)
    assert refused.value.field == field


def test_ids_that_name_something_pass() -> None:
    check_paper_and_ids(Ceremony("person-1", (Letter("person-2"),), ("person-3",)))


@dataclass(frozen=True)
class Noted:
    note: str
    person_id: str


def test_a_hidden_character_is_named_before_an_empty_id_later_in_the_paper() -> None:
    with pytest.raises(InvalidCommand) as refused:
        check_paper_and_ids(Noted("Ghi\x00 chú", ""))
    assert refused.value.field == "note"
    with pytest.raises(InvalidCommand) as empty:
        check_paper_and_ids(Noted("Ghi chú", " "))
    assert empty.value.field == "person_id"
