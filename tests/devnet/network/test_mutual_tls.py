"""Mutual TLS on the devnet's listener, when asked for: a client with a certificate from one
of the channel's TLS CAs is served; one without, or with a certificate from another TLS CA, is
not even connected."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import grpc
import pytest

from provena.devnet.ca import CertificateAuthority
from provena.fabric import GatewayError, ProfileError, connect, load_msp_folder
from provena.fabric.profile import Profile
from tests.devnet.network.support import KeyValue, cli_profile
from tests.support.ledger import Ledger, running_ledger

USER = ("CarrierMSP", "sam.carter")


@pytest.fixture(scope="module")
async def ledger(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Ledger]:
    root = tmp_path_factory.mktemp("mutual-tls")
    async with running_ledger(
        root / "devnet", "kv", [KeyValue()], ready_as=USER, client_auth=True
    ) as running:
        yield running


async def test_a_client_with_an_organization_tls_certificate_is_served(ledger: Ledger) -> None:
    async with ledger.connect(*USER) as gateway:
        contract = gateway.get_network(ledger.channel).get_contract("kv")
        await contract.submit_transaction("Put", "mtls", "v")
        assert await contract.evaluate_transaction("Get", "mtls") == b"v"


async def test_clients_without_a_trusted_certificate_are_refused(ledger: Ledger) -> None:
    pki = ledger.devnet.pki
    identity, signer = load_msp_folder(USER[0], pki.user_msp_dir(*USER))
    rogue = CertificateAuthority.create("tlsca.carrier.example", "carrier.example").issue(
        "mallory", tls=True
    )
    for tls in (
        ledger.tls,  # no client certificate at all
        replace(ledger.tls, client_certificate=rogue.certificate_pem, client_key=rogue.key_pem),
    ):
        async with connect(
            ledger.devnet.endpoint, identity=identity, signer=signer, tls=tls
        ) as gateway:
            contract = gateway.get_network(ledger.channel).get_contract("kv")
            with pytest.raises(GatewayError) as caught:
                await contract.evaluate_transaction("Get", "mtls")
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE


async def test_the_profile_names_the_users_tls_client_pair(ledger: Ledger, tmp_path: Path) -> None:
    """`provena devnet profile` gives the pair, and a profile with it connects; without the
    pair the same profile is refused."""
    document = await cli_profile(ledger.devnet.config.data_dir, *USER)
    assert Path(document["tls_client_cert"]).name == "client.crt"
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(document))
    async with Profile.load(path).connect() as gateway:
        contract = gateway.get_network(ledger.channel).get_contract("kv")
        await contract.submit_transaction("Put", "profiled", "yes")
        assert await contract.evaluate_transaction("Get", "profiled") == b"yes"
    del document["tls_client_key"]
    path.write_text(json.dumps(document))
    with pytest.raises(ProfileError, match="both a client certificate and its key"):
        Profile.load(path).connect()
