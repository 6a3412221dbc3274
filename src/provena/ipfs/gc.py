"""Garbage collection and DAG verification over a blockstore.

GC is mark and sweep: mark every block reachable from a pin (each verified on the way, so
a corrupt pinned DAG stops GC rather than losing data), then delete every other block.
Both happen under the blockstore's GC lock (`gclock`), which every add holds shared from its
first block to its pin: a GC never sees the blocks of an add in flight, so it cannot delete
what is about to be pinned, and an add never writes between a GC's mark and its sweep.
"""

from __future__ import annotations

from dataclasses import dataclass

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.cid import CID, block_key
from provena.ipfs.exporter import walk
from provena.ipfs.gclock import gc_lock

__all__ = ["GcResult", "collect_garbage", "verify_dag"]


@dataclass(frozen=True, slots=True)
class GcResult:
    kept: int
    removed: list[str]


async def collect_garbage(blockstore: Blockstore) -> GcResult:
    """Delete every block no pin reaches; return what was kept and the removed keys."""
    async with gc_lock(blockstore):
        live: set[str] = set()
        for root in await blockstore.pins():
            async for cid, _data in walk(blockstore, root):
                live.add(block_key(cid))
        removed = [key async for key in blockstore.block_keys() if key not in live]
        for key in removed:
            await blockstore.discard(key)
    return GcResult(kept=len(live), removed=removed)


async def verify_dag(blockstore: Blockstore, root: CID) -> int:
    """Check every block under `root` is present and intact; return how many there are."""
    count = 0
    async for _ in walk(blockstore, root):
        count += 1
    return count
