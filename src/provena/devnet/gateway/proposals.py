"""Unpacking a signed proposal into what the gateway routes on: channel, chaincode, creator."""

from __future__ import annotations

from dataclasses import dataclass

from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2

__all__ = ["UnpackedProposal", "unpack_proposal"]


@dataclass(frozen=True, slots=True)
class UnpackedProposal:
    header: common_pb2.Header
    payload: proposal_pb2.ChaincodeProposalPayload
    channel: str
    chaincode: str
    creator_msp_id: str


def unpack_proposal(signed: proposal_pb2.SignedProposal) -> UnpackedProposal:
    """The proposal's routing fields; raises ValueError with Fabric's wording when malformed."""
    if not signed.proposal_bytes:
        raise ValueError("a signed proposal is required")
    proposal = proposal_pb2.Proposal.FromString(signed.proposal_bytes)
    header = common_pb2.Header.FromString(proposal.header)
    channel_header = common_pb2.ChannelHeader.FromString(header.channel_header)
    signature_header = common_pb2.SignatureHeader.FromString(header.signature_header)
    payload = proposal_pb2.ChaincodeProposalPayload.FromString(proposal.payload)
    spec = chaincode_pb2.ChaincodeInvocationSpec.FromString(payload.input)
    creator = identities_pb2.SerializedIdentity.FromString(signature_header.creator)
    channel = channel_header.channel_id
    if not channel:
        raise ValueError("no channel id provided")
    if not spec.HasField("chaincode_spec"):
        raise ValueError(f"no chaincode spec is provided, channel id [{channel}]")
    if not spec.chaincode_spec.HasField("chaincode_id"):
        raise ValueError(f"no chaincode id is provided, channel id [{channel}]")
    if not spec.chaincode_spec.chaincode_id.name:
        raise ValueError(f"no chaincode name is provided, channel id [{channel}]")
    return UnpackedProposal(
        header=header,
        payload=payload,
        channel=channel,
        chaincode=spec.chaincode_spec.chaincode_id.name,
        creator_msp_id=creator.mspid,
    )
