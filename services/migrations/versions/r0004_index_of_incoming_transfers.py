"""An index for a unit's incoming transfers (`projection_rows_transfer_destination`).

Applies `create_transfers_index` (the function every process runs at start): the receiving unit's page read
every member row of every unit to find those on their way to it. A database whose read-model tables were
created by `partyledger init` or revision 0001 after this index was added already has it and gets no DDL.
Revision 0001 creates it too now, through the same `create_projection_tables`: a released revision's digest
covers the tables' columns, not their indexes, and a fresh upgrade ends with the same schema either way.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from projections.schema import TRANSFERS_INDEX, create_transfers_index

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_transfers_index(op.get_bind())


def downgrade() -> None:
    """An index only: queries answer the same without it, more slowly."""
    op.drop_index(str(TRANSFERS_INDEX.name), table_name="projection_rows", if_exists=True)
