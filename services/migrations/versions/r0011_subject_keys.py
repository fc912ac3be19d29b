"""The data subjects' keys, apart from the log: schema `ledger_keys`, table `subject_keys` (issue 20, I13).

Each row is one subject's AES-256 key wrapped by the KEK (PARTYLEDGER_DATA_KEK), or, once erased, a tombstone
with the non-identifying residue the counts need. Its own schema, so the log's backups (`pg_dump -t event_log
…`) never hold a key and the keys are backed up on their own retention (the erasure horizon, deploy/README).
The app role reads keys, adds them and turns them into tombstones (UPDATE); it never deletes a row.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from eventstore.subject_keys import KEY_SCHEMA, SUBJECT_KEYS, grant_app_role
from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

SUBJECT_KEYS_SHA256 = "f9f35caec160a9e6fc9647421e62157327d573668311e7daf73353d7a4bd05ee"


def upgrade() -> None:
    table = SUBJECT_KEYS.to_metadata(sa.MetaData(), schema=KEY_SCHEMA)
    found = tables_digest([table])
    if found != SUBJECT_KEYS_SHA256:
        raise ReleasedRevisionChanged(f"the key table changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    bind.execute(sa.text(f"CREATE SCHEMA IF NOT EXISTS {KEY_SCHEMA}"))
    table.metadata.create_all(bind, checkfirst=True)
    grant_app_role(bind, app_role())


def downgrade() -> None:
    """Keys are the only way to read the log's personal fields: only an empty key table may go."""
    bind = op.get_bind()
    if bind.scalar(sa.text(f"SELECT count(*) FROM {KEY_SCHEMA}.subject_keys")):
        raise RuntimeError("ledger_keys.subject_keys holds keys; refusing to drop it")
    bind.execute(sa.text(f"DROP SCHEMA {KEY_SCHEMA} CASCADE"))
