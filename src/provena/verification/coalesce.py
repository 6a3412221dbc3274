"""`CoalescedReads`: many concurrent reads of keys, answered by one query at a time.

A read joins the next query: the one that starts once the query running when it arrived
(if any) has finished. So every answer comes from a query that began after its request
arrived, and shows every commit made before that, while a thousand requests a second
cost one query per query's latency instead of one each:

    versions = CoalescedReads(read_versions)       # async (ids) -> {id: version}
    version = await versions.read("C-1")            # None if the query did not find it
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Generic, TypeVar

__all__ = ["CoalescedReads"]

K = TypeVar("K")
V = TypeVar("V")


class CoalescedReads(Generic[K, V]):
    """Reads of keys through `read_many`, one call at a time, each for every key asked
    since the previous call began (see the module docstring)."""

    def __init__(self, read_many: Callable[[list[K]], Awaitable[Mapping[K, V]]]) -> None:
        self._read_many = read_many
        self._waiting: dict[K, asyncio.Future[V | None]] = {}
        self._running: asyncio.Task[None] | None = None

    async def read(self, key: K) -> V | None:
        """The value of `key`, from a query that starts after this call (None if absent);
        the query's error if it failed."""
        waiting = self._waiting.get(key)
        if waiting is None:
            waiting = self._waiting[key] = asyncio.get_running_loop().create_future()
        if self._running is None:
            self._start()
        return await asyncio.shield(waiting)  # one caller leaving must not cancel the rest

    def _start(self) -> None:
        batch, self._waiting = self._waiting, {}
        self._running = asyncio.create_task(self._run(batch))

    async def _run(self, batch: dict[K, asyncio.Future[V | None]]) -> None:
        try:
            found = await self._read_many(list(batch))
        except asyncio.CancelledError:
            for waiting in batch.values():
                waiting.cancel()
            self._running = None
            raise
        except Exception as exc:  # every caller of this batch gets it
            for waiting in batch.values():
                waiting.set_exception(exc)
                waiting.exception()  # retrieved: a caller that left must not log it unseen
        else:
            for key, waiting in batch.items():
                waiting.set_result(found.get(key))
        self._running = None
        if self._waiting:
            self._start()
