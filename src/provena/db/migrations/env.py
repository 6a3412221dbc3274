"""Alembic environment for Provena.

It runs only on a connection handed over by `provena.db.migrate` (in
`config.attributes["connection"]`), never one of its own: that way the engine, the
drivers, the SQLite pragmas and the surrounding transaction are always Provena's.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy.engine import Connection

from provena.db import Base  # the package imports every model, so the metadata is complete
from provena.db.errors import MigrationError
from provena.db.types import DecimalString, UTCDateTime


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render Provena's column types as the plain types under them, so revisions stand alone."""
    if kind == "type" and isinstance(obj, UTCDateTime | DecimalString):
        return f"sa.{obj.impl_instance!r}"
    return False


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise MigrationError("offline (--sql) migrations are not supported")
connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise MigrationError("run migrations with provena.db.upgrade(), not the alembic command")
run_migrations(connection)
