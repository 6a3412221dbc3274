"""Writes across a ledger that goes away: refused cleanly when it is down, and a pending
write settled once it is back (its own devnet, restarted on the same port)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provena.contracts import CONTRACTS
from provena.db import Database, LedgerTransaction, LedgerTxStatus, upgrade, upsert_user
from provena.db.crud import seed_organizations
from provena.devnet.network import Devnet
from provena.fabric import load_msp_folder
from provena.transactions import (
    Actor,
    LedgerConnection,
    LedgerUnavailable,
    TransactionService,
    Write,
)
from tests.support.ledger import Ledger, running_ledger
from tests.transactions.support import certificate, record_unsubmitted

CHAINCODE = "provena"


@pytest.fixture
async def ledger(tmp_path: Path) -> AsyncIterator[Ledger]:
    async with running_ledger(
        tmp_path / "devnet", CHAINCODE, CONTRACTS, ready_as=("CertifierMSP", "ines.moreau")
    ) as running:
        async with running.connect("CertifierMSP", "ines.moreau") as gateway:
            registry = gateway.get_network(running.channel).get_contract(CHAINCODE, "Registry")
            await registry.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
            await registry.submit_transaction(
                "AccreditCertifier", "CertifierMSP", json.dumps(["EU-ORGANIC"])
            )
        yield running


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite:///{tmp_path / 'provena.db'}"
    await upgrade(url)
    async with Database.from_url(url) as db:
        async with db.session() as session:
            await seed_organizations(session)
            await session.commit()
        yield db


async def certifier(ledger: Ledger, database: Database) -> Actor:
    identity, signer = load_msp_folder(
        "CertifierMSP", ledger.devnet.pki.user_msp_dir("CertifierMSP", "david.okafor")
    )
    async with database.session() as session:
        user = await upsert_user(
            session,
            subject="sub-david",
            email=None,
            display_name=None,
            msp_id="CertifierMSP",
            roles=["certifier"],
        )
        await session.commit()
    return Actor(user.id, identity, signer, "david.okafor")


def service(ledger: Ledger, database: Database) -> tuple[TransactionService, LedgerConnection]:
    connection = LedgerConnection(
        ledger.devnet.endpoint, tls=ledger.tls, channel=ledger.channel, chaincode=CHAINCODE
    )
    reader = load_msp_folder(
        "CertifierMSP", ledger.devnet.pki.user_msp_dir("CertifierMSP", "lars.nilsson")
    )
    return TransactionService(database=database, ledger=connection, reader=reader), connection


async def test_a_write_while_the_ledger_is_down_is_refused_and_recorded_nowhere(
    ledger: Ledger, database: Database
) -> None:
    actor = await certifier(ledger, database)
    svc, connection = service(ledger, database)
    await ledger.devnet.aclose()
    with pytest.raises(LedgerUnavailable):
        await svc.submit(actor, Write("Certificates", "IssueCertificate", (certificate("C-DOWN"),)))
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == 0
    await svc.aclose()
    await connection.aclose()


async def test_a_pending_write_is_settled_once_the_ledger_is_back(
    ledger: Ledger, database: Database
) -> None:
    """Endorsed and recorded, then the ledger stops before the orderer takes it: the next
    process resubmits the same envelope when the ledger returns, and it commits once."""
    actor = await certifier(ledger, database)
    assert actor.signer is not None
    connection = LedgerConnection(
        ledger.devnet.endpoint, tls=ledger.tls, channel=ledger.channel, chaincode=CHAINCODE
    )
    cert_id = f"C-{uuid.uuid4().hex[:8]}"
    tx_id = await record_unsubmitted(connection, database, actor.identity, actor.signer, cert_id)
    await connection.aclose()

    devnet = ledger.devnet
    port = int(devnet.endpoint.rsplit(":", 1)[1])
    svc, svc_connection = service(ledger, database)
    await devnet.aclose()
    assert await svc.resume() == 1
    await asyncio.sleep(1.0)  # it tries, and keeps trying, while the ledger is away
    async with database.session() as session:
        row = await session.get(LedgerTransaction, tx_id)
        assert row is not None
        assert row.status == LedgerTxStatus.PENDING
    restarted = await Devnet.start(replace(devnet.config, port=port))
    try:
        async with asyncio.timeout(60):
            done = await svc.wait_settled(tx_id)
        assert done.status == LedgerTxStatus.COMMITTED
        assert done.envelope is None
        async with Ledger(restarted, CHAINCODE).connect("CertifierMSP", "david.okafor") as reader:
            contract = reader.get_network(ledger.channel).get_contract(CHAINCODE, "Certificates")
            history = json.loads(
                await contract.evaluate_transaction("GetCertificateHistory", cert_id)
            )
        assert len(history) == 1  # applied once
    finally:
        await svc.aclose()
        await svc_connection.aclose()
        await restarted.aclose()
