"""Validation over gRPC of a transaction touching a second namespace, as a chaincode-to-chaincode
call leaves it: every namespace it writes must be a chaincode defined on the channel, whose
policy the endorsements satisfy; a namespace it only reads needs nothing."""

from __future__ import annotations

from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import transaction_pb2

from provena.devnet.ledger.simulator import TxSimulator
from tests.devnet.gateway.conftest import CHAINCODE, USER, Network
from tests.devnet.gateway.support import commit_status_request
from tests.devnet.ledger.support import endorsed_envelope

C = transaction_pb2.TxValidationCode


async def submit_touching(network: Network, namespace: str, *, write: bool) -> int:
    """Submit over gRPC a transaction of `CHAINCODE` that also reads or writes `namespace`,
    endorsed by the user's own peer; its validation code."""
    sim = TxSimulator(network.ledger.devnet.store)
    sim.put_state(CHAINCODE, "caller", b"v")
    if write:
        sim.put_state(namespace, "callee", b"v")
    else:
        await sim.get_state(namespace, "callee")
    envelope = endorsed_envelope(
        creator=network.member(),
        endorsers=[network.ledger.devnet.pki.signer(USER[0])],
        rwset=sim.rwset(),
        chaincode=CHAINCODE,
        channel=network.channel,
    )
    await network.gateway_stub.Submit(
        gateway_pb2.SubmitRequest(channel_id=network.channel, prepared_transaction=envelope),
        timeout=10,
    )
    request = commit_status_request(network.member(), network.channel, _tx_id(envelope.payload))
    status = await network.gateway_stub.CommitStatus(request, timeout=10)
    return int(status.result)


def _tx_id(payload: bytes) -> str:
    header = common_pb2.Payload.FromString(payload).header
    return str(common_pb2.ChannelHeader.FromString(header.channel_header).tx_id)


async def test_a_write_into_an_undefined_chaincode_is_invalid(network: Network) -> None:
    assert await submit_touching(network, "nowhere", write=True) == C.INVALID_CHAINCODE
    assert network.ledger.devnet.store.get_state("nowhere", "callee") is None


async def test_a_read_of_another_namespace_needs_no_definition(network: Network) -> None:
    assert await submit_touching(network, "nowhere", write=False) == C.VALID
