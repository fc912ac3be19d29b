"""Where the kept roll-ups live (`projections/rollup.py`): which group each unit's counts are added into, the
groups themselves (the lock a writer takes, and a token that changes whenever their members do), and each
group's summed rows of each projection version.

Their own `MetaData`, beside the read-model tables' (whose shape a released revision pins): created with them
at a process's start (`projections.schema.create_projection_tables`) and by revision 0012 on a deployed
database. Disposable like every read model: `partyledger rebuild` makes them again from the units' rows.
"""

from __future__ import annotations

import sqlalchemy as sa

rollup_metadata = sa.MetaData()

rollup_members = sa.Table(
    "rollup_members",
    rollup_metadata,
    sa.Column("unit_id", sa.Text, primary_key=True),
    sa.Column("group_id", sa.Text, nullable=False, index=True),
)
"""unit → the one group its rows are added into; a unit not listed is in no group (read on its own)."""

rollup_groups = sa.Table(
    "rollup_groups",
    rollup_metadata,
    sa.Column("group_id", sa.Text, primary_key=True),
    sa.Column("token", sa.Text, nullable=False),
)
"""A group's row: what a writer locks before changing its sums (one per commune-level committee, not one for
the province: cells of different communes never wait on each other), and a token that changes with its
members, so a reader's cache of them knows when it is stale."""

rollup_rows = sa.Table(
    "rollup_rows",
    rollup_metadata,
    sa.Column("projection", sa.Text, primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("group_id", sa.Text, primary_key=True),
    sa.Column("row_key", sa.Text, primary_key=True),
    sa.Column("data", sa.JSON, nullable=False),
)
"""(projection, version, group, row key) → {"n": members' rows at that key, "sum": their counters added up}."""

ROLLUP_TABLES = tuple(rollup_metadata.sorted_tables)


DEADLINE_INDEXES = (
    "CREATE INDEX IF NOT EXISTS projection_rows_running_deadlines "
    "ON projection_rows (version, (data->>'due_on'), unit_id) "
    "WHERE projection = 'deadlines' AND (data->>'status') = 'open' AND (data->>'kind') = 'deadline'",
    "CREATE INDEX IF NOT EXISTS projection_rows_deadline_breaches "
    "ON projection_rows (version, (coalesce(data->>'met_on', data->>'due_on')) DESC, unit_id) "
    "WHERE projection = 'deadlines' AND (data->>'status') = 'breached'",
)
"""PostgreSQL: a dashboard lists a subtree's 50 most urgent running clocks and latest breaches
(`queries.deadlines.deadline_summary`) by walking these in order, not by reading every clock of the city."""


def create_rollup_tables(connection: sa.Connection) -> None:
    """The roll-up tables, and on PostgreSQL the deadline indexes on the read-model rows (made once: a
    database that has them is not touched)."""
    rollup_metadata.create_all(connection, checkfirst=True)
    if connection.dialect.name == "postgresql":
        for statement in DEADLINE_INDEXES:
            connection.exec_driver_sql(statement)


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """The application's role rewrites roll-ups in place, as it does read-model rows."""
    quote = connection.dialect.identifier_preparer.quote
    for table in ROLLUP_TABLES:
        connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quote(table.name)} TO {quote(role)}")
