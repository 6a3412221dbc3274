"""`Database`: one async engine and the sessions made from it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from types import TracebackType

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from provena.db.engine import create_engine
from provena.db.errors import DatabaseUnavailableError

__all__ = ["Database"]


class Database:
    """The application's database: an async engine and a session factory.

    Equivalent to::

        engine = create_async_engine(async_url(url), ...)   # plus SQLite pragmas
        sessions = async_sessionmaker(engine, expire_on_commit=False)

    Sessions do not commit by themselves; leaving `session()` rolls back whatever was
    not committed. Objects stay usable after commit (`expire_on_commit=False`), as
    async code cannot lazily reload them.

    Sessions that write come from `writing()`. On SQLite, one file has one writer at a
    time: this process's writers take turns in arrival order on an asyncio lock, rather
    than race for the file's lock, whose busy handler sleeps ever longer, serves no one
    in order, and fails a transaction that read before another writer committed.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._sessionmaker = async_sessionmaker(engine, expire_on_commit=False)
        self._write_turn: AbstractAsyncContextManager[object] = (
            asyncio.Lock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @classmethod
    def from_url(cls, url: str, *, echo: bool = False) -> Database:
        """A database for `sqlite:///PATH` or `postgresql://...` (async drivers implied)."""
        return cls(create_engine(url, echo=echo))

    @property
    def engine(self) -> AsyncEngine:
        return self._engine

    @property
    def sessionmaker(self) -> async_sessionmaker[AsyncSession]:
        return self._sessionmaker

    @property
    def dialect_name(self) -> str:
        """The backend: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A new session, closed (and rolled back unless committed) on exit."""
        async with self._sessionmaker() as session:
            yield session

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A new session for a transaction that writes (see the class docstring); do no
        network calls inside, as other writers of this process wait for it on SQLite."""
        async with self._write_turn, self._sessionmaker() as session:
            yield session

    async def ping(self) -> None:
        """Run `SELECT 1`; raises `DatabaseUnavailableError` if the database does not answer."""
        try:
            async with self._engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except (DBAPIError, OSError) as exc:
            reason = exc.orig if isinstance(exc, DBAPIError) else exc
            raise DatabaseUnavailableError(f"database did not answer: {reason}") from exc

    async def dispose(self) -> None:
        """Close every pooled connection. The database may be used again afterwards."""
        await self._engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.dispose()

    def __repr__(self) -> str:
        return f"Database({self._engine.url.render_as_string(hide_password=True)!r})"
