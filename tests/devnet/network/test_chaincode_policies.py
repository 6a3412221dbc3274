"""One endorsement policy per chaincode, set at deploy time (Fabric's `--signature-policy`).

Each chaincode's transactions must satisfy its own policy; a chaincode deployed without one has
the channel's default. Upgrading a policy bumps the sequence and applies from the next block,
so a block is re-verified against the definition that was in force for it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from provena.devnet.chaincode import package_id_for
from provena.devnet.chaincodes import ChaincodePolicies, ChaincodeRegistry
from provena.devnet.config import DevnetConfig
from provena.devnet.errors import PolicyError, PolicySyntaxError, UnsatisfiablePolicy
from provena.devnet.network import Devnet
from provena.devnet.pki import OrgSpec
from provena.devnet.policy import Policy
from provena.devnet.verify import verify_chain
from provena.fabric import Contract, connect
from provena.fabric.identity import load_msp_folder
from tests.devnet.network.support import free_port, serve_chaincode

ORGS = (
    OrgSpec("Org1MSP", "org1.example.test", "One"),
    OrgSpec("Org2MSP", "org2.example.test", "Two"),
    OrgSpec("Org3MSP", "org3.example.test", "Three"),
)
BOTH = "AND('Org1MSP.peer', 'Org2MSP.peer')"
TWO_OF_THREE = "OutOf(2, 'Org1MSP.peer', 'Org2MSP.peer', 'Org3MSP.peer')"


@pytest.fixture(scope="module")
async def addresses() -> AsyncIterator[dict[str, str]]:
    """A chaincode server each for `plain` (default policy) and `strict` (its own)."""
    addresses = {name: f"127.0.0.1:{free_port()}" for name in ("plain", "strict")}
    servers = [
        await serve_chaincode(package_id_for(name, address), address)
        for name, address in addresses.items()
    ]
    yield addresses
    for server in servers:
        await server.stop(None)


@pytest.fixture(scope="module")
async def devnet(
    addresses: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Devnet]:
    config = DevnetConfig(data_dir=tmp_path_factory.mktemp("devnet"), port=0, tls=False, orgs=ORGS)
    devnet = await Devnet.start(config)
    await devnet.define_chaincode("plain", addresses["plain"])
    strict, _ = await devnet.define_chaincode(
        "strict", addresses["strict"], endorsement_policy=BOTH
    )
    assert strict.endorsement_policy == BOTH
    yield devnet
    await devnet.aclose()


async def _submit(devnet: Devnet, chaincode: str, key: str, orgs: list[str]) -> str:
    """Submit Put(key) endorsed by `orgs` (all: as the gateway plans it); the code name."""
    identity, signer = load_msp_folder("Org1MSP", devnet.pki.user_msp_dir("Org1MSP", "Admin"))
    async with connect(devnet.endpoint, identity=identity, signer=signer) as gateway:
        contract: Contract = gateway.get_network("provena").get_contract(chaincode)
        submitted = await contract.submit_async(
            "Put", args=[key, "v"], endorsing_organizations=orgs
        )
        return (await submitted.get_status()).code_name


async def test_each_chaincode_is_planned_by_its_own_policy(devnet: Devnet) -> None:
    assert list(devnet.endorsing_orgs("plain", ["Org3MSP"])) == ["Org3MSP"]
    assert list(devnet.endorsing_orgs("strict", ["Org2MSP"])) == ["Org2MSP", "Org1MSP"]
    assert list(devnet.endorsing_orgs("strict", ["Org3MSP"])) == ["Org1MSP", "Org2MSP"]


async def test_each_chaincode_is_validated_by_its_own_policy(devnet: Devnet) -> None:
    assert await _submit(devnet, "strict", "planned", []) == "VALID"
    assert await _submit(devnet, "strict", "one-org", ["Org1MSP"]) == "ENDORSEMENT_POLICY_FAILURE"
    assert await _submit(devnet, "plain", "one-org", ["Org1MSP"]) == "VALID"


async def test_a_new_policy_applies_from_the_next_block(devnet: Devnet, tmp_path: Path) -> None:
    assert await _submit(devnet, "plain", "before", ["Org3MSP"]) == "VALID"
    first = devnet.definitions[0]
    upgraded, changed = await devnet.define_chaincode(
        "plain", first.address, endorsement_policy=TWO_OF_THREE
    )
    assert changed
    assert upgraded.sequence == first.sequence + 1
    assert upgraded.defined_at == devnet.store.height
    assert len(devnet.endorsing_orgs("plain")) == 2
    assert await _submit(devnet, "plain", "after", ["Org3MSP"]) == "ENDORSEMENT_POLICY_FAILURE"
    assert await _submit(devnet, "plain", "after", ["Org3MSP", "Org2MSP"]) == "VALID"

    # the whole chain re-verifies, each block against the definition in force for it; judged
    # by today's policies alone, the single-org transaction before the upgrade would not
    registry = ChaincodeRegistry(devnet.config.chaincodes_file)  # as persisted
    policies = ChaincodePolicies(registry, Policy.parse("ANY Endorsement", devnet.pki.msp_ids))
    summary = verify_chain(devnet.store, msps=devnet.msp, policies=policies.at)
    assert summary.ok, summary.problems
    today = verify_chain(devnet.store, msps=devnet.msp, policies=lambda n, _: policies.current(n))
    assert not today.ok
    assert any("ENDORSEMENT_POLICY_FAILURE" in problem for problem in today.problems)


@pytest.mark.parametrize(
    ("policy", "error", "message"),
    [
        ("OR('NopeMSP.peer')", PolicyError, "names NopeMSP, not in the channel"),
        ("AND('Org1MSP.peer'", PolicySyntaxError, "expected"),
        ("OR('Org1MSP.admin')", UnsatisfiablePolicy, "no set of the channel's peers"),
        ("ANY Nothing", PolicySyntaxError, "unknown sub-policy 'Nothing'"),
    ],
)
async def test_a_bad_policy_is_refused_and_changes_nothing(
    devnet: Devnet, addresses: dict[str, str], policy: str, error: type[Exception], message: str
) -> None:
    before = devnet.config.chaincodes_file.read_bytes()
    with pytest.raises(error, match=message):
        await devnet.define_chaincode("strict", addresses["strict"], endorsement_policy=policy)
    with pytest.raises(error, match=message):
        await devnet.define_chaincode("fresh", addresses["strict"], endorsement_policy=policy)
    assert devnet.config.chaincodes_file.read_bytes() == before
    assert devnet.definitions[1].endorsement_policy == BOTH


def test_the_registry_keeps_every_sequence(tmp_path: Path) -> None:
    path = tmp_path / "chaincodes.json"
    registry = ChaincodeRegistry(path)
    registry.define("cc", "127.0.0.1:1", from_block=3)
    same, changed = registry.define("cc", "127.0.0.1:1", from_block=9)
    assert not changed
    assert same.defined_at == 3
    registry.define("cc", "127.0.0.1:1", endorsement_policy=BOTH, from_block=7)
    registry.define("cc", "127.0.0.1:1", endorsement_policy=TWO_OF_THREE, from_block=7)
    reloaded = ChaincodeRegistry(path)

    def in_force(block: int) -> tuple[int, str | None] | None:
        definition = reloaded.in_force("cc", block)
        return None if definition is None else (definition.sequence, definition.endorsement_policy)

    assert in_force(2) is None  # not defined yet
    assert in_force(3) == (1, None)
    assert in_force(6) == (1, None)
    assert in_force(7) == (3, TWO_OF_THREE)  # two upgrades before block 7: the last counts
    assert [(d.name, d.sequence) for d in reloaded.definitions] == [("cc", 3)]
