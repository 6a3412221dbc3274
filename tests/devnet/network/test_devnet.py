"""`Devnet` in-process: policies choose and check endorsers, definitions, bad configurations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from provena.devnet.chaincode import package_id_for
from provena.devnet.config import DevnetConfig
from provena.devnet.errors import ConfigError, PolicySyntaxError, UnsatisfiablePolicy
from provena.devnet.network import Devnet
from provena.devnet.pki import OrgSpec
from provena.fabric import connect
from provena.fabric.identity import load_msp_folder
from tests.devnet.network.support import free_port, serve_chaincode

ORGS = (
    OrgSpec("Org1MSP", "org1.example.test", "One"),
    OrgSpec("Org2MSP", "org2.example.test", "Two"),
)


@pytest.fixture(scope="module")
async def kv_address() -> AsyncIterator[str]:
    address = f"127.0.0.1:{free_port()}"
    server = await serve_chaincode(package_id_for("kv", address), address)
    yield address
    await server.stop(None)


@pytest.fixture(scope="module")
async def devnet(
    kv_address: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Devnet]:
    config = DevnetConfig(
        data_dir=tmp_path_factory.mktemp("devnet"),
        port=0,
        tls=False,
        orgs=ORGS,
        endorsement_policy="AND('Org1MSP.peer', 'Org2MSP.peer')",
    )
    devnet = await Devnet.start(config)
    definition, changed = await devnet.define_chaincode("kv", kv_address)
    assert changed
    assert definition.package_id == package_id_for("kv", kv_address)
    yield devnet
    await devnet.aclose()


async def test_records_its_configuration(devnet: Devnet) -> None:
    assert devnet.config.port != 0
    saved = DevnetConfig.load(devnet.config.data_dir)
    assert saved == devnet.config
    assert devnet.endpoint == f"127.0.0.1:{devnet.config.port}"


async def test_endorsing_orgs_follow_the_policy(devnet: Devnet) -> None:
    assert list(devnet.endorsing_orgs("kv", ["Org2MSP"])) == ["Org2MSP", "Org1MSP"]
    with pytest.raises(LookupError, match="chaincode nope is not defined on channel provena"):
        devnet.endorsing_orgs("nope")
    assert devnet.endorser("Org1MSP") is not None
    assert devnet.endorser("OrdererMSP") is None


async def test_both_orgs_endorse_and_the_transaction_commits(devnet: Devnet) -> None:
    msp_dir = devnet.pki.user_msp_dir("Org1MSP", "Admin")
    identity, signer = load_msp_folder("Org1MSP", msp_dir)
    async with connect(devnet.endpoint, identity=identity, signer=signer) as gateway:
        contract = gateway.get_network("provena").get_contract("kv")
        submitted = await contract.submit_async("Put", args=["k", "v"])
        status = await submitted.get_status()
        assert status.successful
        assert await contract.evaluate_transaction("Get", "k") == b"v"
    block = devnet.store.block(status.block_number)
    assert block is not None


async def test_redefining_is_idempotent_and_upgrades_bump_the_sequence(
    devnet: Devnet, kv_address: str
) -> None:
    same, changed = await devnet.define_chaincode("kv", kv_address)
    assert not changed
    upgraded, changed = await devnet.define_chaincode("kv", kv_address, version="2")
    assert changed
    assert (upgraded.version, upgraded.sequence) == ("2", same.sequence + 1)


@pytest.mark.parametrize(
    ("name", "address", "tls_ca", "message"),
    [
        ("bad/name", "127.0.0.1:1", None, "invalid chaincode name"),
        ("x", "nowhere", None, "address must be host:port"),
        ("x", "127.0.0.1:1", Path("/nonexistent/ca.pem"), "no such file"),
    ],
)
async def test_bad_definitions(
    devnet: Devnet, name: str, address: str, tls_ca: Path | None, message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        await devnet.define_chaincode(name, address, tls_ca=tls_ca)


@pytest.mark.parametrize(
    ("policy", "error"),
    [("OR('Org1MSP.admin')", UnsatisfiablePolicy), ("AND('Org1MSP.peer'", PolicySyntaxError)],
)
async def test_a_bad_policy_stops_the_start(
    tmp_path: Path, policy: str, error: type[Exception]
) -> None:
    config = DevnetConfig(
        data_dir=tmp_path, port=0, tls=False, orgs=ORGS, endorsement_policy=policy
    )
    with pytest.raises(error):
        await Devnet.start(config)
    assert not config.file.exists()  # nothing recorded, nothing left listening
