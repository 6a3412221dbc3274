"""`ListenerLock`: one active listener per database and listener name; the others stand by.

On PostgreSQL it is a session-level advisory lock (`pg_try_advisory_lock`) held on a
connection of its own, so it is released the moment the holder's process or connection
dies, and a standby takes over. On SQLite (one machine by nature) it is an exclusive
`flock` on a file beside the database, released by the kernel when the holder exits.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
from pathlib import Path
from typing import Protocol

import psycopg
from sqlalchemy import URL

from provena.db import Database
from provena.events.errors import EventsError

__all__ = ["ListenerLock", "LockLostError", "listener_lock"]


class LockLostError(EventsError):
    """The lock was held and is no longer (its connection died)."""


class ListenerLock(Protocol):
    async def try_acquire(self) -> bool:
        """Take the lock if it is free; True if this holder has it now."""
        ...

    async def watch(self) -> None:
        """Return never while the lock is held; raise `LockLostError` when it is lost."""
        ...

    async def release(self) -> None:
        """Give the lock up (a no-op if not held)."""
        ...


def listener_lock(database: Database, name: str, *, check_seconds: float = 2.0) -> ListenerLock:
    """The lock for listener `name` on `database`'s backend."""
    url = database.engine.url
    if database.dialect_name == "postgresql":
        return _AdvisoryLock(url, name, check_seconds)
    assert url.database is not None
    return _FileLock(Path(url.database).with_name(f"{Path(url.database).name}.{name}.lock"))


def _lock_key(name: str) -> int:
    """A stable signed 64-bit key for `name` (advisory locks are numbered)."""
    return int.from_bytes(
        hashlib.sha256(f"provena.listener:{name}".encode()).digest()[:8], "big", signed=True
    )


class _AdvisoryLock:
    def __init__(self, url: URL, name: str, check_seconds: float) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._key = _lock_key(name)
        self._check_seconds = check_seconds
        self._connection: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def try_acquire(self) -> bool:
        if self._connection is None:
            self._connection = await psycopg.AsyncConnection.connect(
                self._conninfo, autocommit=True
            )
        cursor = await self._connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
        row = await cursor.fetchone()
        held = bool(row and row[0])
        if not held:
            await self._close()
        return held

    async def watch(self) -> None:
        while True:
            await asyncio.sleep(self._check_seconds)
            if self._connection is None:
                raise LockLostError("advisory lock was released")
            try:
                await self._connection.execute("SELECT 1")
            except psycopg.Error as exc:
                await self._close()
                raise LockLostError(f"advisory lock connection lost: {exc}") from exc

    async def release(self) -> None:
        await self._close()  # closing the session releases its advisory locks

    async def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()


class _FileLock:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    async def watch(self) -> None:
        await asyncio.Event().wait()  # a file lock is held until released or the process ends

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock
