"""The SQL a database runs: for tests that bound how many statements some work costs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import sqlalchemy

from provena.db import Database

__all__ = ["statements"]


@contextlib.contextmanager
def statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements `database` runs inside the block (an executemany counts once)."""
    seen: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split()))

    engine = database.engine.sync_engine
    sqlalchemy.event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sqlalchemy.event.remove(engine, "before_cursor_execute", count)
