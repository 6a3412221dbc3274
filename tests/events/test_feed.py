"""The checkpoint's compare-and-set and the feed's commit order, on a real database."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from provena.db import Database, FeedEvent
from provena.events import CheckpointConflictError, DatabaseCheckpointer, FeedHub, publish
from provena.fabric import ChaincodeEvent


def event(block: int, tx: str) -> ChaincodeEvent:
    return ChaincodeEvent(block, tx * 32, "provena", "Test", b"{}")


async def test_a_stale_listener_cannot_move_the_checkpoint_or_apply_twice(
    database: Database,
) -> None:
    ahead, stale = DatabaseCheckpointer("projections"), DatabaseCheckpointer("projections")
    async with database.session() as session:
        await ahead.advance(session, event(2, "c3"))
        await session.commit()
    async with database.session() as session:
        await ahead.load(session)
        await stale.load(session)
        await ahead.advance(session, event(3, "a1"))
        await session.commit()
    async with database.session() as session:
        await publish(session, "test.applied", {}, [])
        with pytest.raises(CheckpointConflictError):
            await stale.advance(session, event(3, "a1"))  # the same event, again
    async with database.session() as session:
        with pytest.raises(CheckpointConflictError):
            await DatabaseCheckpointer("projections").advance(session, event(3, "a1"))
    async with database.session() as session:
        await stale.load(session)
        await stale.advance(session, event(4, "b2"))  # after reloading, it resumes
        await session.commit()
        assert await session.scalar(select(func.count()).select_from(FeedEvent)) == 0


async def test_a_row_is_delivered_once_committed_and_never_if_rolled_back(
    database: Database,
) -> None:
    hub = FeedHub(database)
    await hub.start()
    try:
        async with hub.subscribe(after=0, may_see=lambda row: True) as subscription:
            async with database.session() as session:
                await publish(session, "test.rolled_back", {}, [])
                await session.rollback()
            async with database.session() as session:
                await publish(session, "test.pending", {}, [])
                assert await subscription.next(wait_seconds=0.3) == []
                await session.commit()
            rows = await subscription.next(wait_seconds=5)
            assert [row.kind for row in rows] == ["test.pending"]
    finally:
        await hub.aclose()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_feed_writers_commit_in_id_order_on_postgresql(database: Database) -> None:
    async with database.session() as first:
        earlier = await publish(first, "test.first", {}, [])
        async with database.session() as second:
            later = asyncio.create_task(publish(second, "test.second", {}, []))
            await asyncio.sleep(0.5)
            assert not later.done()  # waits: its id must not become visible before ours
            await first.commit()
            row = await asyncio.wait_for(later, 5)
            await second.commit()
    assert row.id > earlier.id


async def test_a_write_waits_for_the_domain_row_of_its_own_transaction(
    database: Database,
) -> None:
    """What `Prefer: wait` waits for after the commit: the listener's row for that very
    transaction, not its `transaction.*` rows nor another transaction's domain row."""
    hub = FeedHub(database)
    await hub.start()
    try:
        tx = "ab" * 32
        waiting = asyncio.create_task(hub.wait_announced(tx))
        other = asyncio.create_task(hub.wait_announced("ef" * 32))
        async with database.session() as session:
            await publish(session, "transaction.committed", {}, [], tx_id=tx)
            await publish(session, "certificate.issued", {}, [], tx_id="cd" * 32)
            await session.commit()
        await asyncio.sleep(0.5)
        assert not waiting.done()
        async with database.session() as session:
            await publish(session, "certificate.issued", {}, [], tx_id=tx)
            await session.commit()
        await asyncio.wait_for(waiting, 5)
        assert not other.done()
        other.cancel()
        async with asyncio.timeout(5):  # a waiter that comes after the row: at once
            await hub.wait_announced(tx)
    finally:
        await hub.aclose()
