"""`CoalescedReads`: concurrent reads share queries, and none is answered by a query that
began before it arrived."""

from __future__ import annotations

import asyncio

import pytest

from provena.verification import CoalescedReads


class Store:
    """Values that change, read in batches that can be held open."""

    def __init__(self) -> None:
        self.values = {"a": 1, "b": 1}
        self.batches: list[list[str]] = []
        self.began = asyncio.Event()
        self.hold = asyncio.Event()
        self.hold.set()
        self.fail: Exception | None = None

    async def read_many(self, keys: list[str]) -> dict[str, int]:
        self.batches.append(sorted(keys))
        snapshot = {k: self.values[k] for k in keys if k in self.values}  # when it began
        self.began.set()
        await self.hold.wait()
        if self.fail is not None:
            raise self.fail
        return snapshot


async def test_concurrent_reads_share_one_query_after_the_first() -> None:
    store = Store()
    reads = CoalescedReads(store.read_many)
    store.hold.clear()
    first = asyncio.create_task(reads.read("a"))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(reads.read(key)) for key in ["a", "b", "missing"] * 20]
    await asyncio.sleep(0)
    store.hold.set()
    assert await first == 1
    assert await asyncio.gather(*rest) == [1, 1, None] * 20
    assert store.batches == [["a"], ["a", "b", "missing"]]


async def test_a_read_is_never_answered_by_a_query_that_began_before_it() -> None:
    store = Store()
    reads = CoalescedReads(store.read_many)
    store.hold.clear()
    early = asyncio.create_task(reads.read("a"))
    await store.began.wait()  # its query has begun, and read the old value
    store.values["a"] = 2  # a commit, then a request
    late = asyncio.create_task(reads.read("a"))
    await asyncio.sleep(0)
    store.hold.set()
    assert (await early, await late) == (1, 2)


async def test_a_failed_query_fails_its_readers_only() -> None:
    store = Store()
    reads = CoalescedReads(store.read_many)
    store.fail = RuntimeError("database down")
    with pytest.raises(RuntimeError, match="database down"):
        await reads.read("a")
    store.fail = None
    assert await reads.read("a") == 1


async def test_a_reader_that_leaves_does_not_cancel_the_others() -> None:
    store = Store()
    reads = CoalescedReads(store.read_many)
    store.hold.clear()
    leaving = asyncio.create_task(reads.read("a"))
    staying = asyncio.create_task(reads.read("a"))
    await asyncio.sleep(0)
    leaving.cancel()
    store.hold.set()
    await asyncio.wait([staying], timeout=5)
    assert not staying.cancelled()
    assert staying.result() == 1
    assert leaving.cancelled()
