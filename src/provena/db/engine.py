"""Async engines for SQLite files and PostgreSQL, configured the same way everywhere.

Every SQLite connection is set up as it opens (the settings are per connection)::

    PRAGMA busy_timeout = 5000     wait for the write lock instead of failing at once
    PRAGMA journal_mode            must be WAL: readers never block the writer, nor it them
    PRAGMA synchronous = NORMAL    durable at each WAL checkpoint; safe with WAL
    PRAGMA foreign_keys = ON       SQLite's default is OFF

WAL mode is persistent, and switching to it needs the only connection to the file
(SQLite does not wait for that; it fails with "database is locked"). So the file is
switched once, when the engine is created and before any pooled connection opens;
each connection then only checks it.

Migration engines differ on SQLite in two ways, both as Alembic recommends: foreign keys
are OFF while tables are rebuilt (checked afterwards with `PRAGMA foreign_key_check`),
and the transaction is begun explicitly, so DDL is transactional and a failed migration
leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy import URL, event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry

from provena.db.errors import DatabaseError, DatabaseUnavailableError
from provena.db.urls import async_url, sqlite_path

__all__ = ["POSTGRESQL_CONNECT_TIMEOUT_S", "SQLITE_BUSY_TIMEOUT_MS", "create_engine"]

SQLITE_BUSY_TIMEOUT_MS = 5000
POOL: dict[str, Any] = {"pool_size": 20, "max_overflow": 20}
"""Connections per engine: a write holds one while it records, and waiters, the listener
and SSE clients read; SQLAlchemy's 5 + 10 ran out under 32 concurrent writers."""
POSTGRESQL_CONNECT_TIMEOUT_S = 10


def create_engine(url: str | URL, *, echo: bool = False, migrations: bool = False) -> AsyncEngine:
    """An async engine for `url` (see `async_url`); creates a SQLite file's directory."""
    target = async_url(url)
    if target.get_backend_name() == "postgresql":
        connect_args: dict[str, Any] = {}
        if "connect_timeout" not in target.query:
            connect_args["connect_timeout"] = POSTGRESQL_CONNECT_TIMEOUT_S
        return create_async_engine(
            target, echo=echo, pool_pre_ping=True, connect_args=connect_args, **POOL
        )
    path = sqlite_path(target)
    assert path is not None  # async_url refuses in-memory databases
    path.parent.mkdir(parents=True, exist_ok=True)
    _enable_wal(path)
    engine = create_async_engine(target, echo=echo, **POOL)
    _configure_sqlite(engine, foreign_keys=not migrations, explicit_begin=migrations)
    return engine


def _enable_wal(path: Path) -> None:
    """Switch the SQLite file at `path` (created if missing) to WAL mode, retrying while
    another process holds it."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            with closing(sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)) as conn:
                (mode,) = conn.execute("PRAGMA journal_mode = WAL").fetchone()
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise DatabaseUnavailableError(f"cannot open SQLite file {path}: {exc}") from exc
            time.sleep(0.02)
    if str(mode).lower() != "wal":
        raise DatabaseError(f"SQLite refused WAL mode for {path} (journal_mode is {mode!r})")


def _configure_sqlite(engine: AsyncEngine, *, foreign_keys: bool, explicit_begin: bool) -> None:
    def on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        if explicit_begin:
            dbapi_connection.isolation_level = None  # the driver stops issuing BEGIN
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode")
            (mode,) = cursor.fetchone()
            if str(mode).lower() != "wal":
                cursor.execute("PRAGMA journal_mode = WAL")
                (mode,) = cursor.fetchone()
            if str(mode).lower() != "wal":
                raise DatabaseError(f"SQLite refused WAL mode (journal_mode is {mode!r})")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    event.listen(engine.sync_engine, "connect", on_connect)
    if explicit_begin:

        def on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        event.listen(engine.sync_engine, "begin", on_begin)
