"""The checkpoint's compare-and-set, the feed's commit order and what a batch of events costs,
on a real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Database, FeedEvent, Shipment
from provena.events import (
    Announcement,
    CheckpointConflictError,
    DatabaseCheckpointer,
    FeedHub,
    apply_events,
    publish,
    upsert,
)
from provena.fabric import ChaincodeEvent
from tests.support.statements import statements


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
        await publish(first, "test.first", {}, [])
        async with database.session() as second:
            later = asyncio.create_task(publish(second, "test.second", {}, []))
            await asyncio.sleep(0.5)
            assert not later.done()  # waits: its id must not become visible before ours
            await first.commit()
            await asyncio.wait_for(later, 5)
            await second.commit()
    async with database.session() as session:
        kinds = await session.scalars(
            select(FeedEvent.kind)
            .where(FeedEvent.kind.in_(["test.first", "test.second"]))
            .order_by(FeedEvent.id)
        )
        assert list(kinds) == ["test.first", "test.second"]


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


async def ship(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
    """Each event upserts a shipment row of its own and is announced."""
    number = event.transaction_id[:8]
    await upsert(
        session,
        Shipment,
        {
            "id": f"SHIP-{number}",
            "owner_msp_id": "ProducerMSP",
            "custodian_msp_id": "ProducerMSP",
            "status": "CREATED",
            "origin": "Farm",
            "destination_msp_id": "RetailerMSP",
            "created_at": datetime(2026, 5, 1, tzinfo=UTC),
            "tx_id": event.transaction_id,
            "block_number": event.block_number,
        },
    )
    return Announcement("shipment.created", {"id": number}, ["ProducerMSP"])


@pytest.mark.parametrize("size", [1, 40])
async def test_a_batch_of_events_writes_its_projection_rows_in_one_statement(
    database: Database, size: int
) -> None:
    """One upsert statement per table, one for the feed rows and one checkpoint move per
    batch, not per event, so a burst applied at once holds the write lock little longer
    than a lone event."""
    batch = [event(5, f"{n:02x}") for n in range(size)]
    async with database.writing() as session:
        with statements(database) as seen:
            await apply_events(session, batch, ship, DatabaseCheckpointer(f"size-{size}"))
            await session.commit()
    upserts = [s for s in seen if s.startswith("INSERT INTO shipments")]
    checkpoint = [s for s in seen if "ledger_checkpoints" in s]
    feed = [s for s in seen if s.startswith("INSERT INTO feed_events")]
    assert (len(upserts), len(checkpoint)) == (1, 1), seen
    assert len(feed) == 1, seen
    async with database.session() as session:
        applied = await session.scalars(select(FeedEvent.tx_id).where(FeedEvent.block_number == 5))
        assert sorted(str(tx) for tx in applied) == sorted(e.transaction_id for e in batch)


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_the_feed_lock_and_notification_are_taken_once_per_transaction(
    database: Database,
) -> None:
    async with database.session() as session:
        with statements(database) as seen:
            for n in range(5):
                await publish(session, "test.many", {"n": n}, [])
            await session.commit()
    assert sum("pg_advisory_xact_lock" in s for s in seen) == 1, seen
    assert sum("pg_notify" in s for s in seen) == 1, seen
    assert sum(s.startswith("INSERT INTO feed_events") for s in seen) == 1, seen
    async with database.session() as session:
        payloads = await session.scalars(
            select(FeedEvent.payload).where(FeedEvent.kind == "test.many").order_by(FeedEvent.id)
        )
        assert [p["n"] for p in payloads] == [0, 1, 2, 3, 4]  # ids in the order published
