"""`GroupCommit`: small write transactions of one process, committed together when they queue.

Thirty-two requests that each insert a row and commit make thirty-two transactions, one
after another on SQLite; each costs its round trips whatever it writes. Handed to a
`GroupCommit`, the works that queue while one transaction runs share the next one:

    group = GroupCommit(database)
    row = await group.run(lambda session: record(session, ...))   # after the commit

A work runs in the shared session and must leave committing to the group. If any work of
a batch raises, or the commit fails, the batch is rolled back and each of its works runs
again alone, so one bad row costs its own caller an error and nobody else anything. A work
may therefore run twice: it must only write through the session it is given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from provena.db.database import Database

__all__ = ["GroupCommit", "Work"]

T = TypeVar("T")

Work = Callable[[AsyncSession], Awaitable[T]]
"""Writes through the session it is given, without committing; returns what the caller needs."""


@dataclass(slots=True)
class _Queued(Generic[T]):
    work: Work[T]
    done: asyncio.Future[T]


class GroupCommit:
    """Runs works in shared write transactions (see the module docstring)."""

    def __init__(self, database: Database, *, max_batch: int = 100) -> None:
        self._database = database
        self._max_batch = max_batch
        self._queue: list[_Queued[Any]] = []
        self._running: asyncio.Task[None] | None = None

    async def run(self, work: Work[T]) -> T:
        """`work`'s result once its transaction has committed; its error if it raised."""
        queued: _Queued[T] = _Queued(work, asyncio.get_running_loop().create_future())
        self._queue.append(queued)
        if self._running is None:
            self._running = asyncio.create_task(self._drain())
        return await asyncio.shield(queued.done)  # a caller leaving must not undo the rest

    async def _drain(self) -> None:
        try:
            while self._queue:
                batch = self._queue[: self._max_batch]
                del self._queue[: self._max_batch]
                if not await self._together(batch):
                    for queued in batch:
                        await self._alone(queued)
        finally:
            self._running = None

    async def _together(self, batch: list[_Queued[Any]]) -> bool:
        """Run `batch` in one transaction; False (all rolled back) if anything failed."""
        if len(batch) == 1:
            return False
        try:
            async with self._database.writing() as session:
                results = [await queued.work(session) for queued in batch]
                await session.commit()
        except Exception:
            return False
        for queued, result in zip(batch, results, strict=True):
            queued.done.set_result(result)
        return True

    async def _alone(self, queued: _Queued[Any]) -> None:
        try:
            async with self._database.writing() as session:
                result = await queued.work(session)
                await session.commit()
        except Exception as exc:
            queued.done.set_exception(exc)
            queued.done.exception()  # retrieved: a caller that left must not log it unseen
        else:
            queued.done.set_result(result)
