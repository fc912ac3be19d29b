"""The PostgreSQL schema as Alembic revisions, shipped inside the installed package (see deploy/README.md).

The revisions call the same DDL functions as `create_schema` and `create_projection_tables`, so a migrated
database and the one the tests create are the same schema; only the migration adds the application's role.
"""
