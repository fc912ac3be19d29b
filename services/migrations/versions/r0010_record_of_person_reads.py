"""The record of reads of named people's personal data (I13), append-only, appendable by the app role.

Creates what `create_record_tables` creates for `person_reads` (the same function the API runs at start: the
table, its index by person, and triggers that refuse UPDATE, DELETE and TRUNCATE), then grants the app role
SELECT and INSERT on it. A database where the API already created it keeps its table.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest
from services.record_tables import PERSON_READ_TABLES, create_record_tables, grant_app_role

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PERSON_READS_SHA256 = "154e13559b7266bc90147f262048f2a8672ad8f57bc22494b5b8624b265a0386"


def upgrade() -> None:
    found = tables_digest(PERSON_READ_TABLES)
    if found != PERSON_READS_SHA256:
        raise ReleasedRevisionChanged(f"the person reads' table changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    create_record_tables(bind, PERSON_READ_TABLES)
    grant_app_role(bind, app_role(), PERSON_READ_TABLES)


def downgrade() -> None:
    """The record is evidence: only an empty one is dropped."""
    bind = op.get_bind()
    for table in PERSON_READ_TABLES:
        if bind.scalar(sa.select(sa.func.count()).select_from(table)):
            raise RuntimeError(f"{table.name} holds records; refusing to drop it")
        table.drop(bind)
