"""Commit notifications: waiters for one transaction, and block streams from any height.

`wait(tx_id)` answers at once for a transaction already in the ledger, else when the block
holding it commits. `subscribe(n)` is an async iterator over blocks n, n+1, …: it reads
committed blocks from the store and then sleeps until the next commit, so it never skips
nor repeats a block and holds no per-subscriber queue (a slow reader costs no memory; it
just reads older blocks from the store).

    commit k ──► wake every tx waiter of block k ──► resolve the "next block" future
                                                     └─► subscribers re-read the store
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence

from fabric_protos.common import common_pb2

from provena.devnet.ledger.store import LedgerStore, TxLocation, TxRecord

__all__ = ["CommitNotifier"]


class CommitNotifier:
    """Fans a channel's commits out to CommitStatus waiters and Deliver-like streams."""

    def __init__(self, store: LedgerStore) -> None:
        self._store = store
        self._waiters: dict[str, list[asyncio.Future[TxLocation]]] = {}
        self._next_block: asyncio.Future[None] | None = None

    async def wait(self, tx_id: str) -> TxLocation:
        """Where `tx_id` committed (block, number, validation code), once it has."""
        location = self._store.tx_location(tx_id)
        if location is not None:
            return location
        future: asyncio.Future[TxLocation] = asyncio.get_running_loop().create_future()
        waiters = self._waiters.setdefault(tx_id, [])
        waiters.append(future)
        try:
            return await future
        finally:
            waiters.remove(future)
            if not waiters:
                del self._waiters[tx_id]

    def committed(self, records: Sequence[TxRecord]) -> None:
        """Tell waiters and subscribers that a block with these outcomes is in the store."""
        for record in records:
            waiters = self._waiters.get(record.tx_id)
            if waiters:
                location = self._store.tx_location(record.tx_id)
                for future in waiters:
                    if location is not None and not future.done():
                        future.set_result(location)
        if self._next_block is not None:
            self._next_block.set_result(None)
            self._next_block = None

    async def _await_commit(self) -> None:
        if self._next_block is None:
            self._next_block = asyncio.get_running_loop().create_future()
        await asyncio.shield(self._next_block)

    async def subscribe(self, start_block: int) -> AsyncIterator[common_pb2.Block]:
        """Blocks from `start_block` on: the committed ones, then each new one as it commits."""
        number = start_block
        while True:
            block = self._store.block(number)
            if block is None:
                await self._await_commit()
                continue
            yield block
            number += 1
