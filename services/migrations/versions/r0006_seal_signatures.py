"""The log's step 5: each seal's signature by the sealing process (I7), append-only, readable by the app role.

Applies `install(up_to=5)` (the same function `create_schema` runs) and grants the app role SELECT and INSERT
on `seal_signatures`: the beat connects as that role, but only its process holds the private key, so the
role can write a signature yet never make one. A log created earlier by `partyledger init` at step 5 gets no
DDL, only the grant.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import grant_app_role
from services.migrations.run import driver_connection
from services.migrations.steps import app_role, downgrade_log_from, refuse_to_drop_a_log_with_events, upgrade_log_to

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LOG_STEP = 5
LOG_STEP_SHA256 = "7d930ce86895da2dae520f13caf7a895c24610d3d2aa32bcc2d39b2144136bf7"

UNDO = "DROP TABLE IF EXISTS seal_signatures;"


def upgrade() -> None:
    bind = op.get_bind()
    upgrade_log_to(bind, LOG_STEP, LOG_STEP_SHA256)
    grant_app_role(driver_connection(bind), app_role())


def downgrade() -> None:
    """Back to step 4, only for an empty log: signatures are part of the legal record."""
    bind = op.get_bind()
    refuse_to_drop_a_log_with_events(bind)
    downgrade_log_from(bind, LOG_STEP, UNDO)
