"""Alembic revisions, oldest first; a released revision is never edited."""
