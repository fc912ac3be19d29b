"""The measured figures of the register: people by stage and outcome, other data subjects named, classed
fields, read-model rows naming a person, reads recorded — each read from the log, the read models or the
record of reads, never estimated."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from domain.person.stages import Stage
from domain.privacy import Level
from domain.retention import Outcome
from projections.registry import PROJECTIONS
from projections.row_kinds import row_kinds
from projections.schema import projection_rows
from projections.versions import active_version
from services.audit.access import audit_reads
from services.audit.person_reads import person_reads
from services.privacy.catalogue import Entry, Source
from services.privacy.outcomes import LogScan


@dataclass(frozen=True)
class Figures:
    events: int
    people: int
    by_stage: dict[Stage, int]
    by_outcome: dict[Outcome, int]
    relatives: int
    sponsors: int
    helpers: int
    fields: dict[tuple[Source, Level], int]
    rows_naming_people: dict[str, int] | None
    """`read model[key pattern]` → its rows whose key names a person (active versions); None: no read models."""
    reads: int | None
    readers: int | None
    """Reads of named people's personal data recorded in `person_reads` (I13: files, lists, auditors' replays;
    a list is one read) and the distinct users who made them; None when there is no record."""
    erased: int = 0
    """Files whose personal data was erased (R-PRIVACY-ERASE), counted from the log's erasure events."""
    audit_reads: int | None = None
    """The auditors' own record (`audit_reads`: every audit endpoint, person or not); None without the table."""


def measure(scan: LogScan, entries: Iterable[Entry], engine: sa.Engine) -> Figures:
    reads, readers = _reads(engine, person_reads)
    audited, _ = _reads(engine, audit_reads)
    return Figures(
        events=scan.events,
        people=len(scan.people),
        by_stage=dict(Counter(p.stage for p in scan.people)),
        by_outcome=dict(Counter(p.outcome for p in scan.people if p.outcome is not None)),
        relatives=len(scan.relatives),
        sponsors=len(scan.sponsors),
        helpers=len(scan.helpers),
        fields=dict(Counter((e.source, e.level) for e in entries)),
        rows_naming_people=_rows_naming_people(engine),
        reads=reads,
        readers=readers,
        erased=sum(1 for p in scan.people if p.erased),
        audit_reads=audited,
    )


def _rows_naming_people(engine: sa.Engine) -> dict[str, int] | None:
    counts: dict[str, int] = {}
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(projection_rows.name):
            return None
        for projection in PROJECTIONS:
            version = active_version(connection, projection)
            for kind in row_kinds(projection):
                if kind.key_privacy.level is Level.NOT_PERSONAL:
                    continue
                r = projection_rows.c
                query = sa.select(sa.func.count()).where(
                    r.projection == projection.name,
                    r.version == version,
                    r.row_key.startswith(kind.prefix, autoescape=True),
                )
                counts[f"{projection.name}[{kind.key}]"] = connection.execute(query).scalar_one()
    return counts


def _reads(engine: sa.Engine, table: sa.Table) -> tuple[int | None, int | None]:
    """Rows of a record of reads and the distinct users in it (the readers), measured, never estimated."""
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table(table.name):
            return None, None
        query = sa.select(sa.func.count(), sa.func.count(sa.distinct(table.c.user_id)))
        reads, readers = connection.execute(query).one()
    return int(reads), int(readers)
