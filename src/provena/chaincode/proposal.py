"""The facts a transaction reads from its signed proposal: creator, time, transient data."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import proposal_pb2
from google.protobuf.message import DecodeError

from provena.chaincode.errors import ProtocolError

__all__ = ["ProposalFacts", "parse_creator", "parse_proposal"]

_ACCEPTED_HEADER_TYPES = (common_pb2.ENDORSER_TRANSACTION, common_pb2.CONFIG)


@dataclass(frozen=True, slots=True)
class ProposalFacts:
    """What the Go shim extracts from a proposal, decoded once per transaction."""

    signed_proposal: Any
    creator: bytes
    timestamp: datetime
    transient: dict[str, bytes]
    binding: bytes


def _parse(message: Any, data: bytes, what: str) -> Any:
    try:
        message.ParseFromString(data)
    except DecodeError as exc:
        raise ProtocolError(f"malformed {what} in the signed proposal") from exc
    return message


def parse_proposal(signed_proposal: Any) -> ProposalFacts:
    """Decode and check the proposal of a TRANSACTION or INIT message."""
    proposal = _parse(proposal_pb2.Proposal(), signed_proposal.proposal_bytes, "proposal")
    if not proposal.header:
        raise ProtocolError("the proposal has no header")
    header = _parse(common_pb2.Header(), proposal.header, "header")
    channel_header = _parse(common_pb2.ChannelHeader(), header.channel_header, "channel header")
    if channel_header.type not in _ACCEPTED_HEADER_TYPES:
        raise ProtocolError(
            f"invalid channel header type {channel_header.type}: "
            "expected ENDORSER_TRANSACTION or CONFIG"
        )
    signature_header = _parse(
        common_pb2.SignatureHeader(), header.signature_header, "signature header"
    )
    payload = _parse(proposal_pb2.ChaincodeProposalPayload(), proposal.payload, "proposal payload")
    epoch = channel_header.epoch.to_bytes(8, "little")
    binding = hashlib.sha256(signature_header.nonce + signature_header.creator + epoch).digest()
    stamp = channel_header.timestamp
    timestamp = datetime.fromtimestamp(stamp.seconds, UTC).replace(microsecond=stamp.nanos // 1000)
    return ProposalFacts(
        signed_proposal=signed_proposal,
        creator=signature_header.creator,
        timestamp=timestamp,
        transient=dict(payload.TransientMap),
        binding=binding,
    )


def parse_creator(creator: bytes) -> Any:
    """The creator as an `msp.SerializedIdentity`."""
    return _parse(identities_pb2.SerializedIdentity(), creator, "creator")
