"""`upsert` one row at a time and in batches: the same tables either way, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import Base, Database, Shipment, ShipmentItem
from provena.events import batched_upserts, upsert

CREATED = datetime(2026, 5, 1, 10, tzinfo=UTC)


def shipment(status: str, custodian: str, tx: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "SHIP-1",
        "owner_msp_id": "ProducerMSP",
        "custodian_msp_id": custodian,
        "status": status,
        "origin": "Farm",
        "destination_msp_id": "RetailerMSP",
        "created_at": CREATED,
        "tx_id": tx * 64,
        "block_number": 1,
    } | extra


def item(position: int, quantity: str) -> dict[str, Any]:
    return {
        "shipment_id": "SHIP-1",
        "position": position,
        "sku": "TOM-1",
        "description": "Tomatoes",
        "quantity": quantity,
        "unit": "KGM",
        "tx_id": "a" * 64,
        "block_number": 1,
    }


async def upserts(session: AsyncSession) -> None:
    """Rows of two tables, and one row overwritten twice, the last time leaving out a column
    the one before set (which the row keeps)."""
    await upsert(session, Shipment, shipment("CREATED", "ProducerMSP", "a"))
    await upsert(session, ShipmentItem, item(0, "12.5"))
    await upsert(session, ShipmentItem, item(1, "3"))
    located = shipment("TRANSFER_PROPOSED", "ProducerMSP", "b", destination_location="Harbor St")
    await upsert(session, Shipment, located)
    await upsert(session, Shipment, shipment("IN_TRANSIT", "CarrierMSP", "c"))


async def tables(session: AsyncSession) -> list[list[dict[str, Any]]]:
    rows = []
    for model in (Shipment, ShipmentItem):
        result = await session.execute(select(model.__table__))
        rows.append([{k: v for k, v in r.items() if k != "updated_at"} for r in result.mappings()])
    return rows


async def count(session: AsyncSession, model: type[Base]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_batch_leaves_the_tables_as_single_upserts_do(database: Database) -> None:
    async with database.session() as session:
        await upserts(session)
        one_by_one = await tables(session)
        await session.execute(delete(Shipment))
        async with batched_upserts(session) as batch:
            await upserts(session)
            assert await count(session, Shipment) == 0  # deferred until the flush
            await batch.flush()
            assert await count(session, Shipment) == 1
            await upsert(session, ShipmentItem, item(1, "4"))
        assert await count(session, ShipmentItem) == 2
        one_by_one[1][1]["quantity"] = "4"
        assert await tables(session) == one_by_one
    assert one_by_one[0][0]["status"] == "IN_TRANSIT"
    assert one_by_one[0][0]["destination_location"] == "Harbor St"
    assert one_by_one[0][0]["tx_id"] == "c" * 64


async def test_a_batch_writes_parents_before_children(database: Database) -> None:
    async with database.session() as session:
        async with batched_upserts(session):
            await upsert(session, ShipmentItem, item(0, "12.5"))
            await upsert(session, Shipment, shipment("CREATED", "ProducerMSP", "a"))
        assert await count(session, ShipmentItem) == 1


async def test_a_batch_that_fails_writes_nothing_and_ends(database: Database) -> None:
    async with database.session() as session:

        async def fail() -> None:
            async with batched_upserts(session):
                await upsert(session, Shipment, shipment("CREATED", "ProducerMSP", "a"))
                raise ValueError("stop")

        with pytest.raises(ValueError, match="stop"):
            await fail()
        assert await count(session, Shipment) == 0
        await upsert(session, Shipment, shipment("CREATED", "ProducerMSP", "a"))
        assert await count(session, Shipment) == 1  # no batch is left open


async def test_batches_do_not_nest(database: Database) -> None:
    async with database.session() as session, batched_upserts(session):
        with pytest.raises(RuntimeError, match="already batched"):
            async with batched_upserts(session):
                pass
