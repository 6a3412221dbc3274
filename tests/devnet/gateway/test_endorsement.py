"""Choosing endorsers over gRPC: a client whose organization has no peer is served by the
chaincode's plan, and endorsements that disagree are refused as a Fabric peer's gateway does."""

from __future__ import annotations

from collections.abc import AsyncIterator

import grpc
import pytest
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import transaction_pb2

from provena.fabric import EndorseError, ErrorDetail, Gateway, GatewayError, Identity, connect
from tests.devnet.gateway.conftest import CHAINCODE, Network


@pytest.fixture
async def peerless(network: Network) -> AsyncIterator[Gateway]:
    """A client of the ordering organization, a channel member that runs no peer."""
    orderer = network.orderer()
    identity = Identity(orderer.msp_id, orderer.certificate_pem)
    async with connect(
        network.ledger.devnet.endpoint,
        identity=identity,
        signer=orderer.sign_digest,
        tls=network.ledger.tls,
    ) as gateway:
        yield gateway


async def test_a_client_without_a_peer_is_endorsed_by_the_plan(
    network: Network, peerless: Gateway
) -> None:
    """With no peer of its own, the proposal goes to the first organization of the plan."""
    contract = peerless.get_network(network.channel).get_contract(CHAINCODE)
    assert await contract.evaluate_transaction("Get", "k0") == b"v"
    transaction = await contract.new_proposal("Put", args=["peerless", "v"]).endorse()
    assert endorsers(transaction.to_bytes()) == [network.ledger.devnet.endorsing_orgs(CHAINCODE)[0]]


async def test_an_unknown_chaincode_without_a_peer_of_ones_own(
    network: Network, peerless: Gateway
) -> None:
    """Fabric's gateway plans from discovery, which knows no such chaincode."""
    contract = peerless.get_network(network.channel).get_contract("nowhere")
    for call, message in (
        (
            contract.evaluate_transaction("Get", "k0"),
            f"no peers available to evaluate chaincode nowhere in channel {network.channel}",
        ),
        (
            contract.new_proposal("Put", args=["k", "v"]).endorse(),
            "no combination of peers can be derived which satisfy the endorsement policy: "
            f"No metadata was found for chaincode nowhere in channel {network.channel}",
        ),
    ):
        with pytest.raises(GatewayError) as caught:
            await call
        assert caught.value.code == grpc.StatusCode.FAILED_PRECONDITION
        assert caught.value.message == message


def endorsers(prepared: bytes) -> list[str]:
    """The MSP ids of the endorsements in a prepared transaction."""
    envelope = gateway_pb2.PreparedTransaction.FromString(prepared).envelope
    transaction = transaction_pb2.Transaction.FromString(
        common_pb2.Payload.FromString(envelope.payload).data
    )
    action = transaction_pb2.ChaincodeActionPayload.FromString(transaction.actions[0].payload)
    return [
        identities_pb2.SerializedIdentity.FromString(e.endorser).mspid
        for e in action.action.endorsements
    ]


async def test_the_chosen_endorsing_organizations_endorse(network: Network) -> None:
    proposal = network.contract.new_proposal(
        "Put", args=["chosen", "v"], endorsing_organizations=["CarrierMSP", "RetailerMSP"]
    )
    transaction = await proposal.endorse()
    assert endorsers(transaction.to_bytes()) == ["CarrierMSP", "RetailerMSP"]
    assert (await (await transaction.submit()).get_status()).successful
    state = network.ledger.devnet.store.get_state(CHAINCODE, "chosen")
    assert state is not None
    assert state[0] == b"v"


async def test_endorsements_that_differ_are_refused(network: Network) -> None:
    """Each peer rolls its own dice: the responses cannot be valid together."""
    dice = network.gateway.get_network(network.channel).get_contract(CHAINCODE, "Dice")
    proposal = dice.new_proposal("Roll", endorsing_organizations=["ProducerMSP", "CarrierMSP"])
    with pytest.raises(EndorseError) as caught:
        await proposal.endorse()
    assert caught.value.code == grpc.StatusCode.ABORTED
    assert caught.value.message == (
        "failed to collect enough transaction endorsements, see attached details for more info"
    )
    assert caught.value.details == (
        ErrorDetail(
            network.ledger.devnet.endpoint, "CarrierMSP", "ProposalResponsePayloads do not match"
        ),
    )
