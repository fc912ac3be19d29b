"""The log's step 3: the readers' horizon in PL/pgSQL, planned once per session instead of on every call.

Applies `install(up_to=3)` (the same function `create_schema` runs): `partyledger_horizon()` gives the same
answer as step 2's, but as an SQL function with a CTE it was planned on each call (0.72 ms; every projection
catch-up pays one). A log created earlier by `partyledger init` at step 3 gets no DDL.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import LOCAL_HORIZON, install, step_digest
from services.migrations.run import driver_connection
from services.migrations.steps import ReleasedRevisionChanged

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

LOG_STEP = 3
LOG_STEP_SHA256 = "82a33f3d32bcac39d50dc23b45cabd690fbabb507478928238ea064445dccc91"


def upgrade() -> None:
    found = step_digest(LOG_STEP)
    if found != LOG_STEP_SHA256:
        raise ReleasedRevisionChanged(f"log step {LOG_STEP} changed ({found}); add a new step and revision instead")
    install(driver_connection(op.get_bind()), up_to=LOG_STEP)


def downgrade() -> None:
    """Back to step 2's SQL function (the same answer, planned on every call)."""
    connection = driver_connection(op.get_bind())
    connection.execute(LOCAL_HORIZON.encode())
    connection.execute(b"DELETE FROM log_schema_version WHERE version = 3")
