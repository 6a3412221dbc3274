"""Schema migrations: Alembic, shipped inside the package and driven from code.

    await upgrade("sqlite:///data/provena.db")    # to the latest revision
    await current_revision(url)                   # "0001", or None before the first
    await downgrade(url, "base")                  # drops every table

There is no alembic.ini: `alembic_config()` builds the configuration in code, pointing
at `provena/db/migrations`. Each command runs inside `AsyncConnection.run_sync` on our
own engine (same drivers and SQLite pragmas as the application), so it can be awaited
from a running event loop, and in a single transaction, so a failed migration changes
nothing. Concurrent runs (several replicas starting at once) queue on a lock: a
PostgreSQL advisory lock, or SQLite's write lock (`BEGIN IMMEDIATE`).

A new revision, once the models have changed: bring a scratch database to head, then

    await autogenerate_revision(url, message="add widgets", rev_id="0002")

writes `migrations/versions/v0002_add_widgets.py`, to review and complete by hand
(Alembic does not see CHECK constraints, nor changes to enum values).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from provena.db.engine import create_engine
from provena.db.errors import DatabaseUnavailableError, MigrationError

__all__ = [
    "MIGRATIONS_DIR",
    "alembic_config",
    "autogenerate_revision",
    "current_revision",
    "downgrade",
    "head_revision",
    "upgrade",
]

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")

# Key of the PostgreSQL advisory lock that serializes migrations: "provena" in ASCII.
_ADVISORY_LOCK_KEY = int.from_bytes(b"provena", "big")


def alembic_config() -> Config:
    """Alembic's configuration for Provena's migrations (no alembic.ini involved)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("file_template", "v%%(rev)s_%%(slug)s")
    return config


def head_revision() -> str:
    """The latest revision the package ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise MigrationError("the package ships no migrations")
    return head


async def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database at `url` up to `revision` (default: the latest)."""
    await _run(url, lambda config: command.upgrade(config, revision))


async def downgrade(url: str, revision: str) -> None:
    """Migrate the database at `url` down to `revision` ("base" removes every table)."""
    await _run(url, lambda config: command.downgrade(config, revision))


async def current_revision(url: str) -> str | None:
    """The revision the database at `url` is at; None if it was never migrated."""
    engine = create_engine(url, migrations=True)
    try:
        async with _connect(engine) as connection:
            return await connection.run_sync(_current_revision)
    finally:
        await engine.dispose()


async def autogenerate_revision(url: str, *, message: str, rev_id: str) -> Path:
    """Write a new revision from the difference between the models and `url`'s schema."""
    scripts: list[Path] = []

    def revision(config: Config) -> None:
        result = command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
        for script in result if isinstance(result, list) else [result]:
            if isinstance(script, Script):
                scripts.append(Path(script.path))

    await _run(url, revision)
    if len(scripts) != 1:
        raise MigrationError(f"expected one new revision file, got {len(scripts)}")
    return scripts[0]


async def _run(url: str, operation: Callable[[Config], object]) -> None:
    engine = create_engine(url, migrations=True)
    try:
        async with _connect(engine) as connection, connection.begin():
            await connection.run_sync(_migrate, operation)
    except CommandError as exc:
        raise MigrationError(str(exc)) from exc
    finally:
        await engine.dispose()


@asynccontextmanager
async def _connect(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    try:
        connection = await engine.connect()
    except (DBAPIError, OSError) as exc:
        reason = exc.orig if isinstance(exc, DBAPIError) else exc
        raise DatabaseUnavailableError(f"cannot connect to the database: {reason}") from exc
    try:
        yield connection
    finally:
        await connection.close()


def _migrate(connection: Connection, operation: Callable[[Config], object]) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY})
    config = alembic_config()
    config.attributes["connection"] = connection
    operation(config)
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
        if broken:
            raise MigrationError(f"migration broke {len(broken)} foreign keys: {broken[:5]}")


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()
