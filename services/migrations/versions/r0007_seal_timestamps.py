"""The log's step 6: each seal's RFC 3161 time-stamp token (I7), append-only, readable by the app role.

Applies `install(up_to=6)` (the same function `create_schema` runs) and grants the app role SELECT and INSERT
on `seal_timestamps`: `partyledger seal --tsa URL` asks an outside time-stamp authority for a token over the
seal's hash after the seal is committed and keeps it here. A log created earlier by `partyledger init` at
step 6 gets no DDL, only the grant.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import grant_app_role
from services.migrations.run import driver_connection
from services.migrations.steps import app_role, downgrade_log_from, refuse_to_drop_a_log_with_events, upgrade_log_to

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

LOG_STEP = 6
LOG_STEP_SHA256 = "b66f31c461b21bd1ea10adccec282ce9bb248e183955862f5305fc30bd9569b7"

UNDO = "DROP TABLE IF EXISTS seal_timestamps;"


def upgrade() -> None:
    bind = op.get_bind()
    upgrade_log_to(bind, LOG_STEP, LOG_STEP_SHA256)
    grant_app_role(driver_connection(bind), app_role())


def downgrade() -> None:
    """Back to step 5, only for an empty log: time-stamps are part of the legal record."""
    bind = op.get_bind()
    refuse_to_drop_a_log_with_events(bind)
    downgrade_log_from(bind, LOG_STEP, UNDO)
