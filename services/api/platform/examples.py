"""Examples for the OpenAPI document: a request body for every command, and the ids a path names.

A body's example is made from its type (msgspec's description of it), so a new step or field gets one
without a hand-written copy to keep in step: every required field, with a value of its type within its
constraints, chosen by the field's name where the name says what it holds (an identity number, a
resolution's reference, a member's id). Each example is valid against the body's schema (the contract test
checks it); the rules may still refuse it, as they would a real request.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
from litestar.enums import RequestEncodingType
from litestar.openapi.spec import Example
from litestar.params import BodyKwarg

UNIT: Final = "unit-school-cell-1"
PERSON: Final = "person-3f2a9c4e1b7d8a6f5e4c3b2a1d0e9f8a"
DAY: Final = "2024-03-15"
BIRTH_DAY: Final = "1995-08-20"

BY_NAME: Final[dict[str, Any]] = {
    "citizen_id": "001085000321",
    "full_name": "Nguyễn Văn An",
    "ethnicity": "kinh",
    "religion": "none",
    "reason": "Theo nguyện vọng của cá nhân",
    "name": "Chi bộ Khoa Lý luận cơ sở",
    "code": "CB-LLCS",
    "unit_id": "unit-school-cell-3",
    "term": "2020-2025",
    "year": 2024,
    "yes": 9,
    "no": 0,
    "committee_size": 9,
}
"""Values whose field name says what they hold."""

PERSON_FIELDS: Final = frozenset({"helper_id", "mentor_id", "sponsor_id", "exempt_absent_ids"})
"""Fields that name a person; every other `…_id` names a unit."""

REFERENCE: Final = "Nghị quyết số 12-NQ/ĐU ngày 15/03/2024"


def body_example(struct: type[msgspec.Struct]) -> dict[str, Any]:
    """A value of `struct` with its required fields, valid against its schema."""
    value: dict[str, Any] = _value(msgspec.inspect.type_info(struct), "")
    return value


def with_example(struct: type[msgspec.Struct]) -> BodyKwarg:
    """A JSON body's declaration with its example: `data: Annotated[SomeBody, with_example(SomeBody)]`."""
    example = Example(summary="A well-formed request", value=body_example(struct))
    return BodyKwarg(media_type=RequestEncodingType.JSON, examples=[example])


def _value(kind: msgspec.inspect.Type, name: str) -> Any:
    if isinstance(kind, msgspec.inspect.Metadata):
        return _value(kind.type, name)
    if isinstance(kind, msgspec.inspect.StructType | msgspec.inspect.DataclassType):
        return {f.encode_name: _value(f.type, f.name) for f in kind.fields if f.required}
    if isinstance(kind, msgspec.inspect.UnionType):
        return _value(next(t for t in kind.types if not isinstance(t, msgspec.inspect.NoneType)), name)
    if isinstance(kind, msgspec.inspect.ListType | msgspec.inspect.VarTupleType):
        return [_value(kind.item_type, name)]
    if isinstance(kind, msgspec.inspect.EnumType):
        return next(iter(kind.cls)).value
    if isinstance(kind, msgspec.inspect.IntType):
        return _integer(kind, name)
    if isinstance(kind, msgspec.inspect.StrType):
        return _text(kind, name)
    return _scalar(kind, name)


def _scalar(kind: msgspec.inspect.Type, name: str) -> Any:
    if isinstance(kind, msgspec.inspect.BoolType):
        return False
    if isinstance(kind, msgspec.inspect.DateType):
        return BIRTH_DAY if name == "date_of_birth" else DAY
    raise TypeError(f"no example for a field of type {kind!r}")


def _integer(kind: msgspec.inspect.IntType, name: str) -> int:
    wanted: int = BY_NAME.get(name, 1)
    if kind.ge is not None:
        wanted = max(wanted, kind.ge)
    return wanted if kind.le is None else min(wanted, kind.le)


def _text(kind: msgspec.inspect.StrType, name: str) -> str:
    if name in BY_NAME:
        chosen: str = BY_NAME[name]
    elif name in PERSON_FIELDS:
        chosen = PERSON
    elif name.endswith("_id"):
        chosen = UNIT
    else:
        chosen = REFERENCE
    return chosen if kind.max_length is None else chosen[: kind.max_length]
