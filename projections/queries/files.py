"""The files list of a unit or subtree, optionally one stage, a page at a time in a stable order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from domain.person.stages import Stage

from ..files import FileRow
from .reading import day, distinct_units, json_text, page_of_rows


@dataclass(frozen=True)
class FileEntry:
    """A file in the list; `ethnicity` is null when not recorded, or withheld from a role that may not read a
    named person's sensitive data (issue 20 item 5: only the roles that record particulars read it)."""

    unit_id: str
    stream_id: str
    full_name: str | None
    sex: str | None
    date_of_birth: date | None
    ethnicity: str | None
    stage: str
    stage_label_vi: str
    stage_since: date | None
    cell_id: str | None
    helper_id: str | None
    opened_on: date | None
    last_step_on: date | None
    position: int
    open: bool
    readmission: bool
    pending_rule_id: str | None
    pending_due_on: date | None


@dataclass(frozen=True)
class FilesPage:
    """`next_cursor` continues the same order (unit, then file); None on the last page."""

    position: int
    files: tuple[FileEntry, ...]
    next_cursor: str | None


def files(
    connection: sa.Connection,
    units: list[str],
    stage: Stage | str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> FilesPage:
    where = [] if stage is None else [json_text("stage") == Stage(stage).value]
    page, following, position = page_of_rows(
        connection, "files", distinct_units(units), "f:", FileRow, where, cursor, limit
    )
    return FilesPage(position, tuple(_entry(unit_id, row) for unit_id, row in page), following)


def _entry(unit_id: str, row: FileRow) -> FileEntry:
    pending = row["pending_deadline"]
    return FileEntry(
        unit_id=unit_id,
        stream_id=row["stream_id"],
        full_name=row["full_name"],
        sex=row["sex"],
        date_of_birth=day(row["date_of_birth"]),
        ethnicity=row["ethnicity"],
        stage=row["stage"],
        stage_label_vi=Stage(row["stage"]).label_vi,
        stage_since=day(row["stage_since"]),
        cell_id=row["cell_id"],
        helper_id=row["helper_id"],
        opened_on=day(row["opened_on"]),
        last_step_on=day(row["last_step_on"]),
        position=row["position"],
        open=row["open"],
        readmission=row["readmission"],
        pending_rule_id=pending["rule_id"] if pending else None,
        pending_due_on=day(pending["due_on"]) if pending else None,
    )
