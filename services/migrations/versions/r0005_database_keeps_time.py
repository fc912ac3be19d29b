"""The log's step 4: the database keeps time (I14) for every role but the log's owner.

Applies `install(up_to=4)` (the same function `create_schema` runs): a BEFORE INSERT trigger on `event_log`
refuses an app-role row whose position is not in its own transaction's block or whose `recorded_at` is not
the database's present. A log created earlier by `partyledger init` at step 4 gets no DDL.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

from services.migrations.steps import downgrade_log_from, upgrade_log_to

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LOG_STEP = 4
LOG_STEP_SHA256 = "93f37b4c8e93d3e41f877cec36bcc27a4f9f3a1ab5752d1982977f7d4f278c9f"

UNDO = """
DROP TRIGGER IF EXISTS event_log_database_keeps_time ON event_log;
DROP FUNCTION IF EXISTS partyledger_database_keeps_time();
"""


def upgrade() -> None:
    upgrade_log_to(op.get_bind(), LOG_STEP, LOG_STEP_SHA256)


def downgrade() -> None:
    """Back to step 3: the app role's appends are no longer checked against the database's clock."""
    downgrade_log_from(op.get_bind(), LOG_STEP, UNDO)
