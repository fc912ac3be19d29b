"""The kept roll-ups of upper units' counts (issue 21): `rollup_members`, `rollup_groups` and `rollup_rows`.

Creates what `create_rollup_tables` creates (the API and the worker create them too at start, with the
read-model tables: the tables, the function adding sums, the two partial indexes of running clocks and
breaches on `projection_rows`), then grants the app role what it has on read-model rows. Disposable: `partyledger
rebuild` (or `partyledger projections regroup` on a database whose rows are built) fills them.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

from alembic import op

from projections.rollup_schema import ROLLUP_TABLES, create_rollup_tables, grant_app_role, rollup_metadata
from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ROLLUP_SHA256 = "284158751cf1af525f419365a38450d8373a39e054aba25964ce3a39f301988e"


def upgrade() -> None:
    found = tables_digest(ROLLUP_TABLES)
    if found != ROLLUP_SHA256:
        raise ReleasedRevisionChanged(f"the roll-up tables changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    create_rollup_tables(bind)
    grant_app_role(bind, app_role())


def downgrade() -> None:
    """Roll-ups are made again from the read models' rows: dropping them loses nothing."""
    bind = op.get_bind()
    rollup_metadata.drop_all(bind)
    bind.exec_driver_sql("DROP FUNCTION IF EXISTS partyledger_rollup_add(jsonb, jsonb)")
    for index in ("projection_rows_running_deadlines", "projection_rows_deadline_breaches"):
        bind.exec_driver_sql(f"DROP INDEX IF EXISTS {index}")
