"""`EventListener`: the ledger's chaincode events, each applied to the database exactly once.

    listener = EventListener(database, gateway_factory, channel="provena",
                             chaincode="provena", handler=apply)
    task = asyncio.create_task(listener.run())      # stands by until it holds the lock

Events are applied in batches: every event the stream has delivered while the last
batch was being applied (up to `ListenerOptions.batch_max_events`), so a burst costs a
few commits instead of one per event, and a lone event waits for nothing. One database
transaction does everything for a batch: the handler applies each event (projection
rows), the `Announcement` it returns becomes a feed row, the checkpoint moves past the
last event, commit. A crash before the commit leaves nothing of the batch; after it, the
listener resumes after its last event. The checkpoint only moves by compare-and-set, so
even two listeners running at once could not both apply one event.

    stream ──► read-ahead task ──► queue ──► [e1 e2 e3] ──► one transaction ──► commit
                (keeps reading while a batch is applied)

Restarts of the ledger (or a dropped stream) are survived: the listener reconnects with
exponential backoff and resumes from the stored checkpoint. Only one listener per
database and name is active (`ListenerLock`); the others retry the lock and take over
when the holder dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database
from provena.events.checkpointer import DatabaseCheckpointer
from provena.events.errors import CheckpointConflictError
from provena.events.feed import Announcement, publish
from provena.events.lock import ListenerLock, LockLostError, listener_lock
from provena.events.upsert import batched_upserts
from provena.fabric import ChaincodeEvent, FabricError, Gateway

__all__ = ["EventHandler", "EventListener", "ListenerOptions", "apply_events"]

_log = logging.getLogger(__name__)

T = TypeVar("T")

EventHandler = Callable[[AsyncSession, ChaincodeEvent], Awaitable[Announcement | None]]
"""Applies one event in the session's transaction; what it returns goes to the feed.

A handler writes (`upsert`, `session.add`) and never reads back what it or an earlier
event of the batch wrote: the batch's upserts are deferred and written together."""

GatewayFactory = Callable[[], Gateway]
"""A new, unopened gateway connection (called again after every failure)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ListenerOptions:
    name: str = "projections"
    """The checkpoint row and lock this listener owns."""
    standby_seconds: float = 1.0
    """How often a standby listener retries the lock."""
    backoff_initial_seconds: float = 0.2
    backoff_max_seconds: float = 10.0
    lock_check_seconds: float = 2.0
    batch_max_events: int = 500
    """The most events applied in one database transaction."""


async def apply_events(
    session: AsyncSession,
    events: Sequence[ChaincodeEvent],
    handler: EventHandler,
    checkpointer: DatabaseCheckpointer,
) -> None:
    """Apply `events` in order, write their feed rows, and move the
    checkpoint past the last, all in `session`'s transaction; the caller commits. The
    upserts of the batch are written together, one statement per table."""
    async with batched_upserts(session):
        for event in events:
            announcement = await handler(session, event)
            if announcement is not None:
                await publish(
                    session,
                    announcement.kind,
                    announcement.payload,
                    announcement.audience,
                    tx_id=event.transaction_id,
                    block_number=event.block_number,
                )
    if events:
        await checkpointer.advance(session, events[-1])


class EventListener:
    """Follows one chaincode's events into the database (see the module docstring)."""

    def __init__(
        self,
        database: Database,
        gateway_factory: GatewayFactory,
        *,
        channel: str,
        chaincode: str,
        handler: EventHandler,
        options: ListenerOptions | None = None,
        on_applied: Callable[[Sequence[ChaincodeEvent]], None] | None = None,
    ) -> None:
        self._database = database
        self._on_applied = on_applied  # after each batch's commit
        self._gateway_factory = gateway_factory
        self._channel = channel
        self._chaincode = chaincode
        self._handler = handler
        self._options = options or ListenerOptions()
        self._checkpointer = DatabaseCheckpointer(self._options.name)
        self._lock: ListenerLock = listener_lock(
            database, self._options.name, check_seconds=self._options.lock_check_seconds
        )
        self._active = asyncio.Event()

    @property
    def active(self) -> bool:
        """Whether this instance holds the lock and follows the ledger."""
        return self._active.is_set()

    async def wait_active(self) -> None:
        await self._active.wait()

    async def run(self) -> None:
        """Stand by until the lock is ours, then apply events until cancelled."""
        waiting_logged = False
        while True:
            if not await self._lock.try_acquire():
                if not waiting_logged:
                    _log.info(
                        "listener %s standing by: another instance is active", self._options.name
                    )
                    waiting_logged = True
                await asyncio.sleep(self._options.standby_seconds)
                continue
            waiting_logged = False
            _log.info("listener %s active", self._options.name)
            self._active.set()
            try:
                await _first_of(self._follow(), self._lock.watch())
            except LockLostError as exc:
                _log.warning("listener %s lost its lock (%s); standing by", self._options.name, exc)
            finally:
                self._active.clear()
                await self._lock.release()

    async def _follow(self) -> None:
        delay = self._options.backoff_initial_seconds
        while True:
            try:
                await self._stream()
            except (
                FabricError,
                SQLAlchemyError,
                CheckpointConflictError,
                OSError,
                ValueError,
            ) as exc:
                _log.warning(
                    "listener %s: %s: %s; resuming from the checkpoint in %.1fs",
                    self._options.name,
                    type(exc).__name__,
                    exc,
                    delay,
                )
                await asyncio.sleep(delay)
                delay = min(delay * 2, self._options.backoff_max_seconds)
            else:
                delay = self._options.backoff_initial_seconds

    async def _stream(self) -> None:
        """Read and apply events from the stored checkpoint until the stream fails or ends."""
        async with self._database.session() as session:
            await self._checkpointer.load(session)
        checkpointer = self._checkpointer
        _log.info(
            "listener %s reading %s events from block %s after tx %s",
            self._options.name,
            self._chaincode,
            checkpointer.block_number or 0,
            checkpointer.transaction_id,
        )
        async with self._gateway_factory() as gateway:
            network = gateway.get_network(self._channel)
            events = await network.chaincode_events(
                self._chaincode,
                start_block=0,
                checkpoint=checkpointer if checkpointer.block_number is not None else None,
            )
            async with (
                events,
                contextlib.aclosing(
                    _ready_batches(events, max_size=self._options.batch_max_events)
                ) as batches,
            ):
                async for batch in batches:
                    async with self._database.writing() as session:
                        await apply_events(session, batch, self._handler, checkpointer)
                        await session.commit()
                    if self._on_applied is not None:
                        self._on_applied(batch)


@dataclass(frozen=True, slots=True)
class _Ended:
    """Put in the queue after the stream's last event: how the stream ended."""

    error: Exception | None


async def _ready_batches(
    events: AsyncIterator[T], *, max_size: int
) -> AsyncGenerator[list[T], None]:
    """Lists of what `events` has delivered since the last list, at most `max_size` each.

    The first event of a list is waited for, the rest are taken as they are, never waited
    for: a burst comes in a few lists, a lone event at once. A task reads ahead (up to
    `max_size` events) while the caller works on a list. The stream's end or error comes
    after the events read before it. Close the iterator (`contextlib.aclosing`) to stop
    the reader; the stream itself stays the caller's to close.
    """
    queue: asyncio.Queue[T | _Ended] = asyncio.Queue(max_size)
    reader = asyncio.create_task(_read_ahead(events, queue))
    try:
        while True:
            batch: list[T] = []
            item = await queue.get()
            while not isinstance(item, _Ended):
                batch.append(item)
                if len(batch) == max_size or queue.empty():
                    break
                item = queue.get_nowait()
            if batch:
                yield batch
            if isinstance(item, _Ended):
                if item.error is not None:
                    raise item.error
                return
    finally:
        reader.cancel()
        await asyncio.gather(reader, return_exceptions=True)


async def _read_ahead(events: AsyncIterator[T], queue: asyncio.Queue[T | _Ended]) -> None:
    try:
        async for event in events:
            await queue.put(event)
    except Exception as exc:  # raised again by the consumer, after the events before it
        await queue.put(_Ended(exc))
    else:
        await queue.put(_Ended(None))


async def _first_of(*work: Awaitable[None]) -> None:
    """Run `work` together until one finishes; cancel the rest; re-raise its error."""
    tasks = [asyncio.ensure_future(w) for w in work]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()
