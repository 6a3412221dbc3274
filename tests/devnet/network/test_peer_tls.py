"""Each organization's peer presents its own TLS certificate, chosen by the name the client
asks for (SNI), and a user's connection profile names the user's own organization's peer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest

from provena.fabric import GatewayError, Tls, connect, load_msp_folder
from tests.devnet.network.support import KeyValue, cli_profile
from tests.support.ledger import Ledger, running_ledger

USER = ("CarrierMSP", "sam.carter")


@pytest.fixture(scope="module")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    root = tmp_path_factory.mktemp("peer-tls")
    async with running_ledger(root / "devnet", "kv", [KeyValue()], ready_as=USER) as running:
        yield running


async def _evaluate(ledger: Ledger, tls: Tls) -> bytes:
    identity, signer = load_msp_folder(USER[0], ledger.devnet.pki.user_msp_dir(*USER))
    async with connect(ledger.devnet.endpoint, identity=identity, signer=signer, tls=tls) as gw:
        return (
            await gw.get_network(ledger.channel)
            .get_contract("kv")
            .evaluate_transaction("Get", "absent")
        )


async def test_each_peer_has_its_own_certificate(ledger: Ledger) -> None:
    pki = ledger.devnet.pki
    gateway_name, gateway_ca = pki.peer_tls(pki.msp_ids[0])
    for msp_id in pki.msp_ids:
        if msp_id == pki.orderer_msp_id:
            continue
        name, ca = pki.peer_tls(msp_id)
        assert name == f"peer0.{ledger.devnet.config.orgs[pki.msp_ids.index(msp_id)].domain}"
        # Its own TLS CA verifies the certificate presented for its name.
        await _evaluate(ledger, Tls(root_certificates=ca.read_bytes(), server_name=name))
        if msp_id == pki.msp_ids[0]:
            continue
        # Another organization's TLS CA does not: the certificate is not the gateway peer's.
        with pytest.raises(GatewayError) as caught:
            await _evaluate(
                ledger, Tls(root_certificates=gateway_ca.read_bytes(), server_name=name)
            )
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE
    assert gateway_name == pki.server_name


async def test_the_profile_names_the_users_own_peer(ledger: Ledger) -> None:
    document = await cli_profile(ledger.devnet.config.data_dir, *USER)
    name, ca = ledger.devnet.pki.peer_tls(USER[0])
    assert (document["server_name"], document["tls_ca"]) == (name, str(ca.resolve()))
    assert name.startswith("peer0.carrier")
