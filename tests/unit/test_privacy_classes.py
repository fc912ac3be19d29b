"""I13: every field of every event and every read-model row carries its class under the personal-data law
(domain/privacy.py), and a field without one fails here naming the field and how to classify it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, TypedDict

import pytest

import domain.accounts.events  # noqa: F401  (registers the accounts' events, which no person module imports)
from domain.codec import EVENTS, EventCodec
from domain.person.events import PersonEvent
from domain.privacy import Kind, Level, NotPersonal, Personal, Subject, classify, missing_classes
from domain.units.events import TargetMetric, TermTargetSet, YearlyPlanSet
from eventstore import RecordedEvent
from projections import unit_plans
from projections.base import Applied
from projections.registry import PROJECTIONS
from projections.row_kinds import RowKind, kind_of, missing_row_classes, row_kinds
from projections.rows import Row, UnitRows
from tests.unit.projections.people import RECORDED_AT
from tests.unit.projections.test_rebuild_is_identical import busy_school


def test_every_field_of_every_event_the_log_can_hold_has_a_class() -> None:
    events = EVENTS.registered()

    assert events
    assert missing_classes(events.values()) == []


def test_every_read_model_declares_its_rows_and_every_column_has_a_class() -> None:
    assert missing_row_classes(PROJECTIONS) == []


@dataclass(frozen=True, kw_only=True)
class ExampleStepTaken(PersonEvent):
    """An event added without thinking of privacy: `witness_name` has no class."""

    event_type: ClassVar[str] = "ExampleStepTaken"
    decision_ref: Annotated[str, Personal.PAPER]
    witness_name: str


class ExampleRow(TypedDict):
    stream_id: Annotated[str, Personal.PERSON_ID]
    religion: str


class ExampleProjection:
    name = "example"
    version = 1
    event_types: frozenset[str] | None = None
    ROWS: tuple[RowKind, ...] = (RowKind("x:<stream id>", ExampleRow, Personal.PERSON_ID),)

    def apply(self, rows: UnitRows, applied: Applied) -> None: ...


class UndeclaredProjection(ExampleProjection):
    name = "undeclared"
    ROWS = ()


def test_an_event_field_without_a_class_fails_naming_the_field_and_how_to_classify_it() -> None:
    codec = EventCodec()
    codec.register(ExampleStepTaken)

    messages = missing_classes(codec.registered().values())

    assert len(messages) == 1
    assert messages[0].startswith("ExampleStepTaken.witness_name has no privacy class")
    assert "tests/unit/test_privacy_classes.py" in messages[0]
    assert "`witness_name: Annotated[str, CLASS]`" in messages[0]
    assert "Personal.PERSON_ID/NAME/CITIZEN_ID" in messages[0] and "Sensitive.ETHNICITY/RELIGION" in messages[0]
    assert "Subject.RELATIVE" in messages[0]


def test_a_row_column_without_a_class_or_a_model_without_rows_fails() -> None:
    messages = missing_row_classes([ExampleProjection(), UndeclaredProjection()])

    assert len(messages) == 2
    assert messages[0].startswith("example[x:<stream id>].religion has no privacy class (ExampleRow.religion)")
    assert messages[1].startswith("read model undeclared declares no ROWS")


def rows_of_every_model() -> dict[str, list[tuple[str, Row]]]:
    """The rows each read model stores for a busy school over two years, and for a unit's plans."""
    ledger = busy_school()
    stored: dict[str, list[tuple[str, Row]]] = {}
    for projection in PROJECTIONS:
        built = ledger.build(projection)
        stored[projection.name] = [item for unit in built.values() for item in unit.items()]
    plans = UnitRows()
    for event in (
        TermTargetSet("cb-a", "2020-2025", TargetMetric.ADMISSIONS, 5, "Nghị quyết Đại hội"),
        YearlyPlanSet("cb-a", 2021, TargetMetric.ADMISSIONS, 1),
    ):
        unit_plans.apply(plans, Applied(_envelope(event), event))
    stored[unit_plans.name] = list(plans.items())
    return stored


def _envelope(event: Any) -> RecordedEvent:
    name, version, data = EVENTS.encode(event)
    return RecordedEvent(
        position=1,
        stream_id="unit-cb-a",
        stream_version=1,
        unit_id="cb-a",
        event_type=name,
        schema_version=version,
        data=data,
        metadata={},
        occurred_on=date(2021, 1, 5),
        recorded_at=RECORDED_AT,
        prev_hash=b"",
        hash=b"",
    )


def test_every_row_a_read_model_stores_is_of_a_declared_kind_with_only_declared_columns() -> None:
    stored = rows_of_every_model()

    assert all(stored.values()), [name for name, rows in stored.items() if not rows]
    for projection in PROJECTIONS:
        for key, row in stored[projection.name]:
            kind = kind_of(projection, key)
            assert kind is not None, f"{projection.name} stores {key!r}, which no RowKind in its ROWS matches"
            declared = {f.path.split(".", 1)[1] for f in kind.fields(projection.name)}
            undeclared = _columns(row, "", declared) if isinstance(kind.shape, type) else []
            assert undeclared == [], f"{projection.name}[{kind.key}] stores undeclared columns {undeclared}"


def _columns(value: Row, prefix: str, declared: set[str]) -> list[str]:
    """The stored leaves (dotted) that no declared path covers; a declared leaf covers what is under it."""
    missing: list[str] = []
    for name, inner in value.items():
        path = f"{prefix}{name}"
        if path in declared:
            continue
        items = inner if isinstance(inner, list) else [] if inner is None else [inner]
        if all(isinstance(i, dict) for i in items) and any(d.startswith(path + ".") for d in declared):
            for item in items:
                missing += _columns(item, path + ".", declared)
        else:
            missing.append(path)
    return missing


def test_the_classes_the_law_names_are_where_the_law_puts_them() -> None:
    """DOMAIN.md §4b: ethnicity and religion sensitive; name, birth date, citizen ID personal; relatives and
    sponsors are data subjects of their own."""
    nominated = {f.path: f.privacy for f in classify(EVENTS.event_class("CandidateNominated"))}
    verification = {f.path: f.privacy for f in classify(EVENTS.event_class("VerificationOpened"))}
    sponsors = {f.path: f.privacy for f in classify(EVENTS.event_class("SponsorsRecorded"))}

    def level(privacy: Any) -> Level:
        return privacy.level  # type: ignore[no-any-return]

    assert level(nominated["CandidateNominated.particulars.ethnicity"]) is Level.SENSITIVE
    assert level(nominated["CandidateNominated.particulars.religion"]) is Level.SENSITIVE
    assert nominated["CandidateNominated.citizen_id"] == Personal.CITIZEN_ID
    assert nominated["CandidateNominated.particulars.date_of_birth"] == Personal.BIRTH_DATE
    assert nominated["CandidateNominated.cell_id"] == NotPersonal.UNIT
    assert verification["VerificationOpened.subjects.full_name"] == Personal.NAME.of(Subject.RELATIVE)
    assert verification["VerificationOpened.subjects.birth_year"] == Personal.BIRTH_DATE.of(Subject.RELATIVE)
    assert sponsors["SponsorsRecorded.sponsors.sponsor_id"] == Personal.PERSON_ID.of(Subject.SPONSOR)
    for projection in PROJECTIONS:
        for kind in row_kinds(projection):
            for field in kind.fields(projection.name):
                if field.path.endswith((".full_name", ".ethnicity")):
                    assert field.privacy is not None
                    assert field.privacy.kind in (Kind.NAME, Kind.ETHNICITY)


def test_a_not_personal_class_has_no_data_subject() -> None:
    with pytest.raises(ValueError, match="no data subject"):
        NotPersonal.UNIT.of(Subject.RELATIVE)
