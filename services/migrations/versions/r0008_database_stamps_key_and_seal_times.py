"""The log's step 7: the database keeps the idempotency keys' and the seals' times too (I14).

Applies `install(up_to=7)` (the same function `create_schema` runs): `idempotency_keys.recorded_at` and
`log_seals.sealed_at` default to `now()`, and a BEFORE INSERT trigger refuses, for every role but the log's
owner, a row whose value is not the database's. A log created earlier by `partyledger init` at step 7 gets
no DDL.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

from services.migrations.steps import downgrade_log_from, upgrade_log_to

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

LOG_STEP = 7
LOG_STEP_SHA256 = "c2e25d8eafd0e58fd94d194a4b185a16ca2e198468db93ced1c3fafe1a8d56e0"

UNDO = """
DROP TRIGGER IF EXISTS idempotency_keys_database_stamps_time ON idempotency_keys;
DROP TRIGGER IF EXISTS log_seals_database_stamps_time ON log_seals;
DROP FUNCTION IF EXISTS partyledger_key_time_is_the_databases();
DROP FUNCTION IF EXISTS partyledger_seal_time_is_the_databases();
ALTER TABLE idempotency_keys ALTER COLUMN recorded_at DROP DEFAULT;
ALTER TABLE log_seals ALTER COLUMN sealed_at DROP DEFAULT;
"""


def upgrade() -> None:
    upgrade_log_to(op.get_bind(), LOG_STEP, LOG_STEP_SHA256)


def downgrade() -> None:
    """Back to step 6: the app role's keys and seals carry whatever time it writes again."""
    downgrade_log_from(op.get_bind(), LOG_STEP, UNDO)
