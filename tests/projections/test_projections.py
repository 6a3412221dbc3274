"""Every contract event through the listener into the projection tables and the feed, and
`provena projections rebuild [--check]` against the same ledger."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from provena.db import (
    Certificate,
    CertificateDocument,
    Checkpoint,
    CustodyTransfer,
    Database,
    FeedEvent,
    LedgerCheckpoint,
    Shipment,
    ShipmentItem,
)
from provena.events import EventListener, ListenerOptions
from provena.fabric import connect, load_msp_folder
from provena.projections import apply
from tests.projections.conftest import World, eventually

CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
CID_2 = "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"
SHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
DOC = {"cid": CID, "sha256": SHA, "size": 2048, "media_type": "application/pdf", "name": "a.pdf"}
DOC_2 = DOC | {"cid": CID_2, "name": "b.pdf"}
CHECKPOINT = {
    "event_time": "2026-05-01T10:00:00+02:00",
    "event_time_zone_offset": "+02:00",
    "biz_step": "shipping",
    "disposition": "in_transit",
    "read_point": "urn:epc:id:sgln:0614141.00777.0",
    "sensor_readings": [{"type": "Temperature", "value": "4.5", "uom": "CEL"}],
}


@pytest.fixture(scope="module")
async def history(world: World) -> World:
    """One of everything the contracts emit."""
    w = world
    await w.submit("ines.moreau", "Registry", "Bootstrap", ["CertifierMSP"])
    await w.submit("ines.moreau", "Registry", "AccreditCertifier", "CertifierMSP", ["EU-ORGANIC"])
    await w.submit("ines.moreau", "Registry", "AccreditCertifier", "CertifierMSP", ["X"])
    await w.submit("ines.moreau", "Registry", "WithdrawAccreditation", "CertifierMSP", "X")
    certificate = {
        "id": "CERT-1",
        "scheme": "EU-ORGANIC",
        "subject": {"kind": "organization", "id": "ORG-P", "name": "Farm", "msp_id": "ProducerMSP"},
        "scope": "Organic tomatoes",
        "valid_from": "2026-01-01T00:00:00Z",
        "valid_until": "2036-01-01T00:00:00Z",
        "documents": [DOC],
    }
    await w.submit("david.okafor", "Certificates", "IssueCertificate", certificate)
    await w.submit("david.okafor", "Certificates", "AttachCertificateDocument", "CERT-1", DOC_2)
    await w.submit("mei.tanaka", "Certificates", "SuspendCertificate", "CERT-1", "audit")
    await w.submit("mei.tanaka", "Certificates", "ReinstateCertificate", "CERT-1", "ok")
    shipment = {
        "id": "SHIP-1",
        "items": [
            {
                "sku": "TOM-1",
                "description": "Tomatoes",
                "quantity": "12.500",
                "unit": "KGM",
                "lot": "LOT-7",
                "certificate_ids": ["CERT-1"],
            }
        ],
        "origin": "Farm",
        "destination": {"msp_id": "RetailerMSP", "location": "Harbor St"},
        "documents": [DOC],
    }
    await w.submit("tomas.herrera", "Shipments", "CreateShipment", shipment)
    await w.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHIP-1", "RetailerMSP")
    await w.submit("jonas.berg", "Shipments", "RejectTransfer", "SHIP-1", "not yet")
    await w.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHIP-1", "RetailerMSP")
    await w.submit("tomas.herrera", "Shipments", "CancelTransfer", "SHIP-1")
    await w.submit("tomas.herrera", "Shipments", "ProposeTransfer", "SHIP-1", "CarrierMSP")
    await w.submit("sam.carter", "Shipments", "AcceptTransfer", "SHIP-1")
    await w.submit("sam.carter", "Shipments", "RecordCheckpoint", "SHIP-1", CHECKPOINT)
    await w.submit("sam.carter", "Shipments", "ProposeTransfer", "SHIP-1", "RetailerMSP")
    await w.submit("jonas.berg", "Shipments", "AcceptTransfer", "SHIP-1")
    await w.submit("jonas.berg", "Shipments", "ConfirmDelivery", "SHIP-1")
    await w.submit("mei.tanaka", "Certificates", "RevokeCertificate", "CERT-1", "fraud")
    return w


KINDS = [
    "registry.bootstrapped",
    "accreditation.granted",
    "accreditation.granted",
    "accreditation.withdrawn",
    "certificate.issued",
    "certificate.document_attached",
    "certificate.suspended",
    "certificate.reinstated",
    "shipment.created",
    "transfer.proposed",
    "transfer.rejected",
    "transfer.proposed",
    "transfer.cancelled",
    "transfer.proposed",
    "transfer.accepted",
    "checkpoint.recorded",
    "transfer.proposed",
    "transfer.accepted",
    "shipment.delivered",
    "certificate.revoked",
]


@contextlib.asynccontextmanager
async def listening(world: World, database: Database) -> AsyncIterator[None]:
    identity, signer = load_msp_folder(
        "CertifierMSP", world.devnet.pki.user_msp_dir("CertifierMSP", "lars.nilsson")
    )
    endpoint, tls = world.devnet.endpoint, world.ledger.tls
    listener = EventListener(
        database,
        lambda: connect(endpoint, identity=identity, signer=signer, tls=tls),
        channel=world.devnet.channel,
        chaincode="provena",
        handler=apply,
        options=ListenerOptions(standby_seconds=0.1),
    )
    task = asyncio.create_task(listener.run())
    try:

        async def caught_up() -> bool:
            async with database.session() as session:
                return len((await session.scalars(select(FeedEvent.id))).all()) >= len(KINDS)

        await eventually(caught_up)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    yield


async def test_every_event_lands_in_the_projection_and_the_feed(
    history: World, database: Database
) -> None:
    async with listening(history, database):
        pass
    async with database.session() as session:
        feed = (await session.scalars(select(FeedEvent).order_by(FeedEvent.id))).all()
        certificate = await session.get(Certificate, "CERT-1")
        documents = (await session.scalars(select(CertificateDocument))).all()
        shipment = await session.get(Shipment, "SHIP-1")
        items = (await session.scalars(select(ShipmentItem))).all()
        transfers = (
            await session.scalars(select(CustodyTransfer).order_by(CustodyTransfer.seq))
        ).all()
        checkpoints = (await session.scalars(select(Checkpoint))).all()
        position = await session.get(LedgerCheckpoint, "projections")
    assert [row.kind for row in feed] == KINDS
    assert all(row.tx_id and row.block_number is not None for row in feed)
    assert certificate is not None
    assert certificate.status == "REVOKED"
    assert certificate.status_reason == "fraud"
    assert certificate.subject_msp_id == "ProducerMSP"
    assert [(d.position, d.cid) for d in documents] == [(0, CID), (1, CID_2)]
    assert shipment is not None
    assert (shipment.status, shipment.custodian_msp_id) == ("DELIVERED", "RetailerMSP")
    assert shipment.pending_transfer_to_msp_id is None
    assert [(i.sku, i.quantity, i.certificate_ids) for i in items] == [
        ("TOM-1", "12.500", ["CERT-1"])
    ]
    assert [(t.seq, t.to_msp_id, t.status) for t in transfers] == [
        (0, "RetailerMSP", "REJECTED"),
        (1, "RetailerMSP", "CANCELLED"),
        (2, "CarrierMSP", "ACCEPTED"),
        (3, "RetailerMSP", "ACCEPTED"),
    ]
    assert transfers[0].reason == "not yet"
    assert [(c.seq, c.biz_step, c.recorded_by_msp_id) for c in checkpoints] == [
        (0, "shipping", "CarrierMSP")
    ]
    assert checkpoints[0].sensor_readings == [{"type": "Temperature", "value": "4.5", "uom": "CEL"}]
    by_kind = {row.kind: row for row in feed}
    assert by_kind["certificate.issued"].audience == ["CertifierMSP", "ProducerMSP"]
    assert by_kind["checkpoint.recorded"].audience == ["CarrierMSP", "ProducerMSP", "RetailerMSP"]
    assert by_kind["accreditation.withdrawn"].payload["scheme"] == "X"
    assert position is not None
    assert position.tx_id == feed[-1].tx_id


async def run_cli(world: World, db_url: str, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    profile = tmp_path / "auditor.json"
    profile.write_text(json.dumps(world.ledger.profile("CertifierMSP", "lars.nilsson")))
    env = os.environ | {"PROVENA_DATABASE_URL": db_url, "PROVENA_DATA_DIR": str(tmp_path)}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "provena",
        "projections",
        "rebuild",
        "--profile",
        str(profile),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_rebuild_check_passes_then_catches_a_tampered_row_and_rebuild_repairs_it(
    history: World, database: Database, db_url: str, tmp_path: Path
) -> None:
    async with listening(history, database):
        pass
    code, out, err = await run_cli(history, db_url, tmp_path, "--check")
    assert (code, out) == (0, ""), err
    assert "the projections match the ledger" in err
    async with database.session() as session:
        await session.execute(
            update(Certificate).where(Certificate.id == "CERT-1").values(status="ACTIVE")
        )
        await session.execute(update(CustodyTransfer).where(CustodyTransfer.seq == 3).values(seq=9))
        await session.commit()
    code, out, err = await run_cli(history, db_url, tmp_path, "--check")
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) == 3  # the certificate's status, and transfer 3 missing, 9 extra
    assert any("certificates ('CERT-1',): status: stored" in line for line in lines)
    assert "3 rows differ from the ledger" in err
    code, _, err = await run_cli(history, db_url, tmp_path)
    assert code == 0, err
    assert f"rebuilt the projections from {len(KINDS)} events" in err
    code, out, err = await run_cli(history, db_url, tmp_path, "--check")
    assert (code, out) == (0, ""), err
    async with database.session() as session:
        assert len((await session.scalars(select(FeedEvent.id))).all()) == len(KINDS)
