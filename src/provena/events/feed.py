"""Writing the live feed: `publish` a row in the transaction of the change it announces.

    await publish(session, "transaction.committed", {"tx_id": tx_id, "block": 7},
                  audience=["ProducerMSP"], tx_id=tx_id, block_number=7)
    await session.commit()        # subscribers of every API process are woken now

Ordering: a resuming client asks for the rows after the last id it saw, so ids must
become visible in id order. PostgreSQL hands out sequence values before commit, so two
transactions could commit out of order and a reader could skip the slower one's row;
`publish` therefore takes a transaction-scoped advisory lock first, and feed-writing
transactions commit one after another. SQLite has one writer at a time anyway.

Waking: on PostgreSQL `NOTIFY provena_feed` in the same transaction (delivered on commit,
to every process LISTENing); on SQLite the hubs of this process are woken after commit.

Cost: the lock and the notification are taken once per transaction, and the rows are
inserted just before the commit, all with one statement (no ids are read back: SQLite
could not say which id went to which row of a multi-row insert).
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, event, insert, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from provena.db import FeedEvent, utcnow

__all__ = ["CHANNEL", "Announcement", "publish", "wake_after_commit"]

CHANNEL = "provena_feed"
"""The PostgreSQL notification channel feed hubs LISTEN on."""

FEED_LOCK_KEY = 0x70726F76_66656564  # "provfeed": serialises feed writers (see module doc)

# The rows to insert before this transaction commits; there once it published (and so, on
# PostgreSQL, holds the feed lock and notifies), until it commits or rolls back.
_PENDING = "provena.feed.pending"
_local_wakers: weakref.WeakSet[_Waker] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class Announcement:
    """What a projection tells the feed about one applied event."""

    kind: str
    payload: Mapping[str, Any]
    audience: Sequence[str] = field(default_factory=tuple)


async def publish(
    session: AsyncSession,
    kind: str,
    payload: Mapping[str, Any],
    audience: Sequence[str],
    tx_id: str | None = None,
    block_number: int | None = None,
) -> None:
    """Add one feed row to `session`'s transaction; it is announced when that commits.

    `kind` is dotted lowercase (`certificate.issued`, `transaction.committed`); `payload`
    is any JSON object; `audience` lists the MSP ids allowed to see the row (auditors see
    every row); `tx_id` and `block_number` name the ledger transaction, when there is one.
    The row is inserted when the caller commits; its `id` is the SSE event id.
    """
    pending: list[dict[str, Any]] | None = session.sync_session.info.get(_PENDING)
    if pending is None:
        if session.get_bind().dialect.name == "postgresql":
            lock = {"key": FEED_LOCK_KEY}
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), lock)
            # hubs read what is new on any notification: its payload says nothing more
            await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})
        pending = session.sync_session.info[_PENDING] = []
    pending.append(
        {
            "kind": kind,
            "payload": dict(payload),
            "audience": sorted(set(audience)),
            "tx_id": tx_id,
            "block_number": block_number,
            "created_at": utcnow(),
        }
    )


class _Waker:
    """A hub's wake-up, callable from any thread after a local commit."""

    def __init__(self, loop: asyncio.AbstractEventLoop, wake: Callable[[], None]) -> None:
        self._loop = loop
        self._wake = wake

    def __call__(self) -> None:
        if not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake)


def wake_after_commit(wake: Callable[[], None]) -> object:
    """Call `wake` (in the running loop) after every local commit that published a row.

    Returns a handle: the registration lasts as long as the caller keeps it.
    """
    waker = _Waker(asyncio.get_running_loop(), wake)
    _local_wakers.add(waker)
    return waker


@event.listens_for(Session, "before_commit")
def _insert_pending(session: Session) -> None:
    rows = session.info.get(_PENDING)
    if rows:
        session.execute(insert(cast(Table, FeedEvent.__table__)), rows)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_PENDING, None) and session.get_bind().dialect.name != "postgresql":
        for waker in list(_local_wakers):
            waker()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
