"""The log, the read-model tables, and the application's role.

Creates what `create_schema` and `create_projection_tables` create (the same functions: event_log,
idempotency_keys, log_seals with their append-only triggers, log_position_offset, the horizon functions,
log_schema_version; the projection rows, checkpoints and versions), then the app role with SELECT and INSERT
on the log and nothing more.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

from alembic import op

from eventstore.postgres_schema import grant_app_role as grant_log
from eventstore.postgres_schema import install
from projections.schema import create_projection_tables, metadata
from projections.schema import grant_app_role as grant_read_models
from services.migrations.run import driver_connection
from services.migrations.steps import app_role, ensure_role, refuse_to_drop_a_log_with_events, require_unchanged

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

LOG_STEP = 1
LOG_STEP_SHA256 = "d1aee2c1b75e568693119db9057e253e9c1a078a373f2c5aaddcaf86e56d6ff3"
READ_MODELS_SHA256 = "1fc8172ba621a3215f8a0893e2a5d65e051cb1e8b9536f3b65558b6a335b15d5"

LOG_OBJECTS = """
DROP TABLE IF EXISTS event_log, idempotency_keys, log_seals, log_position_offset, log_schema_version;
DROP FUNCTION IF EXISTS partyledger_horizon(), partyledger_xid_offset(), partyledger_refuse_change();
"""


def upgrade() -> None:
    """A log created earlier by `partyledger init` at this step gets no DDL, only the role and its grants."""
    require_unchanged(LOG_STEP, LOG_STEP_SHA256, READ_MODELS_SHA256)
    bind = op.get_bind()
    connection = driver_connection(bind)
    install(connection, up_to=LOG_STEP)
    create_projection_tables(bind)
    role = app_role()
    ensure_role(connection, role)
    grant_log(connection, role)
    grant_read_models(bind, role)


def downgrade() -> None:
    """Only an empty log can be undone; the app role stays (roles belong to the cluster, not the database)."""
    bind = op.get_bind()
    refuse_to_drop_a_log_with_events(bind)
    metadata.drop_all(bind)
    driver_connection(bind).execute(LOG_OBJECTS.encode())
