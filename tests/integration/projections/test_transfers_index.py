"""A receiving unit's incoming transfers are looked up through an index, not by reading every member row."""

from __future__ import annotations

import sqlalchemy as sa

from projections.engine import projection_engine
from projections.queries.member_roll import incoming_query
from projections.schema import TRANSFERS_INDEX, create_projection_tables


def plan(engine: sa.Engine, query: sa.Select[str, dict[str, object]]) -> str:
    """PostgreSQL's plan for the query as the API sends it (its IN list expanded into parameters)."""
    compiled = query.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
    return "\n".join(str(row[0]) for row in rows)


MEMBER_ROWS = """
INSERT INTO projection_rows (projection, version, unit_id, row_key, data)
SELECT 'member_roll', 1, 'unit-cell-' || mod(n, 600), 'm:person-' || n,
       json_build_object('stream_id', 'person-' || n, 'pending_transfer',
                         CASE WHEN mod(n, 1000) = 0 THEN json_build_object('to_unit_id', 'unit-cell-a') END)
  FROM generate_series(1, 20000) AS n
"""
"""A province's roll: 20,000 members in 600 cells, twenty of them on their way to `unit-cell-a`."""


def test_the_incoming_transfers_query_uses_the_destination_index_on_postgresql(postgres_url: str) -> None:
    """(SQLite, the embedded default for a demo's few thousand rows, picks by its own statistics.)"""
    engine = projection_engine(postgres_url)
    try:
        create_projection_tables(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql(MEMBER_ROWS)
            connection.exec_driver_sql("ANALYZE projection_rows")
        assert str(TRANSFERS_INDEX.name) in plan(engine, incoming_query(1, ["unit-cell-a", "unit-cell-b"]))
    finally:
        engine.dispose()


def has_index(engine: sa.Engine) -> bool:
    catalog = {
        "postgresql": "SELECT count(*) FROM pg_indexes WHERE indexname = :name",
        "sqlite": "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = :name",
    }[engine.dialect.name]
    with engine.connect() as connection:
        return bool(connection.execute(sa.text(catalog), {"name": TRANSFERS_INDEX.name}).scalar())


def test_tables_made_before_the_index_get_it_when_a_process_starts(engine: sa.Engine) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"DROP INDEX {TRANSFERS_INDEX.name}")
    assert not has_index(engine)

    create_projection_tables(engine)
    create_projection_tables(engine)  # and a second process finds it made

    assert has_index(engine)
