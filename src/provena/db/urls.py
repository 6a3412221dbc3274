"""Database URLs: what operators write, mapped to the async drivers Provena runs on.

    sqlite:///path/provena.db            ->  sqlite+aiosqlite:///path/provena.db
    postgresql://user@host/db            ->  postgresql+psycopg://user@host/db
    postgresql+psycopg://user@host/db    ->  (unchanged)

Anything else raises `UnsupportedDatabaseError`, including in-memory SQLite: every
pooled connection would open a different, empty database, and migrations would run
against yet another one.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import URL, make_url
from sqlalchemy.exc import ArgumentError

from provena.db.errors import UnsupportedDatabaseError

__all__ = ["async_url", "sqlite_path"]

_SQLITE = frozenset({"sqlite", "sqlite+pysqlite", "sqlite+aiosqlite"})
_POSTGRESQL = frozenset({"postgres", "postgresql", "postgresql+psycopg"})


def async_url(url: str | URL) -> URL:
    """`url` with the async driver Provena uses for its backend."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise UnsupportedDatabaseError(f"not a database URL: {_redacted(url)}") from exc
    if parsed.drivername in _SQLITE:
        if sqlite_path(parsed) is None:
            raise UnsupportedDatabaseError(
                "in-memory SQLite is not supported; give a file, e.g. sqlite:///provena.db"
            )
        return parsed.set(drivername="sqlite+aiosqlite")
    if parsed.drivername in _POSTGRESQL:
        return parsed.set(drivername="postgresql+psycopg")
    raise UnsupportedDatabaseError(
        f"unsupported database {parsed.drivername!r} in {_redacted(url)}: "
        "use sqlite:///PATH or postgresql://..."
    )


def sqlite_path(url: URL) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database."""
    database = url.database
    if not database or database == ":memory:" or url.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):
        raise UnsupportedDatabaseError("SQLite URI filenames (file:...) are not supported")
    return Path(database)


def _redacted(url: str | URL) -> str:
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"
