"""The next steps as HTML forms: fields made from each step's request body, and the posted form back into it.

The body types are the API's own (`services.commands.person_steps.STEPS`), so a form can ask exactly what the
endpoint asks and nothing the domain would not check anyway.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import msgspec

from services.commands.person_steps import Step

from .format import parse_day
from .labels import choice_label, field_label

HIDDEN_FIELDS = frozenset({"expected_version"})


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    widget: str  # text | number | date | checkbox | select | list | json
    required: bool
    choices: tuple[tuple[str, str], ...] = ()


def _unwrap(kind: Any) -> tuple[Any, bool]:
    """The field's base type, and whether None is allowed."""
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _unwrap(rest[0])[0], True
    return kind, False


def _widget(kind: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "select", tuple((m.value, choice_label(m)) for m in kind)
    if kind is bool:
        return "checkbox", ()
    if kind is int:
        return "number", ()
    if kind is date:
        return "date", ()
    if kind is str:
        return "text", ()
    if typing.get_origin(kind) is tuple and typing.get_args(kind)[0] is str:
        return "list", ()
    return "json", ()


def _inputs(name: str, kind: Any, required: bool) -> list[FormField]:
    """One input per field; a record such as the particulars gets one input per part ("particulars.sex")."""
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        parts = []
        for part in dataclasses.fields(kind):
            inner, optional = _unwrap(hints[part.name])
            needed = required and not optional and part.default is dataclasses.MISSING
            parts += _inputs(f"{name}.{part.name}", inner, needed)
        return parts
    widget, choices = _widget(kind)
    return [FormField(name, field_label(name.rpartition(".")[2]), widget, required, choices)]


def form_fields(step: Step) -> list[FormField]:
    """The inputs of a step's form, in the body's order (the date on the paper first)."""
    chosen = []
    for f in msgspec.structs.fields(step.body):
        if f.name in HIDDEN_FIELDS:
            continue
        kind, optional = _unwrap(f.type)
        chosen += _inputs(f.name, kind, f.required and not optional)
    chosen.sort(key=lambda field: field.name != "occurred_on")
    return chosen


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    """A dotted input name lands in its record: "particulars.sex" → data["particulars"]["sex"]."""
    *records, last = name.split(".")
    for record in records:
        data = data.setdefault(record, {})
    data[last] = value


class FormProblem(ValueError):
    """The form does not make a body the endpoint would accept; the message is Vietnamese."""


def _day(field: FormField, raw: str) -> str:
    """dd/mm/yyyy as officers write it (an ISO date is taken too); the body wants ISO."""
    try:
        day = parse_day(raw)
    except ValueError as exc:
        raise FormProblem(f"Trường “{field.label}” phải là ngày dạng dd/mm/yyyy") from exc
    return day.isoformat() if day else ""


def _value(field: FormField, raw: str) -> Any:
    if field.widget == "date":
        return _day(field, raw)
    if field.widget == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if field.widget == "json":
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise FormProblem(f"Trường “{field.label}” phải là JSON hợp lệ") from exc
    return raw.strip()


def body_from_form(step: Step, form: dict[str, str], expected_version: int) -> Any:
    """The step's body from a posted form; empty optional fields keep their defaults."""
    data: dict[str, Any] = {"expected_version": expected_version}
    for field in form_fields(step):
        raw = form.get(field.name, "")
        if field.widget == "checkbox":
            _put(data, field.name, raw in {"on", "true", "1"})
        elif raw.strip():
            _put(data, field.name, _value(field, raw))
        elif field.required:
            raise FormProblem(f"Chưa nhập “{field.label}”")
    try:
        return msgspec.convert(data, step.body, strict=False)
    except msgspec.ValidationError as exc:
        raise FormProblem(f"Dữ liệu không hợp lệ: {exc}") from exc
