"""The next steps as HTML forms: fields made from each step's request body, and the posted form back into it.

The body types are the API's own (`services.commands.person_steps.STEPS`), so a form can ask exactly what the
endpoint asks and nothing the domain would not check anyway. An officer never types an id or JSON: a field
that names a member, a cell or a unit is a picker (`Pick`) over what the caller may see, found by name with or
without diacritics; the sponsors' letters and the people to verify are rows. Which field names what comes from
the step table itself: each step's typed `Reads` (read here through `_Probe`) names its member, its units and
its sponsors, and the body's types name the rest (the people to verify, the excused absentees, a destination).
A value the form cannot use is refused next to its field, in Vietnamese (`FormProblem.fields`).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from functools import cached_property
from typing import Any, Final

import msgspec

from domain.person.values import Relation, VerificationSubject
from domain.rules.sponsors import SponsorKind
from domain.text import search_key
from services.commands.person_steps import Step

from .format import parse_day
from .labels import choice_label, field_label

HIDDEN_FIELDS = frozenset({"expected_version"})
PERSON_ID: Final = re.compile(r"person-[0-9a-f]{32}")
SPONSOR_ROWS: Final = 3
SUBJECT_ROWS: Final = 8
SUBJECT: Final = "subject"
"""One input for a result's relation and name: the subject is chosen among those still waiting."""


class Pick(StrEnum):
    """What a picker chooses among (`Choices` holds the options of one page)."""

    NONE = ""
    MEMBER = "member"
    MEMBERS = "members"
    CELL = "cell"
    UNIT = "unit"
    SPONSORS = "sponsors"
    SUBJECTS = "subjects"
    SUBJECT = "subject"


@dataclass(frozen=True)
class Option:
    """One thing a picker offers: `value` is what the body gets (an id, never shown), `label` what is read."""

    value: str
    label: str
    name: str = ""

    @cached_property
    def key(self) -> str:
        """Folded once: a search runs through a province's 25,000 cells."""
        return search_key(self.label)


Finder = Callable[[str], tuple[Option, ...]]
"""Every option a typed text may mean beyond those a picker lists, within the same walls (`Choices.finders`)."""


@dataclass(frozen=True)
class Choices:
    """The options of one page's pickers, read within the caller's walls by the page that shows them.

    A picker lists the options near the file (`cells`, `units`: the cells of its own commune-level committee);
    `finders` find any other the same picker may name, typed by name or code (searched with "Tìm", and when a
    posted form is read), and `hints` say so under it."""

    members: tuple[Option, ...] = ()
    elsewhere: tuple[Option, ...] = ()
    """Members of the caller's other cells: a helper there for a candidate moving there (never a sponsor)."""
    cells: tuple[Option, ...] = ()
    units: tuple[Option, ...] = ()
    subjects: tuple[Option, ...] = ()
    subject_name: str = ""
    """The candidate's own name, written in the first row of the people to verify."""
    subject_year: str = ""
    """The candidate's own year of birth, written beside that name."""
    finders: Mapping[Pick, Finder] = dataclasses.field(default_factory=dict)
    hints: Mapping[Pick, str] = dataclasses.field(default_factory=dict)

    def of(self, pick: Pick) -> tuple[Option, ...]:
        if pick is Pick.MEMBER:
            return self.members + self.elsewhere
        if pick in (Pick.MEMBERS, Pick.SPONSORS):
            return self.members
        return {Pick.CELL: self.cells, Pick.UNIT: self.units, Pick.SUBJECT: self.subjects}.get(pick, ())


NO_CHOICES: Final = Choices()


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    widget: str  # text | number | date | checkbox | select | list | pick | checks | sponsors | subjects
    required: bool
    choices: tuple[tuple[str, str], ...] = ()
    pick: Pick = Pick.NONE
    options: tuple[Option, ...] = ()
    rows: tuple[int, ...] = ()
    find: Finder | None = dataclasses.field(default=None, compare=False)
    """Searches beyond `options` (a "Tìm" button beside the picker)."""
    note: str = ""
    """Words under the picker: where its list comes from, or what a search found."""


def _unwrap(kind: Any) -> tuple[Any, bool]:
    """The field's base type, and whether None is allowed."""
    if typing.get_origin(kind) is typing.Annotated:
        kind = typing.get_args(kind)[0]
    args = typing.get_args(kind)
    if typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        return _unwrap(rest[0])[0], True
    return kind, False


def _enum_choices(kind: type[Enum]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, choice_label(m)) for m in kind)


def _widget(kind: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return "select", _enum_choices(kind)
    if kind is bool:
        return "checkbox", ()
    if kind is int:
        return "number", ()
    if kind is date:
        return "date", ()
    if typing.get_origin(kind) is tuple and typing.get_args(kind)[0] is str:
        return "list", ()
    return "text", ()


class _Probe:
    """Stands in for a step's command: every field read answers its own name, so `step.reads(_Probe())` says
    which body fields name a member, units or sponsors (the table is the one place that knows)."""

    def __getattr__(self, name: str) -> str:
        return name


def _picks(step: Step) -> dict[str, Pick]:
    """Which fields of the step's body are pickers, from its `Reads` and the body's types."""
    reads = step.reads(_Probe())
    found: dict[str, Pick] = {str(unit): Pick.CELL for unit in reads.units}
    if reads.cell_id:
        found[reads.cell_id] = Pick.CELL
    if reads.member_id:
        found[reads.member_id] = Pick.MEMBER
    if reads.sponsors:
        found[str(reads.sponsors)] = Pick.SPONSORS
    hints = {f.name: f.type for f in msgspec.structs.fields(step.body)}
    for name, kind in hints.items():
        base = _unwrap(kind)[0]
        if typing.get_origin(base) is tuple and typing.get_args(base)[0] is VerificationSubject:
            found[name] = Pick.SUBJECTS
    if "exempt_absent_ids" in hints:
        found["exempt_absent_ids"] = Pick.MEMBERS  # a fact of the meeting: members of the cell, ticked
    if "to_unit_id" in hints:
        found["to_unit_id"] = Pick.UNIT  # any unit the rules allow: read by no wall, chosen by name
    return {name: pick for name, pick in found.items() if name in hints}


PICK_WIDGETS: Final = {
    Pick.MEMBER: "pick",
    Pick.CELL: "pick",
    Pick.UNIT: "pick",
    Pick.MEMBERS: "checks",
    Pick.SPONSORS: "sponsors",
    Pick.SUBJECTS: "subjects",
    Pick.SUBJECT: "select",
}


def _inputs(name: str, kind: Any, required: bool, pick: Pick = Pick.NONE) -> list[FormField]:
    """One input per field; a record such as the particulars gets one input per part ("particulars.sex")."""
    label = field_label(name.rpartition(".")[2])
    if pick is Pick.SPONSORS:
        return [FormField(name, label, "sponsors", required, _enum_choices(SponsorKind), pick, (), _rows(SPONSOR_ROWS))]
    if pick is Pick.SUBJECTS:
        return [FormField(name, label, "subjects", required, _enum_choices(Relation), pick, (), _rows(SUBJECT_ROWS))]
    if pick is not Pick.NONE:
        return [FormField(name, label, PICK_WIDGETS[pick], required, (), pick)]
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        parts = []
        for part in dataclasses.fields(kind):
            inner, optional = _unwrap(hints[part.name])
            needed = required and not optional and part.default is dataclasses.MISSING
            parts += _inputs(f"{name}.{part.name}", inner, needed)
        return parts
    widget, choices = _widget(kind)
    return [FormField(name, label, widget, required, choices)]


def _rows(count: int) -> tuple[int, ...]:
    return tuple(range(count))


def _names_subject(step: Step) -> bool:
    """A verification result names its subject by relation and name: one choice among the file's subjects."""
    names = step.body.__struct_fields__
    return "relation" in names and "full_name" in names


_FIELDS: dict[str, tuple[FormField, ...]] = {}


def form_fields(step: Step) -> list[FormField]:
    """The inputs of a step's form, in the body's order (the date on the paper first); made once per step (the
    body's types do not change), not for every form of every file page."""
    known = _FIELDS.get(step.operation_id)
    if known is None:
        known = _FIELDS[step.operation_id] = tuple(_form_fields(step))
    return list(known)


def _form_fields(step: Step) -> list[FormField]:
    picks = _picks(step)
    subject = _names_subject(step)
    chosen = []
    for f in msgspec.structs.fields(step.body):
        if f.name in HIDDEN_FIELDS or (subject and f.name == "full_name"):
            continue
        if subject and f.name == "relation":
            chosen.append(FormField(SUBJECT, field_label(SUBJECT), "select", True, (), Pick.SUBJECT))
            continue
        kind, optional = _unwrap(f.type)
        chosen += _inputs(f.name, kind, f.required and not optional, picks.get(f.name, Pick.NONE))
    chosen.sort(key=lambda field: field.name != "occurred_on")
    return chosen


def with_choices(fields: Iterable[FormField], choices: Choices) -> list[FormField]:
    """The fields with their pickers' options (a subject choice lists its options as a select's choices), and
    the finder and hint of the pickers that may name more than they list."""
    bound = []
    for f in fields:
        options = choices.of(f.pick)
        if f.pick is Pick.SUBJECT:
            bound.append(dataclasses.replace(f, choices=tuple((o.value, o.label) for o in options)))
            continue
        find = choices.finders.get(f.pick)
        if options or find:
            f = dataclasses.replace(f, options=options, find=find, note=choices.hints.get(f.pick, "") if find else "")
        bound.append(f)
    return bound


def on_fields(errors: dict[str, str], fields: Iterable[FormField]) -> dict[str, str]:
    """Each refused field's message on the input that shows it: the domain names "full_name", the form
    "particulars.full_name"; a part of a row ("sponsors.0.kind") is shown on its rows."""
    names = [f.name for f in fields]
    placed: dict[str, str] = {}
    for name, message in errors.items():
        found = name if name in names else next((n for n in names if n.endswith("." + name)), None)
        found = found or next((n for n in names if name.startswith(n + ".")), None)
        placed[found or name] = message
    return placed


def current_values(fields: Iterable[FormField], record: Any, prefix: str) -> dict[str, str]:
    """A form refilled with what the file holds (the particulars to correct), as the inputs write it."""
    values = {}
    for field in fields:
        if not field.name.startswith(prefix + "."):
            continue
        value = getattr(record, field.name.removeprefix(prefix + "."), None)
        if isinstance(value, date):
            values[field.name] = value.strftime("%d/%m/%Y")
        elif isinstance(value, Enum):
            values[field.name] = str(value.value)
        elif value is not None:
            values[field.name] = str(value)
    return values


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    """A dotted input name lands in its record: "particulars.sex" → data["particulars"]["sex"]."""
    *records, last = name.split(".")
    for record in records:
        data = data.setdefault(record, {})
    data[last] = value


class FormProblem(ValueError):
    """The form does not make a body the endpoint would accept: a Vietnamese message per field."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {message}" for name, message in fields.items()))
        self.fields = fields

    @property
    def message_vi(self) -> str:
        return "Biểu mẫu chưa đúng; xem lời nhắn bên cạnh từng ô được đánh dấu."


class _Refused(ValueError):
    """One field's value, refused (collected into a `FormProblem`)."""


def _day(raw: str) -> str:
    """dd/mm/yyyy as officers write it (an ISO date is taken too); the body wants ISO."""
    try:
        day = parse_day(raw)
    except ValueError as exc:
        raise _Refused("phải là ngày dạng dd/mm/yyyy, ví dụ 15/12/2021") from exc
    return day.isoformat() if day else ""


def _number(raw: str) -> int:
    try:
        return int(raw.strip())
    except ValueError as exc:
        raise _Refused("phải là một số nguyên") from exc


def resolve(pick: Pick, raw: str, options: tuple[Option, ...], find: Finder | None = None) -> str:
    """The id an officer chose by name: the option itself, the one name that matches with or without
    diacritics, or a member's id as the API takes it (the domain judges it). Anything else is refused.
    `find` adds what the text may mean beyond the listed options (a cell of another commune)."""
    text = raw.strip()
    if find is not None and text:
        offered = {o.value for o in options}
        options = options + tuple(o for o in find(text) if o.value not in offered)
    for option in options:
        if text in (option.value, option.label):
            return option.value
    wanted = search_key(text)
    exact = [o for o in options if o.name and search_key(o.name) == wanted]
    found = exact or [o for o in options if wanted and wanted in o.key]
    if len(found) == 1:
        return found[0].value
    if found:
        listed = "; ".join(o.label for o in found[:4])
        raise _Refused(f"có {len(found)} lựa chọn khớp với “{text}” ({listed}); hãy chọn một trong danh sách")
    if pick in (Pick.MEMBER, Pick.MEMBERS, Pick.SPONSORS) and PERSON_ID.fullmatch(text):
        return text
    raise _Refused(f"không có “{text}” trong danh sách; hãy gõ vài chữ của tên rồi chọn trong danh sách")


def resolve_or_none(pick: Pick, raw: str, options: tuple[Option, ...], find: Finder | None = None) -> str | None:
    """The one id the text names, as `resolve` reads it, or None (nothing, or more than one)."""
    try:
        return resolve(pick, raw, options, find) if raw.strip() else None
    except _Refused:
        return None


def _sponsors(field: FormField, form: dict[str, str]) -> list[dict[str, str]]:
    letters = []
    for row in field.rows:
        prefix = f"{field.name}.{row}."
        sponsor, ref = form.get(prefix + "sponsor_id", "").strip(), form.get(prefix + "document_ref", "").strip()
        if not sponsor and not ref:
            continue
        if not sponsor or not ref:
            raise _Refused(f"dòng {row + 1}: cần cả người giới thiệu và số thư / nghị quyết")
        kind = form.get(prefix + "kind") or SponsorKind.MEMBER.value
        chosen = resolve(field.pick, sponsor, field.options) if kind == SponsorKind.MEMBER.value else sponsor
        letters.append({"sponsor_id": chosen, "kind": kind, "document_ref": ref})
    return letters


def _birth_year(raw: str, row: int) -> int | None:
    """A row's year of birth as four digits, or none; its range is the domain's to judge (the paper's year)."""
    text = raw.strip()
    if not text:
        return None
    if not re.fullmatch(r"[0-9]{4}", text):
        raise _Refused(f"dòng {row + 1}: năm sinh phải là bốn chữ số, ví dụ 1965")
    return int(text)


def _subjects(field: FormField, form: dict[str, str]) -> list[dict[str, Any]]:
    subjects = []
    for row in field.rows:
        prefix = f"{field.name}.{row}."
        name = form.get(prefix + "full_name", "").strip()
        if not name:
            continue
        exempt = form.get(prefix + "exempt_reason", "").strip() or None
        relation = form.get(prefix + "relation") or Relation.SELF.value
        year = _birth_year(form.get(prefix + "birth_year", ""), row)
        subjects.append({"relation": relation, "full_name": name, "birth_year": year, "exempt_reason": exempt})
    return subjects


def _checked(field: FormField, form: dict[str, str]) -> list[str]:
    """Ticked boxes (`name.<id>`), or a comma list posted as the API would take it."""
    ticked = [key.partition(".")[2] for key, value in form.items() if key.startswith(field.name + ".") and value]
    listed = [part.strip() for part in form.get(field.name, "").split(",") if part.strip()]
    return [resolve(field.pick, value, field.options) for value in [*ticked, *listed]]


def _value(field: FormField, raw: str) -> Any:
    if field.widget == "date":
        return _day(raw)
    if field.widget == "number":
        return _number(raw)
    if field.widget == "list":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if field.widget == "pick":
        return resolve(field.pick, raw, field.options, field.find)
    return raw.strip()


def _read(field: FormField, form: dict[str, str], data: dict[str, Any]) -> None:
    """One field of the posted form into the body's data; a value the body cannot take is `_Refused`."""
    if field.widget == "checkbox":
        _put(data, field.name, form.get(field.name, "") in {"on", "true", "1"})
        return
    if field.widget in ("sponsors", "subjects", "checks"):
        read = {"sponsors": _sponsors, "subjects": _subjects, "checks": _checked}[field.widget]
        values = read(field, form)
        if values or field.required:
            _put(data, field.name, values)
        if not values and field.required:
            raise _Refused("cần ít nhất một dòng")
        return
    if field.pick is Pick.SUBJECT:
        relation, _, name = form.get(SUBJECT, "").partition(":")
        if not name:
            raise _Refused("hãy chọn người được thẩm tra")
        data["relation"], data["full_name"] = relation, name
        return
    raw = form.get(field.name, "")
    if raw.strip():
        _put(data, field.name, _value(field, raw))
    elif field.required:
        raise _Refused("chưa nhập")


MSGSPEC_PATH: Final = re.compile(r"at `\$\.([\w.\[\]]+)`")


def _field_of(error: str, fields: list[FormField]) -> str:
    """The form field a body error points at (`$.particulars.full_name`, `$.sponsors[0]` → its input)."""
    found = MSGSPEC_PATH.search(error)
    if found is None:
        return ""
    path = re.sub(r"\[\d+\].*", "", found.group(1))
    names = {f.name for f in fields}
    return path if path in names else next((n for n in names if path.startswith(n + ".")), path)


def body_from_form(step: Step, form: dict[str, str], expected_version: int, choices: Choices = NO_CHOICES) -> Any:
    """The step's body from a posted form; empty optional fields keep their defaults. Every value the form
    cannot use is reported on its field, all at once (`FormProblem.fields`)."""
    fields = with_choices(form_fields(step), choices)
    data: dict[str, Any] = {"expected_version": expected_version}
    problems: dict[str, str] = {}
    for field in fields:
        try:
            _read(field, form, data)
        except _Refused as refused:
            problems[field.name] = str(refused)
    if problems:
        raise FormProblem(problems)
    try:
        return msgspec.convert(data, step.body, strict=False)
    except msgspec.ValidationError as exc:
        raise FormProblem({_field_of(str(exc), fields): "giá trị không hợp lệ"}) from exc
