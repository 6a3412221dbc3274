"""Submit over gRPC when the orderer rejects a transaction, does not answer in time, or is down:
the codes, messages and error details of a Fabric peer's gateway."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import grpc
import pytest
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2

from provena.devnet.endorser import Endorser
from provena.devnet.gateway import GatewayOptions, add_gateway_services
from provena.devnet.ledger import LedgerStore
from provena.devnet.msp import MspManager
from provena.devnet.network import Devnet
from provena.devnet.notifier import CommitNotifier
from provena.devnet.orderer import Orderer
from provena.fabric import ErrorDetail, Gateway, SubmitError, connect, load_msp_folder
from tests.devnet.gateway.conftest import CHAINCODE, USER, Network
from tests.devnet.gateway.support import rpc_error
from tests.devnet.network.support import KeyValue
from tests.support.ledger import running_ledger

BROADCAST_TIMEOUT = 0.3
NO_ORDERERS = "no orderers could successfully process transaction"


async def test_an_envelope_the_orderer_rejects_is_aborted(network: Network) -> None:
    """The orderer's signature filter evaluates /Channel/Writers before ordering: FORBIDDEN
    with the implicit-meta policy's message, not retried."""
    endorsed = await network.contract.new_proposal("Put", args=["rejected", "v"]).endorse()
    signature = network.member("ProducerMSP", "Admin").sign_digest(endorsed.digest)
    transaction = network.gateway.new_signed_transaction(endorsed.to_bytes(), signature)
    with pytest.raises(SubmitError) as caught:
        await transaction.submit()
    assert caught.value.code == grpc.StatusCode.ABORTED
    assert caught.value.message == (
        "received unsuccessful response from orderer: status=FORBIDDEN, "
        "info=implicit policy evaluation failed - 0 sub-policies were satisfied, but this "
        "policy requires 1 of the 'Writers' sub-policies to be satisfied: permission denied"
    )
    assert caught.value.transaction_id == transaction.transaction_id
    assert network.ledger.devnet.store.tx_location(transaction.transaction_id) is None


async def test_submit_requests_the_gateway_refuses(network: Network) -> None:
    transaction = await network.contract.new_proposal("Put", args=["never", "v"]).endorse()
    prepared = gateway_pb2.PreparedTransaction.FromString(transaction.to_bytes()).envelope
    signed = common_pb2.Envelope(payload=prepared.payload, signature=b"signature")
    cases = {
        (grpc.StatusCode.INVALID_ARGUMENT, "a prepared transaction is required"): (
            gateway_pb2.SubmitRequest(channel_id=network.channel)
        ),
        (grpc.StatusCode.INVALID_ARGUMENT, "prepared transaction must be signed"): (
            gateway_pb2.SubmitRequest(channel_id=network.channel, prepared_transaction=prepared)
        ),
        (
            grpc.StatusCode.FAILED_PRECONDITION,
            "failed to get config for channel [elsewhere]: "
            "could not get last config for channel elsewhere",
        ): gateway_pb2.SubmitRequest(channel_id="elsewhere", prepared_transaction=signed),
    }
    for expected, request in cases.items():
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await network.gateway_stub.Submit(request, timeout=10)
        assert rpc_error(caught.value) == expected


class HeldOrderer:
    """The devnet's orderer behind a link that holds every envelope until released, as a
    partitioned or overloaded orderer does."""

    def __init__(self, orderer: Orderer) -> None:
        self._orderer = orderer
        self.released = asyncio.Event()

    async def broadcast(self, envelope: common_pb2.Envelope) -> None:
        await self.released.wait()
        await self._orderer.broadcast(envelope)


class HeldLink:
    """The devnet, as the gateway peer sees it, but reaching its orderer over a `HeldOrderer`."""

    def __init__(self, devnet: Devnet) -> None:
        self._devnet = devnet
        self._orderer = HeldOrderer(devnet.orderer)

    @property
    def channel(self) -> str:
        return self._devnet.channel

    @property
    def endpoint(self) -> str:
        return self._devnet.endpoint

    @property
    def msp(self) -> MspManager:
        return self._devnet.msp

    @property
    def orderer(self) -> HeldOrderer:
        return self._orderer

    @property
    def notifier(self) -> CommitNotifier:
        return self._devnet.notifier

    @property
    def store(self) -> LedgerStore:
        return self._devnet.store

    def endorser(self, msp_id: str) -> Endorser | None:
        return self._devnet.endorser(msp_id)

    def endorsing_peers(self, chaincode: str) -> Sequence[str]:
        return self._devnet.endorsing_peers(chaincode)

    def endorsing_orgs(self, chaincode: str, preferred: Sequence[str] = ()) -> Sequence[str]:
        return self._devnet.endorsing_orgs(chaincode, preferred)


@asynccontextmanager
async def held_gateway(network: Network, link: HeldLink) -> AsyncIterator[Gateway]:
    """The client as `USER`, through a gateway server of its own over `link`."""
    server = grpc.aio.server()
    add_gateway_services(
        server, link, gateway_options=GatewayOptions(broadcast_timeout=BROADCAST_TIMEOUT)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    pki = network.ledger.devnet.pki
    identity, signer = load_msp_folder(USER[0], pki.user_msp_dir(*USER))
    try:
        async with connect(f"127.0.0.1:{port}", identity=identity, signer=signer) as gateway:
            yield gateway
    finally:
        await server.stop(None)


async def test_an_orderer_that_does_not_answer_in_time_is_unavailable(network: Network) -> None:
    """Past the broadcast timeout a peer gives up on that orderer and reports it in the
    details; the envelope it held is never ordered."""
    link = HeldLink(network.ledger.devnet)
    async with held_gateway(network, link) as gateway:
        contract = gateway.get_network(network.channel).get_contract(CHAINCODE)
        held = await contract.new_proposal("Put", args=["held", "v"]).endorse()
        with pytest.raises(SubmitError) as caught:
            await held.submit()
        assert caught.value.code == grpc.StatusCode.UNAVAILABLE
        assert caught.value.message == NO_ORDERERS
        assert caught.value.details == (
            ErrorDetail(
                network.ledger.devnet.endpoint,
                "OrdererMSP",
                "rpc error: code = DeadlineExceeded desc = context deadline exceeded",
            ),
        )
        link.orderer.released.set()
        status = await (await contract.submit_async("Put", args=["released", "v"])).get_status()
        assert status.successful
    assert network.ledger.devnet.store.tx_location(held.transaction_id) is None


@pytest.fixture
async def stopped(tmp_path: Path) -> AsyncIterator[Gateway]:
    """A gateway to a devnet of its own, whose orderer has stopped."""
    async with (
        running_ledger(tmp_path, CHAINCODE, [KeyValue()], ready_as=USER) as ledger,
        ledger.connect(*USER) as gateway,
    ):
        await ledger.devnet.orderer.aclose()
        yield gateway


async def test_a_stopped_orderer_is_unavailable(stopped: Gateway) -> None:
    contract = stopped.get_network("provena").get_contract(CHAINCODE)
    transaction = await contract.new_proposal("Put", args=["down", "v"]).endorse()
    with pytest.raises(SubmitError) as caught:
        await transaction.submit()
    assert caught.value.code == grpc.StatusCode.UNAVAILABLE
    assert caught.value.message == NO_ORDERERS
    [detail] = caught.value.details
    assert (detail.msp_id, detail.message) == ("OrdererMSP", "the orderer has stopped")
