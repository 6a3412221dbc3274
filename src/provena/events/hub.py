"""`FeedHub`: one per API process; wakes its subscribers when feed rows commit.

The hub carries no rows, only wake-ups: each subscriber reads the rows after the last
id it has seen from the table itself. So nothing is lost between wakes, a missed or
coalesced notification costs nothing, and a client resuming with `Last-Event-ID` gets
the same rows from any process, before or after a restart.

    hub = FeedHub(database)
    await hub.start()                       # LISTEN provena_feed (PostgreSQL)
    async with hub.subscribe(after=41, may_see=lambda row: ...) as subscription:
        rows = await subscription.next(wait_seconds=15)      # [] after 15 s of nothing
    await hub.aclose()

Wakes come from PostgreSQL `NOTIFY` (one LISTEN connection per process, reconnected
with backoff) or, on SQLite, from this process's commits; a slow poll covers what
neither sees (another process writing a SQLite file, a LISTEN connection being redialled).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import psycopg
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from provena.db import Database, FeedEvent
from provena.events.feed import CHANNEL, wake_after_commit

__all__ = ["FeedHub", "Subscription"]

_log = logging.getLogger(__name__)

BATCH = 500
"""Rows read per query: a resuming client far behind is caught up in pages."""


class FeedHub:
    """Wake-ups for this process's feed subscribers."""

    def __init__(
        self,
        database: Database,
        *,
        poll_seconds: float | None = None,
        reconnect_max_seconds: float = 10.0,
    ) -> None:
        self._database = database
        postgresql = database.dialect_name == "postgresql"
        self._poll_seconds = poll_seconds or (30.0 if postgresql else 1.0)
        self._reconnect_max = reconnect_max_seconds
        self._woken = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._registration: object | None = None
        self._subscribers = 0
        self._announced: dict[str, _Waiter] = {}
        self._watch = asyncio.Event()

    @property
    def subscribers(self) -> int:
        """How many subscriptions are open (each SSE client holds one)."""
        return self._subscribers

    async def start(self) -> None:
        """Begin listening for commits (LISTEN on PostgreSQL, local commits on SQLite)."""
        if self._database.dialect_name == "postgresql":
            listening = asyncio.get_running_loop().create_future()
            self._tasks.append(asyncio.create_task(self._listen(listening)))
            await listening
        else:
            self._registration = wake_after_commit(self.wake)
        self._tasks.append(asyncio.create_task(self._poll()))
        self._tasks.append(asyncio.create_task(self._watch_announced()))

    async def aclose(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self._registration = None

    def wake(self) -> None:
        """Tell every subscriber to look for new rows."""
        woken, self._woken = self._woken, asyncio.Event()
        woken.set()
        self._watch.set()

    async def latest_id(self) -> int:
        """The id of the newest row (0 if none): where a client that resumes nothing starts."""
        async with self._database.session() as session:
            latest = await session.scalar(select(func.max(FeedEvent.id)))
        return int(latest or 0)

    async def wait_announced(self, tx_id: str) -> None:
        """Return once ledger transaction `tx_id`'s event is in the feed (a row of it other
        than the write path's `transaction.*` status rows): the listener has applied it.

        Bound it with `asyncio.timeout`. One query per wake serves every waiter of the
        process, however many there are.
        """
        waiter = self._announced.get(tx_id)
        if waiter is None:
            waiter = self._announced[tx_id] = _Waiter(asyncio.get_running_loop().create_future())
            self._watch.set()
        waiter.count += 1
        try:
            await asyncio.shield(waiter.done)
        finally:
            waiter.count -= 1
            if waiter.count == 0 and self._announced.get(tx_id) is waiter:
                del self._announced[tx_id]

    async def _watch_announced(self) -> None:
        while True:
            await self._watch.wait()
            self._watch.clear()  # a wake during the query is another round
            if not self._announced:
                continue
            try:
                async with self._database.session() as session:
                    found = list(
                        await session.scalars(
                            select(FeedEvent.tx_id)
                            .where(
                                FeedEvent.tx_id.in_(list(self._announced)),
                                FeedEvent.kind.not_like("transaction.%"),
                            )
                            .distinct()
                        )
                    )
            except (SQLAlchemyError, OSError) as exc:
                _log.warning("feed hub cannot look for announcements (%s); retrying", exc)
                await asyncio.sleep(1.0)
                self._watch.set()
                continue
            for tx_id in found:
                waiter = self._announced.pop(tx_id or "", None)
                if waiter is not None and not waiter.done.done():
                    waiter.done.set_result(None)

    @asynccontextmanager
    async def subscribe(
        self, *, after: int, may_see: Callable[[FeedEvent], bool]
    ) -> AsyncIterator[Subscription]:
        """A subscription to rows with id > `after` that `may_see` lets through."""
        self._subscribers += 1
        try:
            yield Subscription(self, after, may_see)
        finally:
            self._subscribers -= 1

    async def _read(self, after: int) -> list[FeedEvent]:
        async with self._database.session() as session:
            rows = await session.scalars(
                select(FeedEvent).where(FeedEvent.id > after).order_by(FeedEvent.id).limit(BATCH)
            )
            return list(rows)

    def _waiter(self) -> asyncio.Event:
        return self._woken

    async def _listen(self, listening: asyncio.Future[None]) -> None:
        url = self._database.engine.url.set(drivername="postgresql")
        conninfo = url.render_as_string(hide_password=False)
        delay = 0.1
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    if not listening.done():
                        listening.set_result(None)
                    else:
                        _log.info("feed hub listening again on %s", CHANNEL)
                    delay = 0.1
                    self.wake()  # rows may have committed while we were not listening
                    async for _ in connection.notifies():
                        self.wake()
            except (psycopg.Error, OSError) as exc:
                # The API starts (and says it is not ready) while the database is down; the
                # hub keeps trying, and wakes its subscribers once it listens.
                if not listening.done():
                    listening.set_result(None)
                _log.warning(
                    "feed hub lost its LISTEN connection (%s); retrying in %.1fs", exc, delay
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._reconnect_max)

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._poll_seconds)
            self.wake()


@dataclass(slots=True)
class _Waiter:
    """The waiters of one transaction's announcement."""

    done: asyncio.Future[None]
    count: int = 0


class Subscription:
    """One client's cursor on the feed: every visible row after `after`, once, in order."""

    def __init__(self, hub: FeedHub, after: int, may_see: Callable[[FeedEvent], bool]) -> None:
        self._hub = hub
        self._after = after
        self._may_see = may_see

    @property
    def last_id(self) -> int:
        """The id of the last row read (seen or filtered out)."""
        return self._after

    async def next(self, *, wait_seconds: float) -> list[FeedEvent]:
        """The next visible rows, waiting up to `wait_seconds` for some ([] if none)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait_seconds
        while True:
            waiter = self._hub._waiter()  # taken before reading: a wake during the read counts
            rows = await self._hub._read(self._after)
            if rows:
                self._after = rows[-1].id
                visible = [row for row in rows if self._may_see(row)]
                if visible:
                    return visible
                continue
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(waiter.wait(), remaining)
            except TimeoutError:
                return []
