"""The closed files of a unit or subtree with their outcome and the day they closed (R-PRIVACY-RETAIN): what the
dashboard's "Hồ sơ hết thời hạn lưu trữ" judges against the retention rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from domain.person.stages import Stage
from domain.retention import Outcome

from ..schema import projection_rows as pr
from .reading import distinct_units, reflected_position, version_of


@dataclass(frozen=True)
class ClosedFile:
    unit_id: str
    stream_id: str
    full_name: str | None
    stage: Stage
    outcome: Outcome
    closed_on: date


@dataclass(frozen=True)
class ClosedFiles:
    position: int
    files: tuple[ClosedFile, ...]


def closed_files(connection: sa.Connection, units: list[str]) -> ClosedFiles:
    """Every closed file the units hold, in no particular order (the caller sorts what it shows)."""
    chosen = distinct_units(units)
    version = version_of(connection, "retention")
    query = sa.select(pr.c.unit_id, pr.c.data).where(
        pr.c.projection == "retention",
        pr.c.version == version,
        pr.c.unit_id.in_(chosen),
        pr.c.row_key.startswith("r:", autoescape=True),
    )
    found = tuple(
        ClosedFile(
            unit_id,
            row["stream_id"],
            row["full_name"],
            Stage(row["stage"]),
            Outcome(row["outcome"]),
            date.fromisoformat(row["closed_on"]),
        )
        for unit_id, row in connection.execute(query)
    )
    return ClosedFiles(reflected_position(connection, "retention", version, chosen), found)
