"""A command's paper, checked before any rule: every text without hidden characters, every date plausible.

A rule that refuses a step for another reason (the stage, a quorum, a missing unit) must not be what stops a
malformed paper, or a step that happened to pass its rules would be the first to meet the check; and a step
that changes nothing must not accept what a real change would refuse. So both routers — a person's and the
unit tree's — run this first, over every field of the command, nested particulars included.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Final

from domain.errors import InvalidCommand, RuleViolation
from domain.text import refuse_hidden_characters

EARLIEST: Final = date(1890, 1, 1)
"""Before any party member now living was born (birth dates are papers too)."""
LATEST: Final = date(2200, 12, 31)


def check_paper(command: object) -> None:
    _check_texts_and_dates(_leaves(command, ""))


def check_paper_and_ids(command: object) -> None:
    """`check_paper`, then every id a command names (a field `…_id`, or an item of `…_ids`) names something:
    an empty one is a malformed command, refused naming the field before any rule (or the log) reads it.
    One walk of the command for both: walking it twice was a tenth of deciding an enrolment (an import of
    400,000 members decides 400,000, bench/roll_import.py)."""
    leaves = _leaves(command, "")
    _check_texts_and_dates(leaves)
    for field, value in leaves:
        if field.endswith(("_id", "_ids")) and isinstance(value, str) and not value.strip():
            raise InvalidCommand(field, "must not be empty", "không được để trống")


def _check_texts_and_dates(leaves: list[tuple[str, Any]]) -> None:
    for field, value in leaves:
        if isinstance(value, str):
            refuse_hidden_characters(value, field)
        elif isinstance(value, date):
            check_date(value, field)


def check_date(value: date, field: str) -> None:
    if not EARLIEST <= value <= LATEST:
        raise InvalidCommand(
            field,
            f"must be a date between {EARLIEST.year} and {LATEST.year}",
            f"phải là ngày trong khoảng năm {EARLIEST.year} đến {LATEST.year}",
        )


def check_not_future(occurred_on: date, today: date) -> None:
    """R-DATE-FUTURE: no paper is dated after today (the date in Vietnam when it is recorded): one mistyped year
    would otherwise hold a file for decades. `today` is passed in: the domain never reads the clock."""
    if occurred_on > today:
        raise RuleViolation(
            "R-DATE-FUTURE",
            f"the paper is dated {occurred_on.isoformat()}, after today ({today.isoformat()})",
            f"Ngày trên văn bản ({occurred_on:%d/%m/%Y}) sau ngày hôm nay ({today:%d/%m/%Y}); hãy kiểm tra lại ngày.",
            occurred_on=occurred_on.isoformat(),
        )


_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
"""Each class's dataclass field names (None: not a dataclass), found once: asking `dataclasses` for them on every
value was a third of deciding an enrolment (bench/roll_import.py)."""


def _field_names(value: Any) -> tuple[str, ...] | None:
    kind = type(value)
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        names = tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else None
        _FIELD_NAMES[kind] = names
        return names


_FIELD_PATHS: dict[tuple[type, str], tuple[tuple[str, str], ...] | None] = {}


def _field_paths(value: Any, path: str) -> tuple[tuple[str, str], ...] | None:
    """(field name, dotted name) of a dataclass's fields below `path`, spelled once per class and place."""
    key = (type(value), path)
    try:
        return _FIELD_PATHS[key]
    except KeyError:
        names = _field_names(value)
        paths = None if names is None else tuple((name, f"{path}.{name}" if path else name) for name in names)
        _FIELD_PATHS[key] = paths
        return paths


def _leaves(value: Any, path: str) -> list[tuple[str, Any]]:
    """(dotted field name, value) for every leaf of a dataclass, through nested dataclasses and sequences.

    A list filled by one recursive walk, a text, a date or a number taken at once: nested generators cost a
    third of deciding an enrolment (bench/roll_import.py)."""
    found: list[tuple[str, Any]] = []
    _collect(value, path, found)
    return found


def _collect(value: Any, path: str, found: list[tuple[str, Any]]) -> None:
    fields = _field_paths(value, path)
    if fields is not None:
        for name, where in fields:
            item = getattr(value, name)
            if item is None or type(item) in _PLAIN:
                found.append((where, item))
            else:
                _collect(item, where, found)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _collect(item, path, found)
    else:
        found.append((path, value))


_PLAIN: Final = frozenset({str, date, int, bool})
"""Leaves for certain: neither dataclasses nor sequences."""
