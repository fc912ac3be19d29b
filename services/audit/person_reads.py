"""The record of reads of named people's personal data (I13: "every read of a named person's personal data is
recorded"; DOMAIN §4b: the processing record the law asks of a party body), and who may list it.

One use case for every entry point: the API's routes and the dashboard's pages read a person through
`read_person` / `read_person_records`, and every read-model answer is recorded by `record_list_read` (called
once per answer by the read path both share, `freshness.answer`). No route writes the record itself.

What a row holds — ids, never the data read: who (user, role, acting unit), when (the database's clock, as
the log's `recorded_at`, I14), what (`ReadKind`), and either the person whose file was read or, for a list,
the unit it is about, how many people it named and the log position it reflected.

**A list is one row, not one row per person named.** A page of a unit's members names up to 500 people; the
record of processing needs to say who processed which data subjects' data and when, and a list answer is a
pure function of the log up to the position it reflects (I6: rebuild equals live), so (unit, kind, position)
says exactly whom it named when a data subject asks — without 500 inserts on every page an officer opens, which
would make the busiest pages the slowest and the record the largest table of the database. The person page's
"who read this file" therefore lists reads of the file itself (the file page, the person's summary, history and
as-of replays); list reads are counted in the privacy report and answered from the log on request.

**Fail closed**: the row is written before the answer leaves, in its own transaction; a record that cannot be
written raises `ReadNotRecorded`, and the answer is not given (503, as for a database that is down).

Append-only like the log: the table refuses UPDATE, DELETE and TRUNCATE (`services/record_tables.py`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

import msgspec
import sqlalchemy as sa

from domain.person.records import PersonState
from eventstore import RecordedEvent
from services.commands.actors import Actor, Role
from services.commands.context import CommandContext
from services.commands.people import visible_person, visible_records
from services.commands.person_ids import PERSON_ID
from services.commands.walls import require_role

metadata = sa.MetaData()

person_reads = sa.Table(
    "person_reads",
    metadata,
    sa.Column("read_id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
    sa.Column("user_id", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("acting_unit", sa.Text, nullable=False),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("person_id", sa.Text, nullable=True),
    sa.Column("unit_id", sa.Text, nullable=True),
    sa.Column("people", sa.Integer, nullable=False),
    sa.Column("position", sa.BigInteger, nullable=True),
    sa.Index("person_reads_by_person", "person_id", "read_id"),
)


class ReadKind(StrEnum):
    """What was read. A search by citizen ID and an export are recorded under their own kind when they get
    an HTTP route (today they are CLI-only: `partyledger export` is the owner's, outside the app role)."""

    PERSON = "person"
    """The API's summary of a person (`getPerson`) and the steps open to them (`listNextSteps`): the stage."""
    FILE = "file"
    """The dashboard's page of a person's file: particulars, timeline, papers, deadlines."""
    HISTORY = "history"
    """An auditor's read of every event of the file with its hash."""
    AS_OF = "as_of"
    """An auditor's replay of the file as of a date on either clock (I9)."""
    LIST = "list"
    """A read-model answer naming people (files, members, deadlines, transfers, a picker of members)."""

    @property
    def label_vi(self) -> str:
        return _KIND_LABELS_VI[self]


_KIND_LABELS_VI: Final = {
    ReadKind.PERSON: "Tra cứu hồ sơ qua API",
    ReadKind.FILE: "Xem hồ sơ",
    ReadKind.HISTORY: "Xem lịch sử hồ sơ (kiểm tra)",
    ReadKind.AS_OF: "Xem hồ sơ tại một ngày (kiểm tra)",
    ReadKind.LIST: "Xem danh sách",
}

RECORD_READERS: Final = frozenset(
    {Role.CELL_SECRETARY, Role.GRASSROOTS_OFFICER, Role.UPPER_OFFICER, Role.PROVINCIAL_ADMIN, Role.AUDITOR}
)
"""Who may list who read a person's file: the officers and auditors whose subtree holds the person (a viewer
reads lists, not the record of who read them)."""


class ReadNotRecorded(Exception):
    """The record could not be written, so the read is refused (fail closed): the API answers 503, as for a
    database that is down. The message names no person."""


@dataclass(frozen=True)
class PersonRead:
    """One recorded read of a person's file, as its listing answers it (ids: the adapters name them)."""

    read_id: int
    read_at: datetime
    user_id: str
    role: str
    acting_unit: str
    kind: str


def record_person_read(engine: sa.Engine, reader: Actor, kind: ReadKind, person_id: str) -> None:
    """One read of one person's file; raises if it cannot be written (the read then fails closed)."""
    _insert(engine, reader, kind, person_id=person_id, unit_id=None, people=1, position=None)


def record_list_read(engine: sa.Engine, reader: Actor, units: Sequence[str], answer: object) -> None:
    """One read-model answer: recorded when it names at least one person (an aggregate names nobody and is not
    a read of anyone's personal data); `units[0]` is the unit the answer is about (`units_in_view`)."""
    named = people_named(answer)
    if not named:
        return
    position = getattr(answer, "position", None)
    unit_id = units[0] if units else None
    _insert(engine, reader, ReadKind.LIST, person_id=None, unit_id=unit_id, people=len(named), position=position)


def read_person(ctx: CommandContext, engine: sa.Engine, reader: Actor, person_id: str, kind: ReadKind) -> PersonState:
    """The person, if within the caller's walls (I8), with the read recorded before it is returned."""
    state = visible_person(ctx, reader, person_id)
    record_person_read(engine, reader, kind, person_id)
    return state


def read_person_records(
    ctx: CommandContext, engine: sa.Engine, reader: Actor, person_id: str, kind: ReadKind
) -> tuple[PersonState, list[RecordedEvent]]:
    """The person and their stream, if within the caller's walls, with the read recorded before they return."""
    state, records = visible_records(ctx, reader, person_id)
    record_person_read(engine, reader, kind, person_id)
    return state, records


def reads_of_person(
    ctx: CommandContext, engine: sa.Engine, reader: Actor, person_id: str, *, before: int | None, limit: int
) -> list[PersonRead]:
    """Who read the person's file, newest first, `limit` at a time below the read id `before`.

    Walls (I8): an officer or auditor whose subtree holds the person's cell today; any other caller, and a person
    outside the walls, is answered like a person who does not exist."""
    require_role(reader, *RECORD_READERS)
    visible_person(ctx, reader, person_id)
    r = person_reads.c
    query = sa.select(r.read_id, r.read_at, r.user_id, r.role, r.acting_unit, r.kind).where(r.person_id == person_id)
    if before is not None:
        query = query.where(r.read_id < before)
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(r.read_id.desc()).limit(limit)).all()
    return [
        PersonRead(row.read_id, _utc(row.read_at), row.user_id, row.role, row.acting_unit, row.kind) for row in rows
    ]


def people_named(answer: object) -> set[str]:
    """The person ids an answer names: every `stream_id` that is a person's (not the unit tree's or the
    accounts') in its dataclasses, structs, tuples, lists and dicts."""
    found: set[str] = set()
    _collect(answer, found)
    return found


def _collect(value: Any, found: set[str]) -> None:
    if isinstance(value, tuple | list | dict):
        for item in value.values() if isinstance(value, dict) else value:
            _collect(item, found)
    elif isinstance(value, msgspec.Struct) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        names = (
            value.__struct_fields__
            if isinstance(value, msgspec.Struct)
            else [f.name for f in dataclasses.fields(value)]
        )
        for name in names:
            inner = getattr(value, name)
            if name == "stream_id" and isinstance(inner, str):
                if PERSON_ID.fullmatch(inner):
                    found.add(inner)
            else:
                _collect(inner, found)


def _utc(at: datetime) -> datetime:
    """SQLite's CURRENT_TIMESTAMP reads back without a zone: it is UTC."""
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _insert(
    engine: sa.Engine,
    reader: Actor,
    kind: ReadKind,
    *,
    person_id: str | None,
    unit_id: str | None,
    people: int,
    position: int | None,
) -> None:
    """`read_at` is the database's own clock (its column default), never the application's."""
    values = {
        "user_id": reader.user_id,
        "role": str(reader.role),
        "acting_unit": reader.unit_id,
        "kind": str(kind),
        "person_id": person_id,
        "unit_id": unit_id,
        "people": people,
        "position": position,
    }
    try:
        with engine.begin() as connection:
            connection.execute(sa.insert(person_reads).values(**values))
    except sa.exc.SQLAlchemyError as exc:
        raise ReadNotRecorded(f"a {kind} read could not be recorded: {type(exc).__name__}") from exc
