"""`provena up` seeds the demo world once, through its own API, onto the ledger and into
the projections: a real process, with the devnet, the contracts and the CA beside it."""

from __future__ import annotations

import asyncio
import hashlib
import io
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from provena.api.app import _dev_issuer
from provena.db import (
    Certificate,
    CertificateStatus,
    CustodyTransferStatus,
    Database,
    LedgerTransaction,
    LedgerTxStatus,
    Shipment,
    ShipmentStatus,
)
from provena.demo_world import MARKER, SeedProgress
from provena.demo_world.client import KEY_PREFIX
from provena.settings import Settings
from tests.support.process import ProvenaUp, provena_up

SEED_SECONDS = 60.0


def wait_for_seed(up: ProvenaUp, until: str = "seeded") -> tuple[str, bool]:
    """The seed check's detail once it starts with `until`, and whether /healthz answered
    200 while the seed was still going."""
    served_while_seeding = False
    deadline = time.monotonic() + SEED_SECONDS
    while True:
        check = up.check("seed")
        detail = check["detail"] if check else None
        assert check is None or check["status"] == "ok", f"{check}\n{up.output()}"
        if detail is not None and detail.startswith(until):
            return detail, served_while_seeding
        if detail is not None and detail.startswith("seeding"):
            served_while_seeding |= httpx.get(f"{up.url}/healthz").status_code == 200
        assert time.monotonic() < deadline, f"seed check still {check}:\n{up.output()}"
        time.sleep(0.05)


@dataclass
class World:
    """What the database and the ledger hold after a start."""

    certificates: dict[str, Certificate]
    shipments: dict[str, Shipment]
    seed_rows: list[LedgerTransaction]
    ledger_txs: int
    """Transactions on the devnet's ledger after its genesis block."""
    ledger_keys: int
    """Keys the contracts hold in the world state."""


async def world_of(data_dir: Path) -> World:
    database = Database.from_url(Settings(data_dir=data_dir).sqlalchemy_url)
    try:
        async with database.session() as session:
            certificates = await session.scalars(
                select(Certificate).options(selectinload(Certificate.documents))
            )
            shipments = await session.scalars(
                select(Shipment).options(
                    selectinload(Shipment.items),
                    selectinload(Shipment.transfers),
                    selectinload(Shipment.checkpoints),
                )
            )
            rows = await session.scalars(
                select(LedgerTransaction).where(
                    LedgerTransaction.idempotency_key.startswith(KEY_PREFIX)
                )
            )
            world = World(
                {c.id: c for c in certificates}, {s.id: s for s in shipments}, list(rows), 0, 0
            )
    finally:
        await database.dispose()
    ledger_file = data_dir / "devnet" / "ledger" / "provena.sqlite"
    ledger = sqlite3.connect(f"file:{ledger_file}?mode=ro", uri=True)
    try:
        world.ledger_txs = ledger.execute("SELECT count(*) FROM txs WHERE block > 0").fetchone()[0]
        world.ledger_keys = ledger.execute("SELECT count(*) FROM state").fetchone()[0]
    finally:
        ledger.close()
    return world


def token(up: ProvenaUp, username: str) -> str:
    """A token from the process's own development issuer (its key is in the data dir)."""
    port = int(up.url.rsplit(":", 1)[1])
    return _dev_issuer(Settings(data_dir=up.data_dir, port=port)).access_token(username)


@dataclass
class Seeded:
    up: ProvenaUp
    detail: str
    served_while_seeding: bool
    world: World


@pytest.fixture(scope="module")
def first_start(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A first `provena up` on an empty data dir, once its seed says it is done."""
    data_dir = tmp_path_factory.mktemp("seeded") / "data"
    with provena_up(data_dir) as up:
        detail, served = wait_for_seed(up)
        yield Seeded(up, detail, served, asyncio.run(world_of(data_dir)))


def test_the_seed_runs_while_the_api_answers_and_takes_seconds(first_start: Seeded) -> None:
    assert first_start.served_while_seeding
    writes, seconds = first_start.detail.removeprefix("seeded: ").split(" writes in ")
    assert int(writes) == len(first_start.world.seed_rows)
    assert float(seconds.removesuffix(" s")) < 30
    assert "demo world: seeded:" in first_start.up.output()


def test_every_write_is_on_the_ledger_signed_by_the_person_who_acts(first_start: Seeded) -> None:
    world = first_start.world
    assert world.seed_rows
    assert {r.status for r in world.seed_rows} == {LedgerTxStatus.COMMITTED}
    assert world.ledger_txs == len(world.seed_rows)
    by_function = {
        "Registry:Bootstrap": {"CertifierMSP"},
        "Registry:AccreditCertifier": {"CertifierMSP"},
        "Certificates:IssueCertificate": {"CertifierMSP"},
        "Shipments:CreateShipment": {"ProducerMSP"},
        "Shipments:AcceptTransfer": {"CarrierMSP", "RetailerMSP"},
        "Shipments:RejectTransfer": {"CarrierMSP"},
        "Shipments:ConfirmDelivery": {"RetailerMSP"},
        "Epcis:RecordTransformation": {"ProducerMSP"},
    }
    for function, msps in by_function.items():
        assert {r.submitter_msp_id for r in world.seed_rows if r.function == function} == msps
    assert all(r.signer for r in world.seed_rows)


def test_certificates_one_suspended_one_revoked_one_expiring(first_start: Seeded) -> None:
    certificates = first_start.world.certificates.values()
    assert {c.scheme for c in certificates} == {"EU-ORGANIC", "GLOBALG.A.P.", "FAIRTRADE"}
    statuses = Counter(c.status for c in certificates)
    assert statuses == {
        CertificateStatus.ACTIVE: 4,
        CertificateStatus.SUSPENDED: 1,
        CertificateStatus.REVOKED: 1,
    }
    for c in certificates:
        assert (c.status_reason is not None) == (c.status != CertificateStatus.ACTIVE)
    soon = datetime.now(UTC) + timedelta(days=30)
    expiring = [c for c in certificates if c.status == CertificateStatus.ACTIVE]
    assert len([c for c in expiring if c.valid_until < soon]) == 1


def test_documents_are_real_pdfs_and_pngs_anchored_and_downloadable(
    first_start: Seeded, tmp_path: Path
) -> None:
    up, certificates = first_start.up, first_start.world.certificates.values()
    anchored = [d for c in certificates for d in c.documents]
    kinds = Counter(d.media_type for d in anchored)
    assert kinds["application/pdf"] == len(certificates)  # each one's printed certificate
    assert kinds["image/png"] >= 3
    headers = {"Authorization": f"Bearer {token(up, 'lars.nilsson')}"}
    for document in anchored:
        record = httpx.get(f"{up.url}/api/v1/documents/{document.cid}", headers=headers)
        assert record.status_code == 200, record.text
        assert record.json()["sha256"] == document.sha256
        data = httpx.get(f"{up.url}/ipfs/{document.cid}").content
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert len(data) == document.size
        if document.media_type == "application/pdf":
            pdf = tmp_path / "certificate.pdf"
            pdf.write_bytes(data)
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True)
            assert info.returncode == 0, info.stderr
            assert "Pages:           1" in info.stdout
            text = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
            ).stdout
            assert document.certificate_id in text
            assert "Valid until" in text
        else:
            image = Image.open(io.BytesIO(data))
            assert image.format == "PNG"
            assert image.size == (480, 300)
            assert len(image.getcolors(1 << 16) or []) > 20  # a picture, not a blank


def test_shipments_at_every_stage_and_a_rejected_transfer(first_start: Seeded) -> None:
    shipments = first_start.world.shipments.values()
    assert Counter(s.status for s in shipments) == {
        ShipmentStatus.CREATED: 3,
        ShipmentStatus.TRANSFER_PROPOSED: 1,
        ShipmentStatus.IN_TRANSIT: 1,
        ShipmentStatus.DELIVERED: 1,
    }
    proposed = next(s for s in shipments if s.status == ShipmentStatus.TRANSFER_PROPOSED)
    assert proposed.pending_transfer_to_msp_id == "CarrierMSP"
    in_transit = next(s for s in shipments if s.status == ShipmentStatus.IN_TRANSIT)
    assert in_transit.custodian_msp_id == "CarrierMSP"
    delivered = next(s for s in shipments if s.status == ShipmentStatus.DELIVERED)
    assert delivered.custodian_msp_id == "RetailerMSP"
    assert [(t.to_msp_id, t.status) for t in sorted(delivered.transfers, key=lambda t: t.seq)] == [
        ("CarrierMSP", CustodyTransferStatus.ACCEPTED),
        ("RetailerMSP", CustodyTransferStatus.ACCEPTED),
    ]
    rejected = [
        t for s in shipments for t in s.transfers if t.status == CustodyTransferStatus.REJECTED
    ]
    assert len(rejected) == 1
    assert rejected[0].to_msp_id == "CarrierMSP"
    assert rejected[0].reason


def test_checkpoints_carry_a_cold_chain_with_one_excursion(first_start: Seeded) -> None:
    checkpoints = [c for s in first_start.world.shipments.values() for c in s.checkpoints]
    assert {"shipping", "transporting", "receiving"} <= {c.biz_step for c in checkpoints}
    assert all(c.read_point and c.biz_location for c in checkpoints)
    out_of_range = []
    for checkpoint in checkpoints:
        readings = checkpoint.sensor_readings
        assert readings
        assert {(r["type"], r["uom"]) for r in readings} == {("gs1:Temperature", "CEL")}
        if any(not Decimal(2) <= Decimal(r["value"]) <= Decimal(6) for r in readings):
            out_of_range.append(checkpoint)
    assert len(out_of_range) == 1
    assert out_of_range[0].biz_step == "transporting"


def test_items_reference_certificates_of_their_lots(first_start: Seeded) -> None:
    world = first_start.world
    items = [i for s in world.shipments.values() for i in s.items]
    assert items
    for item in items:
        assert item.certificate_ids
        covering = [world.certificates[c] for c in item.certificate_ids]
        lots = [c.subject_id for c in covering if c.subject_kind.value == "lot"]
        if lots:
            assert lots == [item.lot]
        else:  # the passata pressed from certified tomatoes: the cooperative's certificate
            assert {c.subject_kind.value for c in covering} == {"organization"}


def test_a_second_start_seeds_nothing_again(first_start: Seeded) -> None:
    first_start.up.stop()
    data_dir = first_start.up.data_dir
    with provena_up(data_dir) as again:
        detail, _ = wait_for_seed(again, until="seeded earlier")
    world = asyncio.run(world_of(data_dir))
    assert len(world.seed_rows) == len(first_start.world.seed_rows)
    assert world.ledger_txs == first_start.world.ledger_txs
    assert world.ledger_keys == first_start.world.ledger_keys
    assert "writes in" in detail


def test_a_start_after_a_crash_midway_completes_the_world_once(
    first_start: Seeded, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    with provena_up(data_dir) as up:
        deadline = time.monotonic() + SEED_SECONDS
        while True:
            check = up.check("seed")
            detail = check["detail"] if check else ""
            assert not detail.startswith("seeded"), "the seed ended before the crash"
            if detail.startswith("seeding: ") and int(detail.split()[1]) >= 10:
                break
            assert time.monotonic() < deadline, up.output()
            time.sleep(0.02)
        up.kill()
    crashed = SeedProgress.model_validate_json((data_dir / MARKER).read_text())
    assert crashed.state == "seeding"
    with provena_up(data_dir) as again:
        wait_for_seed(again)
        assert "resuming the seed" in again.output()
    finished = SeedProgress.model_validate_json((data_dir / MARKER).read_text())
    assert (finished.state, finished.epoch) == ("seeded", crashed.epoch)

    world, fresh = asyncio.run(world_of(data_dir)), first_start.world
    assert len(world.seed_rows) == len(fresh.seed_rows)
    assert world.ledger_txs == fresh.ledger_txs
    assert world.ledger_keys == fresh.ledger_keys
    for id, shipment in fresh.shipments.items():
        assert len(world.shipments[id].checkpoints) == len(shipment.checkpoints)
        assert len(world.shipments[id].transfers) == len(shipment.transfers)
    assert {id: c.status for id, c in world.certificates.items()} == {
        id: c.status for id, c in fresh.certificates.items()
    }


def test_no_seed_leaves_the_ledger_empty_and_a_foreign_registry_is_left_alone(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    with provena_up(data_dir, "--no-seed") as up:
        assert up.check("seed") is None
        empty = asyncio.run(world_of(data_dir))
        assert (empty.ledger_txs, empty.ledger_keys) == (0, 0)
        boot = httpx.post(
            f"{up.url}/api/v1/registry/bootstrap",
            json={"governance_msps": ["CertifierMSP"]},
            headers={"Authorization": f"Bearer {token(up, 'ines.moreau')}", "Prefer": "wait=30"},
            timeout=60,
        )
        assert boot.status_code == 200, boot.text
        assert not (data_dir / MARKER).exists()
    with provena_up(data_dir) as again:
        detail, _ = wait_for_seed(again, until="skipped")
    assert "bootstrapped before the seed ran" in detail
    world = asyncio.run(world_of(data_dir))
    assert world.ledger_txs == 1
    assert (world.certificates, world.shipments, world.seed_rows) == ({}, {}, [])
