"""The record of reads of named people (I13): one use case for the API and the pages, ids only, the database's
clock, append-only, fail closed; who may list who read a file (the walls of I8)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from projections.queries.files import FileEntry, FilesPage
from projections.queries.statistics import Statistics
from services.audit.person_reads import (
    RECORD_READERS,
    ReadKind,
    ReadNotRecorded,
    people_named,
    person_reads,
    read_person,
    read_person_records,
    reads_of_person,
    record_list_read,
)
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.walls import NotFound
from services.record_tables import create_record_tables
from tests.unit.services.officers import ADMIN, CELL, NEIGHBOUR, SECRETARY, enrol, person

AUDITOR = Actor("kiemtra.tinhuy", Role.AUDITOR, "unit-province")
VIEWER = Actor("xem.truong", Role.VIEWER, "unit-school")


@pytest.fixture
def engine() -> Iterator[sa.Engine]:
    engine = sa.create_engine("sqlite://")
    create_record_tables(engine)
    yield engine
    engine.dispose()


def _rows(engine: sa.Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.select(person_reads).order_by("read_id")).mappings()]


def _entry(stream_id: str) -> FileEntry:
    values = {f.name: None for f in fields(FileEntry)}
    return FileEntry(**values | {"unit_id": CELL, "stream_id": stream_id, "full_name": "Nguyễn Văn An"})  # type: ignore[arg-type]


def test_a_file_read_is_recorded_with_who_when_and_whose_ids_only(ctx: CommandContext, engine: sa.Engine) -> None:
    enrol(ctx, 1)
    before = datetime.now(UTC) - timedelta(seconds=2)
    state = read_person(ctx, engine, SECRETARY, person(1), ReadKind.PERSON)
    assert state.particulars is not None
    (row,) = _rows(engine)
    assert {k: row[k] for k in ("user_id", "role", "acting_unit", "kind", "person_id", "people")} == {
        "user_id": "bithu.chibo1", "role": "cell_secretary", "acting_unit": CELL, "kind": "person",
        "person_id": person(1), "people": 1,
    }  # fmt: skip
    assert state.particulars.full_name not in repr(row)  # ids, never the data read
    at = row["read_at"]
    assert isinstance(at, datetime) and at.replace(tzinfo=UTC) >= before.replace(microsecond=0)


def test_a_person_behind_the_wall_is_not_read_and_not_recorded(ctx: CommandContext, engine: sa.Engine) -> None:
    enrol(ctx, 1)
    with pytest.raises(NotFound):
        read_person_records(ctx, engine, NEIGHBOUR, person(1), ReadKind.FILE)
    with pytest.raises(NotFound):
        read_person(ctx, engine, SECRETARY, person(9), ReadKind.PERSON)  # nobody
    assert _rows(engine) == []


def test_a_read_that_cannot_be_recorded_fails_closed(ctx: CommandContext) -> None:
    enrol(ctx, 1)
    unrecorded = sa.create_engine("sqlite://")  # no record table: the insert fails
    with pytest.raises(ReadNotRecorded):
        read_person_records(ctx, unrecorded, SECRETARY, person(1), ReadKind.FILE)
    unrecorded.dispose()


def test_the_record_refuses_changes_and_removals(ctx: CommandContext, engine: sa.Engine) -> None:
    enrol(ctx, 1)
    read_person(ctx, engine, SECRETARY, person(1), ReadKind.PERSON)
    for statement in (sa.update(person_reads).values(user_id="x"), sa.delete(person_reads)):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(statement)
    assert len(_rows(engine)) == 1


def test_a_list_is_one_row_with_its_unit_the_people_it_names_and_its_position(engine: sa.Engine) -> None:
    page = FilesPage(42, (_entry(person(1)), _entry(person(2)), _entry(person(1))), None)
    record_list_read(engine, SECRETARY, [CELL, "unit-other"], page)
    (row,) = _rows(engine)
    assert (row["kind"], row["person_id"], row["unit_id"], row["people"], row["position"]) == (
        "list", None, CELL, 2, 42,
    )  # fmt: skip


def test_an_answer_naming_nobody_is_not_a_read_of_personal_data(engine: sa.Engine) -> None:
    record_list_read(engine, SECRETARY, [CELL], FilesPage(3, (), None))
    record_list_read(engine, SECRETARY, [CELL], Statistics(7, 2024, {"admissions": {"ethnicity": {"tay": 2}}}))
    assert _rows(engine) == []
    assert people_named({"a": [("unit-tree", _entry("accounts"))]}) == set()  # streams of no person


def test_the_file_lists_who_read_it_newest_first_a_page_at_a_time(ctx: CommandContext, engine: sa.Engine) -> None:
    enrol(ctx, 1)
    enrol(ctx, 2)
    read_person(ctx, engine, SECRETARY, person(1), ReadKind.PERSON)
    read_person_records(ctx, engine, ADMIN, person(1), ReadKind.FILE)
    read_person(ctx, engine, SECRETARY, person(2), ReadKind.PERSON)  # another file
    read_person(ctx, engine, AUDITOR, person(1), ReadKind.HISTORY)
    first = reads_of_person(ctx, engine, SECRETARY, person(1), before=None, limit=2)
    assert [(r.user_id, r.kind) for r in first] == [("kiemtra.tinhuy", "history"), ("admin.tinhuy", "file")]
    rest = reads_of_person(ctx, engine, AUDITOR, person(1), before=first[-1].read_id, limit=2)
    assert [(r.user_id, r.kind) for r in rest] == [("bithu.chibo1", "person")]
    assert all(r.read_at.tzinfo is not None for r in first + rest)
    assert all(r.read_at.date() >= date(2026, 1, 1) for r in first)


def test_only_officers_and_auditors_within_the_walls_list_the_reads(ctx: CommandContext, engine: sa.Engine) -> None:
    enrol(ctx, 1)
    assert Role.VIEWER not in RECORD_READERS and len(RECORD_READERS) == len(Role) - 1
    for outsider in (NEIGHBOUR, VIEWER):
        with pytest.raises(NotFound) as refused:
            reads_of_person(ctx, engine, outsider, person(1), before=None, limit=10)
        with pytest.raises(NotFound) as missing:
            reads_of_person(ctx, engine, SECRETARY, person(9), before=None, limit=10)
        assert str(refused.value) == str(missing.value)  # the same words as a person who does not exist
