"""Alembic migrations of the Provena schema; run them with `provena.db.upgrade`."""
