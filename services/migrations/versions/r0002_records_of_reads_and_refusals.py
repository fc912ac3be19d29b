"""The records beside the log: auditors' reads and refused requests, append-only, appendable by the app role.

Creates what `create_record_tables` creates (the same function: `audit_reads` and `access_denials` with
triggers that refuse UPDATE, DELETE and TRUNCATE), then grants the app role SELECT and INSERT on both.
A database where the API already created them (`partyledger init`, the embedded default) keeps its tables.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest
from services.record_tables import TABLES, create_record_tables, grant_app_role

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RECORDS_SHA256 = "e0130b332218428c5189161d78d321c2455d8d8c25fc442eec8130a5e3334156"


def upgrade() -> None:
    found = tables_digest(TABLES)
    if found != RECORDS_SHA256:
        raise ReleasedRevisionChanged(f"the records' tables changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    create_record_tables(bind, TABLES)
    grant_app_role(bind, app_role(), TABLES)  # the role exists since 0001


def downgrade() -> None:
    """Records are evidence: only empty ones are dropped."""
    bind = op.get_bind()
    for table in TABLES:
        if bind.scalar(sa.select(sa.func.count()).select_from(table)):
            raise RuntimeError(f"{table.name} holds records; refusing to drop it")
    for table in reversed(TABLES):
        table.drop(bind)
