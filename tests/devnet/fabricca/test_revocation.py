"""Revocation reaches the channel, expired certificates stop authenticating, and the CA's
records survive a restart."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from provena.devnet.fabricca import CaStore, FabricCaServer
from provena.fabric import GatewayError, Identity, connect, ecdsa_signer
from provena.identity.errors import CaAuthenticationRefused
from provena.identity.fabricca import FabricCaClient, certificate_request
from tests.devnet.fabricca.conftest import (
    CA_NAME,
    CHAINCODE,
    MSP_ID,
    Enrolled,
    enroll,
    new_user,
)
from tests.support.ledger import Ledger


async def submit(ledger: Ledger, user: Enrolled) -> None:
    identity = Identity(MSP_ID, user.enrollment.certificate_pem)
    async with connect(
        ledger.devnet.endpoint, identity=identity, signer=ecdsa_signer(user.key), tls=ledger.tls
    ) as gateway:
        contract = gateway.get_network(ledger.channel).get_contract(CHAINCODE)
        await contract.submit_transaction("Put", user.enrollment_id, "v")


async def test_a_revoked_identity_is_refused_by_the_ca_and_the_channel(
    ca: FabricCaClient, admin: Enrolled, ledger: Ledger
) -> None:
    user_id, secret = await new_user(ca, admin, "revoked")
    user = await enroll(ca, user_id, secret)
    await submit(ledger, user)  # accepted (and cached by the MSP) before the revocation
    revoked = await ca.revoke(admin.registrar, user_id, reason="keycompromise")
    assert len(revoked) == 1
    with pytest.raises(GatewayError, match="access denied"):
        await submit(ledger, user)
    with pytest.raises(CaAuthenticationRefused):
        await ca.reenroll(user.registrar, csr_pem=certificate_request(user.key, user_id))
    with pytest.raises(CaAuthenticationRefused):
        await enroll(ca, user_id, secret)


@asynccontextmanager
async def ca_alone(
    root: Path, ledger: Ledger, validity: dt.timedelta = dt.timedelta(days=1)
) -> AsyncIterator[tuple[FabricCaClient, Enrolled]]:
    """A CA server of its own over `root` (the devnet's PKI, plain HTTP), its client and its
    enrolled registrar."""
    store = CaStore.open(root / "ca.sqlite")
    server = await FabricCaServer.start(
        ledger.devnet.pki,
        store,
        registrars=root / "registrars",
        port=0,
        tls=False,
        validity=validity,
    )
    try:
        async with FabricCaClient(server.url, ca_name=CA_NAME) as client:
            credentials = json.loads((root / "registrars" / f"{MSP_ID}.json").read_text())
            admin = await enroll(client, credentials["enrollment_id"], credentials["secret"])
            yield client, admin
    finally:
        await server.aclose()
        store.close()


async def test_an_expired_certificate_no_longer_authenticates(
    tmp_path: Path, ledger: Ledger
) -> None:
    async with ca_alone(tmp_path, ledger, validity=dt.timedelta(seconds=1)) as (client, admin):
        await asyncio.sleep(1.5)
        with pytest.raises(CaAuthenticationRefused):
            await client.register(admin.registrar, enrollment_id="too-late")


async def test_identities_and_revocations_survive_a_restart(tmp_path: Path, ledger: Ledger) -> None:
    async with ca_alone(tmp_path, ledger) as (client, admin):
        kept, secret = await new_user(client, admin, "kept")
        gone, gone_secret = await new_user(client, admin, "gone")
        await enroll(client, gone, gone_secret)
        await client.revoke(admin.registrar, gone)
    async with ca_alone(tmp_path, ledger) as (client, _):
        assert (await enroll(client, kept, secret)).enrollment.certificate_pem
        with pytest.raises(CaAuthenticationRefused):
            await enroll(client, gone, gone_secret)
    store = CaStore.open(tmp_path / "ca.sqlite")
    try:
        user = store.user(CA_NAME, gone)
        assert user is not None
        assert user.revoked
    finally:
        store.close()
