"""The kept roll-ups of upper units' counts (issue 21): `rollup_members`, `rollup_groups` and `rollup_rows`.

Creates what `create_rollup_tables` creates (the API and the worker create them too at start, with the
read-model tables), then grants the app role what it has on read-model rows. Disposable: `partyledger
rebuild` (or `partyledger projections regroup` on a database whose rows are built) fills them.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

from projections.rollup_schema import ROLLUP_TABLES, create_rollup_tables, grant_app_role, rollup_metadata
from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ROLLUP_SHA256 = "1be438e282429c9b0a802c927927c43b8889eb4c824d8d44b600f80c6b59b55d"


def upgrade() -> None:
    found = tables_digest(ROLLUP_TABLES)
    if found != ROLLUP_SHA256:
        raise ReleasedRevisionChanged(f"the roll-up tables changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    create_rollup_tables(bind)
    grant_app_role(bind, app_role())


def downgrade() -> None:
    """Roll-ups are made again from the read models' rows: dropping them loses nothing."""
    rollup_metadata.drop_all(op.get_bind())
