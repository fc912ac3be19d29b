"""Where the kept roll-ups live (`projections/rollup.py`): which group each unit's counts are added into, the
groups themselves (the lock a writer takes, and a token that changes whenever their members do), and each
group's summed rows of each projection version.

Their own `MetaData`, beside the read-model tables' (whose shape a released revision pins): created with them
at a process's start (`projections.schema.create_projection_tables`) and by revision 0013 on a deployed
database. Disposable like every read model: `partyledger rebuild` makes them again from the units' rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

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
    sa.Column("data", sa.JSON().with_variant(JSONB(), "postgresql"), nullable=False),
)
"""(projection, version, group, row key) → {"n": members' rows at that key, "sum": their counters added up}; on
PostgreSQL a zero is left out ({"sum": …} when "n" is 0, {} when nothing is left), as `ROLLUP_ADD` adds."""

ROLLUP_ADD = """
CREATE OR REPLACE FUNCTION partyledger_rollup_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
  FROM (SELECT key,
               CASE WHEN jsonb_typeof(a -> key) = 'object' OR jsonb_typeof(b -> key) = 'object'
                    THEN partyledger_rollup_add(coalesce(a -> key, '{}'::jsonb), coalesce(b -> key, '{}'::jsonb))
                    ELSE to_jsonb(coalesce((a ->> key)::numeric, 0) + coalesce((b ->> key)::numeric, 0)) END AS value
          FROM (SELECT jsonb_object_keys(a) AS key UNION SELECT jsonb_object_keys(b)) AS keys) AS added
 WHERE value <> '0'::jsonb AND value <> '{}'::jsonb
$$
"""
"""PostgreSQL: two sums added key by key, nested maps alike, zeros and empty maps left out (as
`projections.rollup.add_into` then `pruned`): a writer adds its change in the upsert itself, so writers of one
group wait only on the rows they both change, and neither reads the sums first."""

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
        connection.exec_driver_sql("SET LOCAL check_function_bodies = off")  # the function calls itself
        connection.exec_driver_sql(ROLLUP_ADD)
        for statement in DEADLINE_INDEXES:
            connection.exec_driver_sql(statement)


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """The application's role rewrites roll-ups in place, as it does read-model rows."""
    quote = connection.dialect.identifier_preparer.quote
    for table in ROLLUP_TABLES:
        connection.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {quote(table.name)} TO {quote(role)}")
