"""The log's step 8: an erased person's idempotency records can be forgotten, and nothing else changed (issue 20).

Applies `install(up_to=8)` (the same function `create_schema` runs): an index of the records by stream, and
the table's append-only trigger replaced by one that lets exactly one UPDATE through — the key replaced by its
SHA-256 and the request digest (a hash over the plaintext request) blanked, recomputed from the old row by the
trigger itself; every other UPDATE, DELETE and TRUNCATE is refused as before. Grants the app role UPDATE on
those two columns only, for the erasure use case (`services/commands/erasure.py`).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op
from psycopg import sql

from eventstore.postgres_schema import grant_app_role
from services.migrations.run import driver_connection
from services.migrations.steps import app_role, downgrade_log_from, upgrade_log_to

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

LOG_STEP = 8
LOG_STEP_SHA256 = "3910d21a0163472f8f07a93f18996f54ec300f75a61e89b80236922922826672"

UNDO = """
CREATE OR REPLACE TRIGGER idempotency_keys_append_only BEFORE UPDATE OR DELETE ON idempotency_keys
    FOR EACH ROW EXECUTE FUNCTION partyledger_refuse_change();
DROP FUNCTION IF EXISTS partyledger_requests_only_forgotten();
DROP INDEX IF EXISTS idempotency_keys_stream;
"""


def upgrade() -> None:
    bind = op.get_bind()
    upgrade_log_to(bind, LOG_STEP, LOG_STEP_SHA256)
    grant_app_role(driver_connection(bind), app_role())


def downgrade() -> None:
    """Back to step 7: the records are append-only again (those already forgotten stay forgotten)."""
    bind = op.get_bind()
    downgrade_log_from(bind, LOG_STEP, UNDO)
    revoke = sql.SQL("REVOKE UPDATE ON idempotency_keys FROM {}").format(sql.Identifier(app_role()))
    driver_connection(bind).execute(revoke)
