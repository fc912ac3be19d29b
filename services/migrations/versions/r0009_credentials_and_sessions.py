"""Credentials and sessions beside the log: `credentials`, `auth_sessions`, `sign_in_attempts` (issue 19).

Creates what `create_credential_tables` creates (the same function the API runs at start), then grants the app
role what signing in needs: it reads and changes a hash or a session, and only adds sign-in attempts (their
table refuses UPDATE, DELETE and TRUNCATE, like the denial records). None of it is a fact of the ledger.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from services.credentials import TABLES, create_credential_tables, grant_app_role
from services.migrations.steps import ReleasedRevisionChanged, app_role, tables_digest

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CREDENTIALS_SHA256 = "cd00cbcf0f6500d818f6c8ef53dc5753f4f6fc8707375a56060a855d2c2d1a28"


def upgrade() -> None:
    found = tables_digest(TABLES)
    if found != CREDENTIALS_SHA256:
        raise ReleasedRevisionChanged(f"the credential tables changed ({found}); add a new revision for the change")
    bind = op.get_bind()
    create_credential_tables(bind)
    grant_app_role(bind, app_role())


def downgrade() -> None:
    """Sessions may go; the record of sign-ins is evidence and credentials are people's: only empty ones."""
    bind = op.get_bind()
    for table in TABLES:
        if table.name != "auth_sessions" and bind.scalar(sa.select(sa.func.count()).select_from(table)):
            raise RuntimeError(f"{table.name} holds rows; refusing to drop it")
    for table in reversed(TABLES):
        table.drop(bind)
