"""The readers' horizon in PL/pgSQL, planned once per session instead of on every call.

Applies `install(up_to=3)` (the same function `create_schema` runs): `partyledger_horizon()` gives the same
answer as r0003's, but as an SQL function with a CTE it was planned on each call (0.72 ms; every projection
catch-up pays one). A log created earlier by `partyledger init` with this function gets no DDL.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import LOCAL_HORIZON
from services.migrations.steps import downgrade_log_from, upgrade_log_to

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LOG_STEP = 3
LOG_STEP_SHA256 = "82a33f3d32bcac39d50dc23b45cabd690fbabb507478928238ea064445dccc91"


def upgrade() -> None:
    upgrade_log_to(op.get_bind(), LOG_STEP, LOG_STEP_SHA256)


def downgrade() -> None:
    """Back to r0003's SQL function (the same answer, planned on every call)."""
    downgrade_log_from(op.get_bind(), LOG_STEP, LOCAL_HORIZON)
