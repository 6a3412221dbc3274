"""Rebuilding the projections from block 0, and checking them against a rebuild.

Both replay the ledger's chaincode events through the projections' `apply`, in one
database transaction, up to where the listener's checkpoint stands: that is exactly
the set of events the stored projection claims to reflect. `rebuild` empties the
projection tables first and commits, so readers see the old projection until the new one
is whole; the checkpoint ends where it was. `check` does the same, compares every row
with what was stored, and rolls back. Neither writes the feed: those events were
announced when they first happened. Both hold the listener lock while they run, so no
listener applies events underneath them.

The replay writes the projections' rows through `batched_upserts`, a thousand events'
rows at a time, so its speed is the speed of decoding events, not of statements, and its
memory is one batch, however long the ledger.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import (
    Certificate,
    CertificateDocument,
    Checkpoint,
    CustodyTransfer,
    Database,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
)
from provena.events import DatabaseCheckpointer, ListenerBusyError, batched_upserts, listener_lock
from provena.fabric import ChaincodeEvent, CloseableAsyncIterator, Gateway
from provena.projections.dispatch import apply

__all__ = [
    "PROJECTION_TABLES",
    "Difference",
    "NothingToRebuildError",
    "check",
    "rebuild",
    "replay",
]

PROJECTION_TABLES: tuple[Table, ...] = tuple(
    cast(Table, model.__table__)
    for model in (
        Certificate,
        CertificateDocument,
        Shipment,
        ShipmentItem,
        ShipmentDocument,
        CustodyTransfer,
        Checkpoint,
    )
)
"""The tables built from ledger events, parents before children."""

_BATCH_EVENTS = 1000
"""Events whose rows a replay writes together (bounds its memory, not its transaction)."""

_IGNORED = frozenset({"updated_at"})  # when this database wrote the row, not ledger data

Progress = Callable[[int, ChaincodeEvent], None]
Row = dict[str, Any]


class NothingToRebuildError(Exception):
    """The listener has applied no event yet, so there is no projection to rebuild."""


@dataclass(frozen=True, slots=True)
class Difference:
    """One row that differs between the stored projection and a rebuild of it."""

    table: str
    key: tuple[Any, ...]
    stored: Row | None
    rebuilt: Row | None

    def __str__(self) -> str:
        if self.stored is None:
            return f"{self.table} {self.key}: missing from the database; rebuilt {self.rebuilt}"
        if self.rebuilt is None:
            return f"{self.table} {self.key}: in the database but not on the ledger {self.stored}"
        changed = {
            name: (value, self.rebuilt.get(name))
            for name, value in self.stored.items()
            if self.rebuilt.get(name) != value
        }
        details = ", ".join(f"{n}: stored {s!r}, ledger {r!r}" for n, (s, r) in changed.items())
        return f"{self.table} {self.key}: {details}"


async def rebuild(
    database: Database,
    gateway: Gateway,
    *,
    channel: str,
    chaincode: str,
    listener: str = "projections",
    progress: Progress | None = None,
) -> int:
    """Empty the projection tables and replay the ledger into them; the events replayed."""
    lock = listener_lock(database, listener)
    if not await lock.try_acquire():
        raise ListenerBusyError(f"listener {listener!r} is running: stop it to rebuild")
    try:
        async with database.session() as session:
            events = await _events(gateway, channel, chaincode)
            async with events:
                count = await replay(session, events, listener=listener, progress=progress)
            await session.commit()
        return count
    finally:
        await lock.release()


async def check(
    database: Database,
    gateway: Gateway,
    *,
    channel: str,
    chaincode: str,
    listener: str = "projections",
    progress: Progress | None = None,
) -> list[Difference]:
    """Rebuild in a transaction that is rolled back; every row that differs from the stored."""
    lock = listener_lock(database, listener)
    if not await lock.try_acquire():
        raise ListenerBusyError(f"listener {listener!r} is running: stop it to check")
    try:
        async with database.session() as session:
            stored = await _snapshot(session)
            events = await _events(gateway, channel, chaincode)
            async with events:
                await replay(session, events, listener=listener, progress=progress)
            rebuilt = await _snapshot(session)
            await session.rollback()
        return _compare(stored, rebuilt)
    finally:
        await lock.release()


async def replay(
    session: AsyncSession,
    events: AsyncIterable[ChaincodeEvent],
    *,
    listener: str = "projections",
    progress: Progress | None = None,
) -> int:
    """In `session`'s transaction: empty the projections and apply `events` from the first
    up to the listener's checkpoint, which ends where it was. Returns the events applied."""
    checkpointer = DatabaseCheckpointer(listener)
    await checkpointer.load(session)
    target_block, target_tx = checkpointer.block_number, checkpointer.transaction_id
    if target_block is None:
        raise NothingToRebuildError(f"listener {listener!r} has applied no event yet")
    for table in reversed(PROJECTION_TABLES):
        await session.execute(delete(table))
    await checkpointer.reset(session)
    count, last = 0, None
    async with batched_upserts(session) as batch:
        async for event in events:
            if event.block_number > target_block or (
                target_tx is None and event.block_number == target_block
            ):
                break
            await apply(session, event)
            count, last = count + 1, event
            if count % _BATCH_EVENTS == 0:
                await batch.flush()
            if progress is not None:
                progress(count, event)
            if event.block_number == target_block and event.transaction_id == target_tx:
                break
    if last is not None:
        await checkpointer.advance(session, last)
    return count


async def _events(
    gateway: Gateway, channel: str, chaincode: str
) -> CloseableAsyncIterator[ChaincodeEvent]:
    return await gateway.get_network(channel).chaincode_events(chaincode, start_block=0)


async def _snapshot(session: AsyncSession) -> dict[str, dict[tuple[Any, ...], Row]]:
    tables: dict[str, dict[tuple[Any, ...], Row]] = {}
    for table in PROJECTION_TABLES:
        keys = [column.name for column in table.primary_key.columns]
        rows = (await session.execute(select(table))).mappings()
        tables[table.name] = {
            tuple(row[k] for k in keys): {n: v for n, v in row.items() if n not in _IGNORED}
            for row in rows
        }
    return tables


def _compare(
    stored: Mapping[str, Mapping[tuple[Any, ...], Row]],
    rebuilt: Mapping[str, Mapping[tuple[Any, ...], Row]],
) -> list[Difference]:
    differences = []
    for table in PROJECTION_TABLES:
        before, after = stored[table.name], rebuilt[table.name]
        for key in sorted(before.keys() | after.keys(), key=repr):
            if before.get(key) != after.get(key):
                differences.append(Difference(table.name, key, before.get(key), after.get(key)))
    return differences
