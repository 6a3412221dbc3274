"""`Database`: connections, SQLite pragmas, and values that survive the round trip."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import selectinload

from provena.db import (
    Checkpoint,
    Database,
    DatabaseUnavailableError,
    LedgerTransaction,
    Organization,
    OrgKind,
    Shipment,
    ShipmentItem,
    User,
)
from provena.db.engine import SQLITE_BUSY_TIMEOUT_MS
from tests.db.conftest import T0, TX_2, populate


async def test_ping_and_dialect(database: Database, backend: str) -> None:
    await database.ping()
    assert database.dialect_name == backend


async def test_ping_reports_an_unreachable_server() -> None:
    async with Database.from_url("postgresql://postgres@127.0.0.1:1/x?connect_timeout=2") as db:
        with pytest.raises(DatabaseUnavailableError, match="did not answer"):
            await db.ping()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_every_sqlite_connection_is_configured(database: Database) -> None:
    async def pragmas() -> tuple[object, ...]:
        async with database.engine.connect() as connection:
            values = [
                (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar_one()
                for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
            ]
            await asyncio.sleep(0.05)  # hold it, so the pool opens several
            return tuple(values)

    results = await asyncio.gather(*(pragmas() for _ in range(8)))
    assert set(results) == {("wal", 1, 5000, 1)}  # synchronous 1 = NORMAL


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_writers_take_turns_however_long_the_queue(database: Database) -> None:
    """Thirty writers at once, each holding its transaction for 0.2 s: six seconds of
    queue, more than SQLite's busy timeout, after which a writer racing for the file's
    lock fails with "database is locked". Taking turns in `writing()`, all commit."""
    assert SQLITE_BUSY_TIMEOUT_MS < 30 * 200

    async def slow_write(i: int) -> None:
        async with database.writing() as session:
            session.add(Organization(msp_id=f"Org{i}MSP", name=f"Org {i}", kind=OrgKind.PRODUCER))
            await session.flush()  # the write transaction has begun and holds the lock
            await asyncio.sleep(0.2)
            await session.commit()

    await asyncio.gather(*(slow_write(i) for i in range(30)))
    async with database.session() as session:
        counted = await session.scalar(sa.select(sa.func.count()).select_from(Organization))
    assert counted == 30


async def test_timestamps_come_back_aware_and_in_utc(database: Database) -> None:
    tokyo = datetime(2026, 3, 1, 17, 30, tzinfo=timezone(timedelta(hours=9)))
    async with database.session() as session:
        session.add(Organization(msp_id="TestMSP", name="Test", kind=OrgKind.CARRIER))
        session.add(
            LedgerTransaction(
                tx_id=TX_2,
                channel="provena",
                chaincode="provena",
                function="Ping",
                submitter_msp_id="TestMSP",
                submitted_at=tokyo,
            )
        )
        await session.commit()
    async with database.session() as session:
        tx = await session.get_one(LedgerTransaction, TX_2)
        org = await session.get_one(Organization, "TestMSP")
    assert tx.submitted_at == tokyo
    assert tx.submitted_at.tzinfo is UTC
    assert tx.submitted_at.hour == 8
    assert org.created_at.tzinfo is UTC
    assert abs(datetime.now(UTC) - org.created_at) < timedelta(minutes=1)
    assert tx.status == "pending"


async def test_naive_timestamps_are_refused(database: Database) -> None:
    async with database.session() as session:
        session.add(Organization(msp_id="TestMSP", name="Test", kind=OrgKind.CARRIER))
        session.add(
            LedgerTransaction(
                tx_id=TX_2,
                channel="provena",
                chaincode="provena",
                function="Ping",
                submitter_msp_id="TestMSP",
                submitted_at=datetime(2026, 3, 1, 8, 30),
            )
        )
        with pytest.raises(StatementError, match="naive datetime"):
            await session.flush()


async def test_projection_round_trip(database: Database) -> None:
    async with database.session() as session:
        await populate(session)
    async with database.session() as session:
        shipment = (
            await session.scalars(
                sa.select(Shipment)
                .where(Shipment.id == "shp-001")
                .options(
                    selectinload(Shipment.items),
                    selectinload(Shipment.documents),
                    selectinload(Shipment.transfers),
                    selectinload(Shipment.checkpoints),
                )
            )
        ).one()
        user = (await session.scalars(sa.select(User))).one()
    (item,) = shipment.items
    assert item.quantity == "120.5"
    assert item.certificate_ids == ["cert-001"]
    (checkpoint,) = shipment.checkpoints
    assert checkpoint.event_time == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert checkpoint.event_time.tzinfo is UTC
    assert checkpoint.event_time_zone_offset == "+02:00"
    assert checkpoint.sensor_readings == [{"type": "Temperature", "value": "4.5", "uom": "CEL"}]
    assert [t.status for t in shipment.transfers] == ["ACCEPTED"]
    assert [d.name for d in shipment.documents] == ["invoice.pdf"]
    assert shipment.created_at == T0
    assert shipment.updated_at.tzinfo is UTC
    assert user.roles == ["producer"]


async def test_quantities_are_exact_decimal_strings(database: Database) -> None:
    async with database.session() as session:
        await populate(session)
    async with database.session() as session:
        item = await session.get_one(ShipmentItem, ("shp-001", 0))
        item.quantity = Decimal("0.1000")  # type: ignore[assignment]
        await session.commit()
    async with database.session() as session:
        item = await session.get_one(ShipmentItem, ("shp-001", 0))
        assert item.quantity == "0.1000"
        for bad in ("1e3", "-1", "1,5", "", " 1", "0.1f"):
            item.quantity = bad
            with pytest.raises(StatementError, match="not a non-negative decimal"):
                await session.flush()
            await session.rollback()


async def test_checkpoint_json_columns(database: Database) -> None:
    async with database.session() as session:
        await populate(session)
    async with database.session() as session:
        checkpoint = await session.get_one(Checkpoint, ("shp-001", 0))
        checkpoint.documents = [{"cid": "bafy", "nested": {"list": [1, 2.5, None, True]}}]
        await session.commit()
    async with database.session() as session:
        checkpoint = await session.get_one(Checkpoint, ("shp-001", 0))
        assert checkpoint.documents == [{"cid": "bafy", "nested": {"list": [1, 2.5, None, True]}}]
