"""A devnet with its Fabric CA server and a key-value chaincode, the producer CA's client and
its enrolled registrar, shared by the session."""

from __future__ import annotations

import json
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from provena.fabric import ecdsa_signer
from provena.identity.fabricca import (
    Enrollment,
    FabricCaClient,
    Registrar,
    certificate_request,
)
from tests.devnet.network.support import KeyValue
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "kv"
MSP_ID = "ProducerMSP"
CA_NAME = "ca.producer.provena.test"


@dataclass(frozen=True)
class Enrolled:
    """An identity a test enrolled: its key and what the CA gave it."""

    enrollment_id: str
    key: ec.EllipticCurvePrivateKey
    enrollment: Enrollment

    @property
    def registrar(self) -> Registrar:
        """The identity as a token signer (registrar or not)."""
        return Registrar(self.enrollment.certificate_pem, ecdsa_signer(self.key))


@pytest.fixture(scope="session")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    root = tmp_path_factory.mktemp("fabricca")
    async with running_ledger(root / "devnet", CHAINCODE, [KeyValue()]) as ledger:
        yield ledger


def client_for(ledger: Ledger, ca_name: str | None = CA_NAME) -> FabricCaClient:
    config = ledger.devnet.config
    return FabricCaClient(config.ca_url, ca_name=ca_name, tls_ca=ledger.devnet.pki.tls_ca_file)


@pytest.fixture
async def ca(ledger: Ledger) -> AsyncIterator[FabricCaClient]:
    async with client_for(ledger) as client:
        yield client


def registrar_file(ledger: Ledger, msp_id: str = MSP_ID) -> Path:
    return ledger.devnet.config.ca_dir / "registrars" / f"{msp_id}.json"


async def enroll(ca: FabricCaClient, enrollment_id: str, secret: str) -> Enrolled:
    key = ec.generate_private_key(ec.SECP256R1())
    enrollment = await ca.enroll(
        enrollment_id, secret, csr_pem=certificate_request(key, enrollment_id)
    )
    return Enrolled(enrollment_id, key, enrollment)


@pytest.fixture(scope="session")
async def admin(ledger: Ledger) -> Enrolled:
    """The producer CA's registrar, enrolled with the secret the devnet wrote for it."""
    credentials = json.loads(registrar_file(ledger).read_text())
    async with client_for(ledger) as client:
        return await enroll(client, credentials["enrollment_id"], credentials["secret"])


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


async def new_user(
    ca: FabricCaClient, admin: Enrolled, prefix: str, *, max_enrollments: int | None = None
) -> tuple[str, str]:
    """Register a fresh producer; (enrollment id, secret)."""
    enrollment_id = unique(prefix)
    secret = await ca.register(
        admin.registrar,
        enrollment_id=enrollment_id,
        attributes={"provena.role": "producer", "provena.id": enrollment_id},
        max_enrollments=max_enrollments,
    )
    return enrollment_id, secret
