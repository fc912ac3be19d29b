"""`replaced`: a copy of a frozen state record with some fields changed, for the appliers `evolve` calls.

A person's state is copied two or three times per event (the file or membership, the state, then its
version), and a projection rebuild or an "as of" answer replays hundreds of thousands of events:
`dataclasses.replace` runs the generated `__init__` field by field through `object.__setattr__` (3.5 µs for a
`PersonState`), while copying the instance dictionary takes 0.7 µs. That is only equivalent for records
whose `__init__` does nothing but assign, so classes with a `__post_init__` or `__slots__` are refused.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

R = TypeVar("R")

_FIELDS: dict[type, frozenset[str]] = {}


def replaced(record: R, **changes: Any) -> R:
    """`dataclasses.replace(record, **changes)`, for plain frozen dataclasses; a misspelt field still fails."""
    cls = type(record)
    names = _FIELDS.get(cls) or _fields_of(cls)
    if not names.issuperset(changes):
        unknown = ", ".join(sorted(set(changes) - names))
        raise TypeError(f"{cls.__name__} has no field {unknown}")
    return with_fields(cls, record.__dict__, changes)


def with_fields(cls: type[R], fields: dict[str, Any], changes: dict[str, Any]) -> R:
    """A new instance of `cls` holding a copy of `fields` with `changes`: `dict.copy` makes the table at its
    size in one step (updating a fresh instance's dictionary grew it key by key: 600 against 385 ns for a
    `PersonState`)."""
    copy = object.__new__(cls)
    table = fields.copy()
    table.update(changes)
    object.__setattr__(copy, "__dict__", table)
    return copy


def _fields_of(cls: type) -> frozenset[str]:
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__") or hasattr(cls, "__slots__"):
        raise TypeError(f"replaced() copies plain dataclasses only; use dataclasses.replace for {cls.__name__}")
    names = frozenset(field.name for field in dataclasses.fields(cls) if field.init)
    _FIELDS[cls] = names
    return names
