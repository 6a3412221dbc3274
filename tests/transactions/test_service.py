"""Writes through `TransactionService` on the real devnet and contracts, on SQLite and PostgreSQL.

Each person signs with their own devnet identity; a reader identity settles commit status.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
from sqlalchemy import func, select

from provena.contracts import CONTRACTS
from provena.db import Database, LedgerTransaction, LedgerTxStatus, upgrade, upsert_user, utcnow
from provena.db.crud import seed_organizations
from provena.fabric import Identity, load_msp_folder, load_private_key
from provena.fabric.signers import ecdsa_signer
from provena.transactions import (
    Actor,
    IdempotencyMismatch,
    LedgerConnection,
    NoLedgerIdentity,
    Refused,
    SignatureRejected,
    TransactionService,
    Write,
)
from tests.support.databases import database_url
from tests.support.ledger import Ledger, running_ledger
from tests.support.statements import statements
from tests.transactions.support import certificate, record_unsubmitted

CHAINCODE = "provena"
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


@pytest.fixture(scope="module")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    async with running_ledger(
        tmp_path_factory.mktemp("devnet"),
        CHAINCODE,
        CONTRACTS,
        ready_as=("CertifierMSP", "ines.moreau"),
    ) as running:
        running.devnet.pki.enroll("provena-api", "CertifierMSP", {})
        yield running


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with database_url(request.param, tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture(scope="module")
async def database(db_url: str) -> AsyncIterator[Database]:
    await upgrade(db_url)
    async with Database.from_url(db_url) as db:
        async with db.session() as session:
            await seed_organizations(session)
            await session.commit()
        yield db


def connection(ledger: Ledger) -> LedgerConnection:
    return LedgerConnection(
        ledger.devnet.endpoint, tls=ledger.tls, channel=ledger.channel, chaincode=CHAINCODE
    )


@pytest.fixture
async def service(ledger: Ledger, database: Database) -> AsyncIterator[TransactionService]:
    conn = connection(ledger)
    reader = load_msp_folder(
        "CertifierMSP", ledger.devnet.pki.user_msp_dir("CertifierMSP", "provena-api")
    )
    svc = TransactionService(database=database, ledger=conn, reader=reader)
    yield svc
    await svc.aclose()
    await conn.aclose()


async def actor(
    ledger: Ledger, database: Database, msp_id: str, username: str, *, custody: str = "server"
) -> Actor:
    identity, signer = load_msp_folder(msp_id, ledger.devnet.pki.user_msp_dir(msp_id, username))
    async with database.session() as session:
        user = await upsert_user(
            session,
            subject=f"sub-{username}",
            email=None,
            display_name=username,
            msp_id=msp_id,
            roles=[],
        )
        await session.commit()
    return Actor(
        user_id=user.id,
        identity=identity,
        signer=signer if custody == "server" else None,
        label=f"{username} (CN={username})",
    )


def browser_key(ledger: Ledger, msp_id: str, username: str) -> ec.EllipticCurvePrivateKey:
    _, key_path = ledger.devnet.pki.user_files(msp_id, username)
    return load_private_key(key_path)


def p1363(key: ec.EllipticCurvePrivateKey, digest: bytes, *, high_s: bool = False) -> bytes:
    """A signature as WebCrypto gives it: r||s, 32 bytes each, whatever s is."""
    r, s = decode_dss_signature(key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()))))
    if high_s != (s > ORDER // 2):
        s = ORDER - s
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


async def settled(service: TransactionService, tx_id: str) -> LedgerTransaction:
    async with asyncio.timeout(30):
        return await service.wait_settled(tx_id)


@pytest.fixture(scope="module")
async def registry(ledger: Ledger) -> None:
    """The registry bootstrapped and the certification body accredited, once per ledger."""
    async with ledger.connect("CertifierMSP", "ines.moreau") as gateway:
        contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE, "Registry")
        await contract.submit_transaction("Bootstrap", json.dumps(["CertifierMSP"]))
        await contract.submit_transaction(
            "AccreditCertifier", "CertifierMSP", json.dumps(["EU-ORGANIC"])
        )


def new_id() -> str:
    return f"C-{uuid.uuid4().hex[:12]}"


async def test_a_write_is_pending_at_once_then_committed_with_its_signer(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    cert_id = new_id()
    certifier = await actor(ledger, database, "CertifierMSP", "david.okafor")
    row = await service.submit(
        certifier, Write("Certificates", "IssueCertificate", (certificate(cert_id),), cert_id)
    )
    assert row.status == LedgerTxStatus.PENDING
    assert len(row.tx_id) == 64
    done = await settled(service, row.tx_id)
    assert done.status == LedgerTxStatus.COMMITTED
    assert done.validation_code == "VALID"
    assert done.block_number is not None
    assert done.block_number > 0
    assert done.signer == "david.okafor (CN=david.okafor)"
    assert done.submitter_msp_id == "CertifierMSP"
    assert done.function == "Certificates:IssueCertificate"
    assert done.record_id == cert_id
    assert done.envelope is None  # kept only while pending


async def test_waiting_for_a_write_this_process_submitted_reads_nothing(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    """The task that settles the write hands the row to its waiters: many `Prefer: wait`
    requests cost no reads of their rows while the ledger works, nor after."""
    certifier = await actor(ledger, database, "CertifierMSP", "david.okafor")
    writes = [
        Write("Certificates", "IssueCertificate", (certificate(cert_id),), cert_id)
        for cert_id in (new_id() for _ in range(8))
    ]

    async def submit_and_wait(write: Write) -> LedgerTransaction:
        pending = await service.submit(certifier, write)
        return await settled(service, pending.tx_id)

    with statements(database) as seen:
        done = await asyncio.gather(*(submit_and_wait(write) for write in writes))
    assert [row.status for row in done] == [LedgerTxStatus.COMMITTED] * 8
    assert [row.record_id for row in done] == [write.record_id for write in writes]
    reads = [s for s in seen if s.startswith("SELECT") and "ledger_transactions" in s]
    assert reads == []


async def test_contract_refusals_keep_their_kind_and_message_and_record_nothing(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    cert_id = new_id()
    producer = await actor(ledger, database, "ProducerMSP", "tomas.herrera")
    async with database.session() as session:
        before = await session.scalar(select(func.count()).select_from(LedgerTransaction))
    with pytest.raises(Refused) as denied:
        await service.submit(
            producer, Write("Certificates", "IssueCertificate", (certificate(cert_id),))
        )
    assert denied.value.status == 403
    assert str(denied.value).startswith("access denied: ")

    certifier = await actor(ledger, database, "CertifierMSP", "david.okafor")
    with pytest.raises(Refused) as invalid:
        await service.submit(certifier, Write("Certificates", "IssueCertificate", ('{"id": "x"}',)))
    assert invalid.value.status == 422
    assert str(invalid.value).startswith("argument certificate: scheme: Field required")

    with pytest.raises(Refused) as missing:
        await service.submit(
            certifier, Write("Certificates", "RevokeCertificate", ("NOPE", "gone"))
        )
    assert missing.value.status == 404
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == before


async def test_an_idempotency_key_returns_the_first_answer(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    cert_id = new_id()
    other_id = new_id()
    certifier = await actor(ledger, database, "CertifierMSP", "mei.tanaka")
    write = Write("Certificates", "IssueCertificate", (certificate(cert_id),), cert_id)
    key = f"key-{uuid.uuid4()}"
    first, second = await asyncio.gather(
        service.submit(certifier, write, idempotency_key=key),
        service.submit(certifier, write, idempotency_key=key),
    )
    assert first.tx_id == second.tx_id
    assert (await settled(service, first.tx_id)).status == LedgerTxStatus.COMMITTED
    again = await service.submit(certifier, write, idempotency_key=key)
    assert again.tx_id == first.tx_id
    async with database.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(LedgerTransaction)
            .where(LedgerTransaction.record_id == cert_id)
        )
    assert count == 1
    other = Write("Certificates", "IssueCertificate", (certificate(other_id),), other_id)
    with pytest.raises(IdempotencyMismatch):
        await service.submit(certifier, other, idempotency_key=key)


async def test_browser_custody_prepare_sign_submit(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    cert_id = new_id()
    person = await actor(ledger, database, "CertifierMSP", "david.okafor", custody="browser")
    key = browser_key(ledger, "CertifierMSP", "david.okafor")
    write = Write("Certificates", "IssueCertificate", (certificate(cert_id),), cert_id)

    proposal = service.prepare(person, write)
    assert proposal.stage == "proposal"
    assert proposal.digest == hashlib.sha256(proposal.message).digest()
    # WebCrypto's r||s, with a high S: normalised to low-S DER before it reaches the ledger.
    transaction = await service.endorse_signed(
        person, proposal.data, p1363(key, proposal.digest, high_s=True)
    )
    assert transaction.stage == "transaction"
    assert transaction.transaction_id == proposal.transaction_id
    assert transaction.digest == hashlib.sha256(transaction.message).digest()
    row = await service.submit_signed(person, transaction.data, p1363(key, transaction.digest))
    done = await settled(service, row.tx_id)
    assert done.status == LedgerTxStatus.COMMITTED
    assert done.function == "Certificates:IssueCertificate"
    assert done.record_id == cert_id  # read from the signed bytes

    with pytest.raises(SignatureRejected, match="already submitted"):
        await service.submit_signed(person, transaction.data, p1363(key, transaction.digest))


async def test_browser_custody_refuses_bad_signatures_and_foreign_bytes(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    cert_id = new_id()
    person = await actor(ledger, database, "CertifierMSP", "mei.tanaka", custody="browser")
    other = await actor(ledger, database, "CertifierMSP", "david.okafor", custody="browser")
    key = browser_key(ledger, "CertifierMSP", "mei.tanaka")
    write = Write("Certificates", "IssueCertificate", (certificate(cert_id),))
    proposal = service.prepare(person, write)

    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(SignatureRejected, match="does not match"):
        await service.endorse_signed(person, proposal.data, p1363(stranger, proposal.digest))
    with pytest.raises(SignatureRejected, match="another identity"):
        await service.endorse_signed(other, proposal.data, p1363(key, proposal.digest))
    with pytest.raises(SignatureRejected, match="malformed proposal"):
        await service.endorse_signed(person, b"\xff not a proposal", p1363(key, proposal.digest))
    with pytest.raises(SignatureRejected, match="neither DER"):
        await service.endorse_signed(person, proposal.data, b"\x01\x02")

    transaction = await service.endorse_signed(person, proposal.data, p1363(key, proposal.digest))
    tampered = bytearray(transaction.data)
    tampered[-40] ^= 1
    with pytest.raises(SignatureRejected):
        await service.submit_signed(person, bytes(tampered), p1363(key, transaction.digest))


async def test_a_row_left_pending_before_submit_is_settled_on_resume(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    """A process that recorded the row and died before the orderer saw it loses nothing."""
    identity, signer = load_msp_folder(
        "CertifierMSP", ledger.devnet.pki.user_msp_dir("CertifierMSP", "david.okafor")
    )
    conn = connection(ledger)
    tx_id = await record_unsubmitted(conn, database, identity, signer, new_id())
    assert await service.resume() >= 1
    done = await settled(service, tx_id)
    assert done.status == LedgerTxStatus.COMMITTED
    await conn.aclose()


async def test_signed_bytes_for_another_chaincode_are_refused(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    person = await actor(ledger, database, "CertifierMSP", "mei.tanaka", custody="browser")
    key = browser_key(ledger, "CertifierMSP", "mei.tanaka")
    gateway = ledger.connect("CertifierMSP", "mei.tanaka")
    proposal = (
        gateway.get_network(ledger.channel)
        .get_contract("another-chaincode")
        .new_proposal("Anything", args=("x",))
    )
    with pytest.raises(SignatureRejected, match="not Provena's contracts"):
        await service.endorse_signed(person, proposal.to_bytes(), p1363(key, proposal.digest))
    await gateway.close()


async def test_a_waiter_sees_an_outcome_another_process_recorded(
    service: TransactionService, ledger: Ledger, database: Database
) -> None:
    tx_id = uuid.uuid4().hex * 2
    async with database.session() as session:
        session.add(
            LedgerTransaction(
                tx_id=tx_id,
                channel=ledger.channel,
                chaincode=CHAINCODE,
                function="Certificates:IssueCertificate",
                submitter_msp_id="CertifierMSP",
            )
        )
        await session.commit()
    waiting = asyncio.create_task(settled(service, tx_id))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    async with database.session() as session:  # as another API process settles it
        row = await session.get(LedgerTransaction, tx_id)
        assert row is not None
        row.status, row.block_number, row.validation_code = LedgerTxStatus.COMMITTED, 7, "VALID"
        row.committed_at = utcnow()
        await session.commit()
    async with asyncio.timeout(3):
        done = await waiting
    assert (done.status, done.block_number) == (LedgerTxStatus.COMMITTED, 7)


async def test_an_expired_ledger_certificate_asks_the_person_to_enroll_again(
    service: TransactionService, ledger: Ledger, database: Database, registry: None
) -> None:
    pki = ledger.devnet.pki
    ca = pki.signing_ca("CertifierMSP")
    issued = ca.issue(
        "lapsed.certifier",
        ou="client",
        not_before=ca.certificate.not_valid_before_utc + dt.timedelta(seconds=10),
        not_after=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1),
    )
    key = serialization.load_pem_private_key(issued.key_pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    current = await actor(ledger, database, "CertifierMSP", "david.okafor")
    lapsed = Actor(
        user_id=current.user_id,
        identity=Identity("CertifierMSP", issued.certificate_pem),
        signer=ecdsa_signer(key),
        label="lapsed.certifier",
    )
    await asyncio.sleep(1.5)
    async with database.session() as session:
        before = await session.scalar(select(func.count()).select_from(LedgerTransaction))
    with pytest.raises(NoLedgerIdentity, match="has expired: enroll again") as refused:
        await service.submit(
            lapsed, Write("Certificates", "IssueCertificate", (certificate(new_id()),))
        )
    assert refused.value.status == 403
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == before
