"""The next steps as HTML forms: fields made from each step's request body, and the posted form back into it.

The body types are the API's own (`people_steps.STEPS`), so a form can ask exactly what the endpoint asks
and nothing the domain would not check anyway.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

import msgspec

from ..people_steps import Step
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


def form_fields(step: Step) -> list[FormField]:
    """The inputs of a step's form, in the body's order (the date on the paper first)."""
    chosen = []
    for f in msgspec.structs.fields(step.body):
        if f.name in HIDDEN_FIELDS:
            continue
        kind, optional = _unwrap(f.type)
        widget, choices = _widget(kind)
        chosen.append(FormField(f.name, field_label(f.name), widget, f.required and not optional, choices))
    chosen.sort(key=lambda field: field.name != "occurred_on")
    return chosen


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
            data[field.name] = raw in {"on", "true", "1"}
        elif raw.strip():
            data[field.name] = _value(field, raw)
        elif field.required:
            raise FormProblem(f"Chưa nhập “{field.label}”")
    try:
        return msgspec.convert(data, step.body, strict=False)
    except msgspec.ValidationError as exc:
        raise FormProblem(f"Dữ liệu không hợp lệ: {exc}") from exc
