"""Every stored field's class under the personal-data law (Law 91/2025/QH15, Decree 356/2025/NĐ-CP; I13).

The class is declared once, beside the field, as `typing.Annotated` metadata, on event dataclasses and on
read-model row `TypedDict`s alike:

    full_name: Annotated[str, Personal.NAME]
    ethnicity: Annotated[Ethnicity, Sensitive.ETHNICITY]
    helper_id: Annotated[str, Personal.PERSON_ID.of(Subject.HELPER)]
    cell_id: Annotated[str, NotPersonal.UNIT]

msgspec and mypy ignore the metadata, so the codec, the stored bytes and the chain hash do not change; the
encoder (which fields to encrypt, with whose key), the read models (what to blank on erasure), exports and
`partyledger privacy report` read it through `classify`.

How to choose (DOMAIN.md §4b). A person's stream as a whole is sensitive — that someone has a file at all is a
step towards party membership, a political view — so the class of a field says what its *value* adds:
- `NotPersonal`: with the subject's identifying fields erased it identifies no one and says nothing beyond the
  step the event's type already says: units, dates of steps, vote counts, deadlines, rule sets, counts. It
  stays readable after an erasure, which keeps the aggregates (HD 11 counts) right.
- `Personal`: identifies or describes the person (name, citizen ID, date of birth, sex, hometown, education,
  occupation, family relations, ids naming a person, references of papers about them, free-text notes).
- `Sensitive`: the special categories: ethnic origin, religion, and political views beyond the bare step —
  party standing (stage, status, ratings, penalties, grounds and reasons of rejection, discipline and exit,
  a past exit shown by readmission).
`Subject` says whose data a field is when it is not the file's own person (a relative, a sponsor, a helper):
each is a data subject with rights of their own, and will have a key of their own.

A field whose type is a dataclass or a `TypedDict` (or a tuple, list or optional of one) needs no class:
its own fields carry theirs. `classify` lists every leaf and the leaves that have none.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Union, get_args, get_origin

ERASED_TEXT: Final = "đã xóa dữ liệu cá nhân"
"""What a reader sees where an erased data subject's text was (R-PRIVACY-ERASE; I13)."""


class Level(StrEnum):
    """The law's two kinds of personal data, and what is none."""

    NOT_PERSONAL = "not_personal"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"

    @property
    def label_vi(self) -> str:
        return _LEVEL_LABELS_VI[self]


_LEVEL_LABELS_VI: Final = {
    Level.NOT_PERSONAL: "Không phải dữ liệu cá nhân",
    Level.PERSONAL: "Dữ liệu cá nhân cơ bản",
    Level.SENSITIVE: "Dữ liệu cá nhân nhạy cảm",
}


class Subject(StrEnum):
    """Whose data a field is: the file's person unless the field names someone else."""

    PERSON = "person"
    RELATIVE = "relative"
    SPONSOR = "sponsor"
    HELPER = "helper"
    OFFICER = "officer"

    @property
    def label_vi(self) -> str:
        return _SUBJECT_LABELS_VI[self]


_SUBJECT_LABELS_VI: Final = {
    Subject.PERSON: "Người có hồ sơ (quần chúng ưu tú, đảng viên)",
    Subject.RELATIVE: "Người thân được thẩm tra lý lịch",
    Subject.SPONSOR: "Người giới thiệu",
    Subject.HELPER: "Đảng viên giúp đỡ",
    Subject.OFFICER: "Cán bộ sử dụng hệ thống (người ghi sổ, người đọc)",
}


class Kind(StrEnum):
    """What a field holds; the kind fixes the level, so a declaration cannot contradict itself."""

    UNIT = "unit"
    PROCEDURE = "procedure"
    AGGREGATE = "aggregate"
    PERSON_ID = "person_id"
    NAME = "name"
    CITIZEN_ID = "citizen_id"
    BIRTH_DATE = "birth_date"
    SEX = "sex"
    HOMETOWN = "hometown"
    EDUCATION = "education"
    OCCUPATION = "occupation"
    FAMILY_RELATION = "family_relation"
    CONTACT = "contact"
    PAPER = "paper"
    NOTE = "note"
    ETHNICITY = "ethnicity"
    RELIGION = "religion"
    PARTY_STANDING = "party_standing"

    @property
    def level(self) -> Level:
        return _KINDS[self][0]

    @property
    def label_vi(self) -> str:
        return _KINDS[self][1]


_KINDS: Final[dict[Kind, tuple[Level, str]]] = {
    Kind.UNIT: (Level.NOT_PERSONAL, "Tổ chức đảng (mã, tên, cấp)"),
    Kind.PROCEDURE: (Level.NOT_PERSONAL, "Thủ tục: ngày của bước, thời hạn, số phiếu, bộ quy định áp dụng"),
    Kind.AGGREGATE: (Level.NOT_PERSONAL, "Số liệu tổng hợp không định danh"),
    Kind.PERSON_ID: (Level.PERSONAL, "Mã hồ sơ, mã người trong sổ"),
    Kind.NAME: (Level.PERSONAL, "Họ và tên"),
    Kind.CITIZEN_ID: (Level.PERSONAL, "Số định danh cá nhân (căn cước công dân)"),
    Kind.BIRTH_DATE: (Level.PERSONAL, "Ngày, tháng, năm sinh"),
    Kind.SEX: (Level.PERSONAL, "Giới tính"),
    Kind.HOMETOWN: (Level.PERSONAL, "Quê quán"),
    Kind.EDUCATION: (Level.PERSONAL, "Trình độ học vấn"),
    Kind.OCCUPATION: (Level.PERSONAL, "Nghề nghiệp"),
    Kind.FAMILY_RELATION: (Level.PERSONAL, "Quan hệ gia đình"),
    Kind.CONTACT: (Level.PERSONAL, "Thông tin liên lạc (điện thoại, thư điện tử)"),
    Kind.PAPER: (Level.PERSONAL, "Số, ký hiệu văn bản về người đó"),
    Kind.NOTE: (Level.PERSONAL, "Lý do, ghi chú về hồ sơ (văn bản tự do)"),
    Kind.ETHNICITY: (Level.SENSITIVE, "Dân tộc (nguồn gốc dân tộc)"),
    Kind.RELIGION: (Level.SENSITIVE, "Tôn giáo"),
    Kind.PARTY_STANDING: (
        Level.SENSITIVE,
        "Quan điểm chính trị: tư cách đảng viên, các bước vào Đảng, xếp loại, kỷ luật, lý do từ chối, ra khỏi Đảng",
    ),
}


@dataclass(frozen=True, slots=True)
class Privacy:
    """A field's class: what it holds (and so its level) and whose it is (None when not personal)."""

    kind: Kind
    subject: Subject | None

    @property
    def level(self) -> Level:
        return self.kind.level

    def of(self, subject: Subject) -> Privacy:
        """The same kind of data about someone other than the file's person."""
        if self.subject is None:
            raise ValueError(f"{self.kind} is not personal data: it has no data subject")
        return Privacy(self.kind, subject)


def _personal(kind: Kind) -> Privacy:
    if kind.level is Level.NOT_PERSONAL:
        raise ValueError(f"{kind} is not personal")
    return Privacy(kind, Subject.PERSON)


class NotPersonal:
    """Identifies no one once the subject's identifying fields are erased; survives an erasure."""

    UNIT: Final = Privacy(Kind.UNIT, None)
    PROCEDURE: Final = Privacy(Kind.PROCEDURE, None)
    AGGREGATE: Final = Privacy(Kind.AGGREGATE, None)


class Personal:
    """Basic personal data (dữ liệu cá nhân cơ bản) of the file's person, or `.of(Subject.…)` someone else."""

    PERSON_ID: Final = _personal(Kind.PERSON_ID)
    NAME: Final = _personal(Kind.NAME)
    CITIZEN_ID: Final = _personal(Kind.CITIZEN_ID)
    BIRTH_DATE: Final = _personal(Kind.BIRTH_DATE)
    SEX: Final = _personal(Kind.SEX)
    HOMETOWN: Final = _personal(Kind.HOMETOWN)
    EDUCATION: Final = _personal(Kind.EDUCATION)
    OCCUPATION: Final = _personal(Kind.OCCUPATION)
    FAMILY_RELATION: Final = _personal(Kind.FAMILY_RELATION)
    CONTACT: Final = _personal(Kind.CONTACT)
    PAPER: Final = _personal(Kind.PAPER)
    NOTE: Final = _personal(Kind.NOTE)


class Sensitive:
    """Sensitive personal data (dữ liệu cá nhân nhạy cảm): reading it needs a role that may (issue 20 item 5)."""

    ETHNICITY: Final = _personal(Kind.ETHNICITY)
    RELIGION: Final = _personal(Kind.RELIGION)
    PARTY_STANDING: Final = _personal(Kind.PARTY_STANDING)


@dataclass(frozen=True, slots=True)
class FieldClass:
    """One leaf field of a stored shape: its dotted path from the shape (`CandidateNominated.particulars.
    full_name`), the Python type as written, and its class (None: undeclared, which a test refuses)."""

    path: str
    type_text: str
    privacy: Privacy | None
    owner: type
    name: str


def classify(shape: type) -> list[FieldClass]:
    """Every leaf field of a dataclass or `TypedDict`, nested shapes walked, in declaration order."""
    return list(_walk(shape, shape.__name__, ()))


def unclassified(shape: type) -> list[FieldClass]:
    return [f for f in classify(shape) if f.privacy is None]


def privacy_of(annotation: Any) -> Privacy | None:
    """The class an `Annotated[...]` carries, if any (the whole value of a mapping row alias, for one)."""
    if get_origin(annotation) is typing.Annotated:
        for extra in annotation.__metadata__:
            if isinstance(extra, Privacy):
                return extra
    return None


def _walk(shape: type, path: str, seen: tuple[type, ...]) -> Iterator[FieldClass]:
    hints = typing.get_type_hints(shape, include_extras=True)
    for name in _field_names(shape, hints):
        hint = hints[name]
        declared = privacy_of(hint)
        nested = [] if declared is not None else [s for s in _shapes_in(hint) if s not in seen]
        if nested:
            for inner in nested:
                yield from _walk(inner, f"{path}.{name}", (*seen, shape))
        else:
            yield FieldClass(f"{path}.{name}", _type_text(hint), declared, shape, name)


def _field_names(shape: type, hints: dict[str, Any]) -> list[str]:
    if dataclasses.is_dataclass(shape):
        return [f.name for f in dataclasses.fields(shape)]
    if typing.is_typeddict(shape):
        return list(hints)
    raise TypeError(f"{shape.__name__} is neither a dataclass nor a TypedDict")


def _shapes_in(hint: Any) -> list[type]:
    """The dataclasses and TypedDicts a type holds (through Optional, unions, tuples, lists, dict values)."""
    if get_origin(hint) is typing.Annotated:
        hint = get_args(hint)[0]
    if isinstance(hint, type) and (dataclasses.is_dataclass(hint) or typing.is_typeddict(hint)):
        return [hint]
    origin = get_origin(hint)
    if origin in (Union, types.UnionType, tuple, list, frozenset, set):
        return [s for arg in get_args(hint) if arg is not Ellipsis for s in _shapes_in(arg)]
    if origin is dict:
        return _shapes_in(get_args(hint)[1])
    return []


def _type_text(hint: Any) -> str:
    if get_origin(hint) is typing.Annotated:
        hint = get_args(hint)[0]
    text = getattr(hint, "__name__", None) if isinstance(hint, type) else None
    return text or str(hint).replace("typing.", "")


def _choices(namespace: type) -> str:
    names = [n for n, v in vars(namespace).items() if isinstance(v, Privacy)]
    return namespace.__name__ + "." + "/".join(names)


def how_to_classify(field: FieldClass) -> str:
    """The failure message of an undeclared field: which one, where, and the classes to choose from."""
    module = field.owner.__module__.replace(".", "/") + ".py"
    where = f"{field.owner.__name__}.{field.name}"
    named = f"{field.path} has no privacy class" + ("" if where == field.path else f" ({where})")
    return (
        f"{named}; declare it beside the field in {module}: `{field.name}: Annotated[{field.type_text}, CLASS]`, "
        f"CLASS one of {_choices(NotPersonal)} (identifies no one once the subject is erased), "
        f"{_choices(Personal)} (about a person), {_choices(Sensitive)} (special categories); add "
        "`.of(Subject.RELATIVE)` / SPONSOR / HELPER when it is about someone other than the file's person "
        "(domain/privacy.py says which applies)"
    )


def missing_classes(shapes: Iterable[type]) -> list[str]:
    """One message per undeclared leaf of these shapes (an empty list when all are classed)."""
    return [how_to_classify(f) for shape in shapes for f in unclassified(shape)]
