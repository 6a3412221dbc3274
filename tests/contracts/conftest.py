"""The contracts on a real devnet: the chaincode served over CCaaS, clients per demo person."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from provena.chaincode import ChaincodeServer, Contracts, ServerSettings
from provena.contracts import CONTRACTS
from provena.demo import PEOPLE
from provena.devnet.config import DevnetConfig
from provena.devnet.network import Devnet
from provena.fabric import Contract, Gateway, GatewayError, Tls, connect, load_msp_folder
from tests.support.server import free_port

CHAINCODE = "provena"


@dataclass
class World:
    """A devnet running the contracts, and a gateway for each demo person."""

    devnet: Devnet
    gateways: dict[str, Gateway] = field(default_factory=dict)

    def contract(self, username: str, contract: str) -> Contract:
        network = self.gateways[username].get_network(self.devnet.channel)
        return network.get_contract(CHAINCODE, contract)

    async def submit(self, username: str, contract: str, function: str, *args: Any) -> Any:
        result = await self.contract(username, contract).submit_transaction(
            function, *(_arg(a) for a in args)
        )
        return json.loads(result) if result else None

    async def evaluate(self, username: str, contract: str, function: str, *args: Any) -> Any:
        result = await self.contract(username, contract).evaluate_transaction(
            function, *(_arg(a) for a in args)
        )
        return json.loads(result) if result else None


def _arg(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


@pytest.fixture(scope="module")
async def world(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[World]:
    config = DevnetConfig(data_dir=tmp_path_factory.mktemp("devnet"), port=0)
    devnet = await Devnet.start(config)
    address = f"127.0.0.1:{free_port()}"
    definition, _ = await devnet.define_chaincode(CHAINCODE, address)
    server = ChaincodeServer(
        Contracts(*CONTRACTS), ServerSettings(chaincode_id=definition.package_id, address=address)
    )
    await server.start()
    world = World(devnet)
    tls = Tls(
        root_certificates=devnet.pki.tls_ca_file.read_bytes(), server_name=devnet.pki.server_name
    )
    try:
        for person in PEOPLE:
            identity, signer = load_msp_folder(
                person.msp_id, devnet.pki.user_msp_dir(person.msp_id, person.username)
            )
            world.gateways[person.username] = connect(
                devnet.endpoint, identity=identity, signer=signer, tls=tls
            )
        await _until_ready(world)
        yield world
    finally:
        for gateway in world.gateways.values():
            await gateway.close()
        await server.stop()
        await devnet.aclose()


async def _until_ready(world: World) -> None:
    """The launcher connects to the chaincode in the background; wait until it answers."""
    network = world.gateways["ines.moreau"].get_network(world.devnet.channel)
    contract = network.get_contract(CHAINCODE)
    for _ in range(200):
        try:
            await contract.evaluate_transaction("org.hyperledger.fabric:GetMetadata")
            return
        except GatewayError:  # not connected to the chaincode yet
            await asyncio.sleep(0.05)
    await contract.evaluate_transaction("org.hyperledger.fabric:GetMetadata")
