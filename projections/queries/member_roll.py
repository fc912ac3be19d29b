"""The roll of members of a unit or subtree, a page at a time, and who left in a year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

import sqlalchemy as sa

from ..member_roll import OUTGOING, ExitEntry, ExitsRow, MemberRow
from ..schema import projection_rows as pr
from .reading import (
    MAX_PAGE,
    day,
    distinct_units,
    json_text,
    keyed_rows,
    page_of_rows,
    reflected_position,
    version_of,
)


class MemberStatus(StrEnum):
    """A member's status on the roll: the only values `member_roll` filters by (the API declares them)."""

    PROBATIONARY = "probationary"
    OFFICIAL = "official"


STATUS_LABELS_VI: Final = {MemberStatus.PROBATIONARY: "Đảng viên dự bị", MemberStatus.OFFICIAL: "Đảng viên chính thức"}


@dataclass(frozen=True)
class MemberEntry:
    """A member on the roll; party seniority counts from `admitted_on`, probation from `ceremony_on`."""

    unit_id: str
    stream_id: str
    full_name: str | None
    sex: str | None
    date_of_birth: date | None
    status: str
    status_label_vi: str
    cell_id: str | None
    admitted_on: date
    ceremony_on: date
    official_from: date | None
    mentor_id: str | None
    temporary_unit_id: str | None
    pending_transfer_to: str | None
    rating_year: int | None
    rating_grade: str | None
    penalties: tuple[str, ...]
    readmitted: bool


@dataclass(frozen=True)
class MemberRoll:
    """`next_cursor` continues the same order (unit, then member); None on the last page."""

    position: int
    members: tuple[MemberEntry, ...]
    next_cursor: str | None


@dataclass(frozen=True)
class MemberExit:
    """`kind` is an exit type (struck_off, expelled, …) or transferred_out (then `to_unit_id` is set)."""

    unit_id: str
    stream_id: str
    full_name: str | None
    left_on: date
    kind: str
    to_unit_id: str | None


@dataclass(frozen=True)
class MemberExits:
    position: int
    year: int
    exits: tuple[MemberExit, ...]


def member_roll(
    connection: sa.Connection,
    units: list[str],
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> MemberRoll:
    if status is not None and status not in STATUS_LABELS_VI:
        raise ValueError(f"status is one of {sorted(STATUS_LABELS_VI)}, not {status!r}")
    where = [] if status is None else [json_text("status") == status]
    chosen = distinct_units(units)
    page, following, position = page_of_rows(connection, "member_roll", chosen, "m:", MemberRow, where, cursor, limit)
    return MemberRoll(position, tuple(_entry(unit_id, row) for unit_id, row in page), following)


def member_exits(connection: sa.Connection, units: list[str], year: int) -> MemberExits:
    chosen = distinct_units(units)
    version = version_of(connection, "member_roll")
    rows = keyed_rows(connection, "member_roll", version, chosen, [f"exits:{year}"])
    exits = [
        MemberExit(
            unit_id, e["stream_id"], e["full_name"], date.fromisoformat(e["left_on"]), e["kind"], e["to_unit_id"]
        )
        for unit_id in chosen
        for e in _entries(rows[unit_id].get(f"exits:{year}"))
    ]
    exits.sort(key=lambda e: (e.left_on, e.unit_id, e.stream_id))
    return MemberExits(reflected_position(connection, "member_roll", version, chosen), year, tuple(exits))


def _entries(row: ExitsRow | None) -> list[ExitEntry]:
    return row["entries"] if row is not None else []


@dataclass(frozen=True)
class IncomingTransfers:
    """Members whose home unit (`unit_id` of each entry, anywhere) introduced a transfer to one of the units."""

    position: int
    members: tuple[MemberEntry, ...]


def incoming_transfers(connection: sa.Connection, units: list[str]) -> IncomingTransfers:
    """Transfers introduced to `units` and not yet presented there: the receiving side of R-TRANSFER.

    Members on their way are found in each unit's small `outgoing` row (version 2 on); a version 1 still
    active while version 2 is built beside it is searched member row by member row, as it was."""
    chosen = distinct_units(units)
    version = version_of(connection, "member_roll")
    found = _incoming(connection, version, chosen) if version >= 2 else _incoming_by_scan(connection, version, chosen)
    homes = sorted({unit_id for unit_id, _ in found})
    position = reflected_position(connection, "member_roll", version, [*chosen, *homes])
    return IncomingTransfers(position, tuple(_entry(unit_id, row) for unit_id, row in found))


def _incoming(connection: sa.Connection, version: int, chosen: list[str]) -> list[tuple[str, MemberRow]]:
    wanted = set(chosen)
    outgoing = connection.execute(
        sa.select(pr.c.unit_id, pr.c.data).where(
            pr.c.projection == "member_roll", pr.c.version == version, pr.c.row_key == OUTGOING
        )
    )
    keys = sorted(
        (unit_id, f"m:{stream_id}")
        for unit_id, listed in outgoing
        for stream_id, to_unit in listed.items()
        if to_unit in wanted
    )[:MAX_PAGE]
    if not keys:
        return []
    rows = connection.execute(
        sa.select(pr.c.unit_id, pr.c.row_key, pr.c.data).where(
            pr.c.projection == "member_roll", pr.c.version == version, sa.tuple_(pr.c.unit_id, pr.c.row_key).in_(keys)
        )
    )
    return [(unit_id, data) for unit_id, _, data in sorted(rows, key=lambda row: (row[0], row[1]))]


def _incoming_by_scan(connection: sa.Connection, version: int, chosen: list[str]) -> list[tuple[str, MemberRow]]:
    to_unit = pr.c.data[("pending_transfer", "to_unit_id")].as_string()
    query = sa.select(pr.c.unit_id, pr.c.data).where(
        pr.c.projection == "member_roll",
        pr.c.version == version,
        pr.c.row_key.startswith("m:", autoescape=True),
        to_unit.in_(chosen),
    )
    return [
        (unit_id, data)
        for unit_id, data in connection.execute(query.order_by(pr.c.unit_id, pr.c.row_key).limit(MAX_PAGE))
    ]


def _entry(unit_id: str, row: MemberRow) -> MemberEntry:
    rating, pending = row["rating"], row["pending_transfer"]
    return MemberEntry(
        unit_id=unit_id,
        stream_id=row["stream_id"],
        full_name=row["full_name"],
        sex=row["sex"],
        date_of_birth=day(row["date_of_birth"]),
        status=row["status"],
        status_label_vi=STATUS_LABELS_VI[MemberStatus(row["status"])],
        cell_id=row["cell_id"],
        admitted_on=date.fromisoformat(row["admitted_on"]),
        ceremony_on=date.fromisoformat(row["ceremony_on"]),
        official_from=day(row["official_from"]),
        mentor_id=row["mentor_id"],
        temporary_unit_id=row["temporary_unit_id"],
        pending_transfer_to=pending["to_unit_id"] if pending else None,
        rating_year=rating["year"] if rating else None,
        rating_grade=rating["grade"] if rating else None,
        penalties=tuple(row["penalties"]),
        readmitted=row["readmitted"],
    )
