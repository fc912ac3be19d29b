"""Readers' horizon leaves out transactions of the cluster's other databases.

Applies `install(up_to=2)` (the same function `create_schema` runs): `partyledger_horizon()` is replaced so a
transaction held open in another database of a shared cluster no longer stalls this log's readers. A log
created earlier by `partyledger init` with this horizon gets no DDL.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import HORIZON
from services.migrations.steps import downgrade_log_from, upgrade_log_to

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

LOG_STEP = 2
LOG_STEP_SHA256 = "ccf093fc990287dd3a59b9de0237f1dc9f544fb7d12c26351209d018ea41da56"


def upgrade() -> None:
    upgrade_log_to(op.get_bind(), LOG_STEP, LOG_STEP_SHA256)


def downgrade() -> None:
    """Back to the first, cluster-wide horizon (always safe: it only ever waits longer)."""
    downgrade_log_from(op.get_bind(), LOG_STEP, HORIZON)
