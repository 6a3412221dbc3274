"""One devnet over TLS serving the `KeyValue` chaincode for this package's tests, with a few
blocks to read, raw gRPC stubs to its Gateway and Deliver services, and identities it does and
does not trust."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass

import grpc
import pytest
from fabric_protos.gateway import gateway_pb2_grpc
from fabric_protos.peer import events_pb2_grpc

from provena import chaincode
from provena.devnet.identity import SigningIdentity
from provena.devnet.pki import Pki, UserSpec
from provena.fabric import Contract, Gateway
from tests.devnet.network.support import KeyValue
from tests.support.ledger import Ledger, running_ledger

CHAINCODE = "kv"
USER = ("ProducerMSP", "tomas.herrera")
BLOCKS = 3
"""Transactions committed (one block each) before the tests start."""


class Dice(chaincode.Contract):
    """A transaction whose result differs on every peer that runs it."""

    name = "Dice"

    @chaincode.transaction
    async def Roll(self, ctx: chaincode.Context) -> str:
        return secrets.token_hex(16)


@dataclass(frozen=True)
class Network:
    """The running devnet, the Python client as `USER`, raw stubs, and a foreign PKI whose
    organizations have the channel's MSP ids but CAs the channel does not trust."""

    ledger: Ledger
    gateway: Gateway
    grpc_channel: grpc.aio.Channel
    strangers: Pki

    @property
    def channel(self) -> str:
        return self.ledger.channel

    @property
    def contract(self) -> Contract:
        return self.gateway.get_network(self.channel).get_contract(CHAINCODE)

    @property
    def gateway_stub(self) -> gateway_pb2_grpc.GatewayStub:
        return gateway_pb2_grpc.GatewayStub(self.grpc_channel)

    @property
    def deliver_stub(self) -> events_pb2_grpc.DeliverStub:
        return events_pb2_grpc.DeliverStub(self.grpc_channel)

    def member(self, msp_id: str = USER[0], name: str = USER[1]) -> SigningIdentity:
        return self.ledger.devnet.pki.signer(msp_id, name)

    def stranger(self) -> SigningIdentity:
        return self.strangers.signer(*USER)

    def orderer(self) -> SigningIdentity:
        """A channel member, but of the ordering organization, not of the application."""
        return self.ledger.devnet.pki.orderer_signer()


@pytest.fixture(scope="package")
async def network(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Network]:
    root = tmp_path_factory.mktemp("gateway")
    contracts = [KeyValue(), Dice()]
    async with running_ledger(root / "devnet", CHAINCODE, contracts, ready_as=USER) as ledger:
        strangers = Pki.load_or_create(
            root / "strangers", ledger.devnet.config.orgs, [UserSpec(USER[1], USER[0])]
        )
        tls = ledger.tls
        channel = grpc.aio.secure_channel(
            ledger.devnet.endpoint,
            grpc.ssl_channel_credentials(tls.root_certificates),
            options=[("grpc.ssl_target_name_override", tls.server_name)],
        )
        async with ledger.connect(*USER) as gateway:
            network = Network(ledger, gateway, channel, strangers)
            for n in range(BLOCKS):
                await network.contract.submit_transaction("Put", f"k{n}", "v")
            yield network
        await channel.close()
