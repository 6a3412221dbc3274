"""Evaluate and Endorse over gRPC refuse a proposal that cannot be routed, with a peer
gateway's INVALID_ARGUMENT and its reason, before any endorser sees it."""

from __future__ import annotations

import grpc
import pytest
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2

from tests.devnet.gateway.conftest import CHAINCODE, Network
from tests.devnet.gateway.support import rpc_error

UNPACK = "failed to unpack transaction proposal: "


def signed_proposal(
    network: Network, channel: str, spec: chaincode_pb2.ChaincodeSpec | None
) -> proposal_pb2.SignedProposal:
    member = network.member()
    header = common_pb2.Header(
        channel_header=common_pb2.ChannelHeader(
            type=common_pb2.ENDORSER_TRANSACTION, channel_id=channel
        ).SerializeToString(),
        signature_header=common_pb2.SignatureHeader(
            creator=member.serialized(), nonce=b"n" * 24
        ).SerializeToString(),
    )
    invocation = chaincode_pb2.ChaincodeInvocationSpec()
    if spec is not None:
        invocation.chaincode_spec.CopyFrom(spec)
    payload = proposal_pb2.ChaincodeProposalPayload(input=invocation.SerializeToString())
    data = proposal_pb2.Proposal(
        header=header.SerializeToString(), payload=payload.SerializeToString()
    ).SerializeToString()
    return proposal_pb2.SignedProposal(proposal_bytes=data, signature=member.sign(data))


def spec(chaincode_id: chaincode_pb2.ChaincodeID | None) -> chaincode_pb2.ChaincodeSpec:
    result = chaincode_pb2.ChaincodeSpec(input=chaincode_pb2.ChaincodeInput(args=[b"Get", b"k"]))
    if chaincode_id is not None:
        result.chaincode_id.CopyFrom(chaincode_id)
    return result


@pytest.mark.parametrize("method", ["Evaluate", "Endorse"])
async def test_unroutable_proposals(network: Network, method: str) -> None:
    channel = network.channel
    cases = {
        UNPACK + "Error parsing message": proposal_pb2.SignedProposal(
            proposal_bytes=b"\xff\x01", signature=b"s"
        ),
        UNPACK + "no channel id provided": signed_proposal(
            network, "", spec(chaincode_pb2.ChaincodeID(name=CHAINCODE))
        ),
        UNPACK + f"no chaincode spec is provided, channel id [{channel}]": signed_proposal(
            network, channel, None
        ),
        UNPACK + f"no chaincode id is provided, channel id [{channel}]": signed_proposal(
            network, channel, spec(None)
        ),
        UNPACK + f"no chaincode name is provided, channel id [{channel}]": signed_proposal(
            network, channel, spec(chaincode_pb2.ChaincodeID(version="1"))
        ),
    }
    if method == "Endorse":
        empty = proposal_pb2.SignedProposal()
        cases["the proposed transaction must contain a signed proposal"] = empty
    else:
        cases[UNPACK + "a signed proposal is required"] = proposal_pb2.SignedProposal()
    call = getattr(network.gateway_stub, method)
    request_type = getattr(gateway_pb2, f"{method}Request")
    for message, proposal in cases.items():
        request = request_type(channel_id=channel, proposed_transaction=proposal)
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await call(request, timeout=10)
        code, text = rpc_error(caught.value)
        assert code == grpc.StatusCode.INVALID_ARGUMENT
        assert text.startswith(message)
