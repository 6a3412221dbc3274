"""Fixtures for `provena.db`: fresh databases on SQLite and on PostgreSQL.

Every test taking `database_url` (or anything built on it) runs twice: on a SQLite
file in a temporary directory, and on a PostgreSQL database created for the test on
the local server and dropped afterwards (see `tests.support.databases`).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import (
    Certificate,
    CertificateDocument,
    CertificateStatus,
    Checkpoint,
    CustodyTransfer,
    CustodyTransferStatus,
    Database,
    Document,
    DocumentLocation,
    LedgerCheckpoint,
    LedgerTransaction,
    LedgerTxStatus,
    Shipment,
    ShipmentDocument,
    ShipmentItem,
    ShipmentStatus,
    SubjectKind,
    seed_organizations,
    upgrade,
    upsert_user,
)
from tests.support.databases import create_postgres_database, drop_postgres_database

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

TX_1 = "a1" * 32
TX_2 = "b2" * 32
SHA = "c3" * 32
CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
T0 = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)

MakeUrl = Callable[[], str]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def new_database_url(backend: str, tmp_path: Path) -> Iterator[MakeUrl]:
    """Makes empty databases of the test's backend; drops them afterwards."""
    created: list[str] = []

    def make() -> str:
        if backend == "sqlite":
            name = f"provena_test_{uuid.uuid4().hex[:12]}"
            return f"sqlite:///{tmp_path / name / 'provena.db'}"  # the directory is missing
        name, url = create_postgres_database()
        created.append(name)
        return url

    yield make
    for name in created:
        drop_postgres_database(name)


@pytest.fixture
def database_url(new_database_url: MakeUrl) -> str:
    """An empty database."""
    return new_database_url()


@pytest.fixture
async def migrated_url(database_url: str) -> str:
    """A database migrated to the latest revision."""
    await upgrade(database_url)
    return database_url


@pytest.fixture
async def database(migrated_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(migrated_url)
    try:
        yield db
    finally:
        await db.dispose()


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.session() as s:
        yield s


async def populate(session: AsyncSession) -> None:
    """One valid row in every table, committed: the demo organizations, one user, and
    a certificate and a shipment with everything attached."""
    await seed_organizations(session)
    user = await upsert_user(
        session,
        subject="tomas.herrera",
        email="tomas.herrera@producer.provena.test",
        display_name="Tomás Herrera",
        msp_id="ProducerMSP",
        roles=["producer"],
    )
    projection = {"tx_id": TX_1, "block_number": 7}
    ref = {"cid": CID, "sha256": SHA, "size": 1234, "media_type": "application/pdf"}
    session.add_all(
        [
            LedgerTransaction(
                tx_id=TX_1,
                channel="provena",
                chaincode="provena",
                function="CreateShipment",
                submitter_id=user.id,
                submitter_msp_id="ProducerMSP",
                status=LedgerTxStatus.COMMITTED,
                validation_code="VALID",
                block_number=7,
                submitted_at=T0,
                committed_at=T0 + timedelta(seconds=2),
            ),
            LedgerCheckpoint(listener="projections", block_number=7, tx_index=0, tx_id=TX_1),
            Document(
                **ref,
                name="invoice.pdf",
                cid_profile="unixfs-v1-2025",
                uploaded_by_id=user.id,
                locations=[DocumentLocation(store="local", key=f"blocks/{CID}")],
            ),
            Certificate(
                id="cert-001",
                scheme="EU-ORGANIC",
                subject_kind=SubjectKind.ORGANIZATION,
                subject_id="ProducerMSP",
                subject_name="Green Valley Farmers Cooperative",
                subject_msp_id="ProducerMSP",
                scope="Fresh vegetables",
                valid_from=T0,
                valid_until=T0 + timedelta(days=365),
                status=CertificateStatus.ACTIVE,
                issuer_msp_id="CertifierMSP",
                issuer_id="x509::CN=david.okafor::CN=ca.certifier.provena.test",
                issued_at=T0,
                documents=[CertificateDocument(position=0, name="audit.pdf", **ref, **projection)],
                **projection,
            ),
            Shipment(
                id="shp-001",
                owner_msp_id="ProducerMSP",
                custodian_msp_id="CarrierMSP",
                status=ShipmentStatus.IN_TRANSIT,
                origin="Green Valley packing house",
                destination_msp_id="RetailerMSP",
                destination_location="Harbor Street store 4",
                created_at=T0,
                items=[
                    ShipmentItem(
                        position=0,
                        sku="TOM-RED-5KG",
                        gtin="09506000134352",
                        description="Red tomatoes, 5 kg crate",
                        quantity="120.5",
                        unit="KGM",
                        lot="L-2026-03-01",
                        certificate_ids=["cert-001"],
                        **projection,
                    )
                ],
                documents=[ShipmentDocument(position=0, name="invoice.pdf", **ref, **projection)],
                transfers=[
                    CustodyTransfer(
                        seq=0,
                        from_msp_id="ProducerMSP",
                        to_msp_id="CarrierMSP",
                        status=CustodyTransferStatus.ACCEPTED,
                        proposed_at=T0,
                        resolved_at=T0 + timedelta(hours=1),
                        **projection,
                    )
                ],
                checkpoints=[
                    Checkpoint(
                        seq=0,
                        event_time=datetime.fromisoformat("2026-03-01T11:00:00+02:00"),
                        event_time_zone_offset="+02:00",
                        biz_step="departing",
                        disposition="in_transit",
                        read_point="urn:epc:id:sgln:0950600.01346.0",
                        sensor_readings=[{"type": "Temperature", "value": "4.5", "uom": "CEL"}],
                        documents=[],
                        event_hash=SHA,
                        recorded_by_msp_id="CarrierMSP",
                        recorded_at=T0 + timedelta(hours=1),
                        **projection,
                    )
                ],
                **projection,
            ),
        ]
    )
    await session.commit()


@pytest.fixture
async def populated(database: Database) -> Database:
    """`database` holding one valid row in every table."""
    async with database.session() as s:
        await populate(s)
    return database
