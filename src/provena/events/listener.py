"""`EventListener`: the ledger's chaincode events, each applied to the database exactly once.

    listener = EventListener(database, gateway_factory, channel="provena",
                             chaincode="provena", handler=apply)
    task = asyncio.create_task(listener.run())      # stands by until it holds the lock

For each event, one database transaction does everything: the handler applies it
(projection rows), the `Announcement` it returns becomes a feed row, the checkpoint
moves past it, commit. A crash before the commit leaves nothing; after it, the listener
resumes after that event. The checkpoint only moves by compare-and-set, so even two
listeners running at once could not both apply one event.

Restarts of the ledger (or a dropped stream) are survived: the listener reconnects with
exponential backoff and resumes from the stored checkpoint. Only one listener per
database and name is active (`ListenerLock`); the others retry the lock and take over
when the holder dies.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database
from provena.events.checkpointer import DatabaseCheckpointer
from provena.events.errors import CheckpointConflictError
from provena.events.feed import Announcement, publish
from provena.events.lock import ListenerLock, LockLostError, listener_lock
from provena.fabric import ChaincodeEvent, FabricError, Gateway

__all__ = ["EventHandler", "EventListener", "ListenerOptions", "apply_event"]

_log = logging.getLogger(__name__)

EventHandler = Callable[[AsyncSession, ChaincodeEvent], Awaitable[Announcement | None]]
"""Applies one event in the session's transaction; what it returns goes to the feed."""

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


async def apply_event(
    session: AsyncSession,
    event: ChaincodeEvent,
    handler: EventHandler,
    checkpointer: DatabaseCheckpointer,
    *,
    announce: bool = True,
) -> None:
    """Apply `event`, write its feed row (if `announce`), and move the checkpoint past it,
    all in `session`'s transaction; the caller commits."""
    announcement = await handler(session, event)
    if announce and announcement is not None:
        await publish(
            session,
            announcement.kind,
            announcement.payload,
            announcement.audience,
            tx_id=event.transaction_id,
            block_number=event.block_number,
        )
    await checkpointer.advance(session, event)


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
    ) -> None:
        self._database = database
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
            async with events:
                async for event in events:
                    async with self._database.session() as session:
                        await apply_event(session, event, self._handler, checkpointer)
                        await session.commit()


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
