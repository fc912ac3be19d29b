"""Auditing the auditors: every read of personal data through the audit endpoints is recorded (who, what,
when) and the provincial administrator can list the records.

Where: an append-only table of its own (`audit_reads`, append-only like the log: services/record_tables.py),
on the log's database — not events in the log. A read is not a party fact: putting it in the log would make
every audit read a write to the legal record, move log positions an auditor is trying to pin down, wake the
projection workers, and travel with the members' data in every export. The table still shares the log's
database, backups and append-only guarantee, and is written in the same request as the answer it records
(a read that cannot be recorded is refused, never answered unrecorded).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

metadata = sa.MetaData()

audit_reads = sa.Table(
    "audit_reads",
    metadata,
    sa.Column("read_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_id", sa.Text, nullable=False),
    sa.Column("role", sa.Text, nullable=False),
    sa.Column("acting_unit", sa.Text, nullable=False),
    sa.Column("operation", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
)


@dataclass(frozen=True)
class AuditRead:
    read_id: int
    read_at: datetime
    user_id: str
    role: str
    acting_unit: str
    operation: str
    subject: str
    detail: str


def record_read(
    engine: sa.Engine, *, user_id: str, role: str, acting_unit: str, operation: str, subject: str, detail: str
) -> None:
    with engine.begin() as connection:
        connection.execute(
            sa.insert(audit_reads).values(
                read_at=datetime.now(UTC),
                user_id=user_id,
                role=role,
                acting_unit=acting_unit,
                operation=operation,
                subject=subject,
                detail=detail,
            )
        )


def list_reads(
    engine: sa.Engine,
    *,
    after: int = 0,
    limit: int = 100,
    user_id: str | None = None,
    units: Collection[str] | None = None,
) -> list[AuditRead]:
    """Oldest first; `units` keeps the reads made acting for one of those units (a subtree, I8)."""
    query = sa.select(audit_reads).where(audit_reads.c.read_id > after)
    if user_id is not None:
        query = query.where(audit_reads.c.user_id == user_id)
    if units is not None:
        query = query.where(audit_reads.c.acting_unit.in_(list(units)))
    with engine.connect() as connection:
        rows = connection.execute(query.order_by(audit_reads.c.read_id).limit(limit)).all()
    return [AuditRead(**row._asdict()) for row in rows]
