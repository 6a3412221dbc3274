"""Builds the `gateway.ProposedTransaction` for a chaincode call, field by field as a peer expects.

SignedProposal.proposal_bytes = Proposal
  header  = Header
    channel_header   = ChannelHeader(type=ENDORSER_TRANSACTION, tx_id, timestamp,
                                     channel_id, epoch=0,
                                     extension=ChaincodeHeaderExtension(chaincode_id))
    signature_header = SignatureHeader(creator, nonce)
  payload = ChaincodeProposalPayload(
              input=ChaincodeInvocationSpec(ChaincodeSpec(type, chaincode_id,
                                            ChaincodeInput(args=[name, *args]))),
              TransientMap)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2
from google.protobuf.timestamp_pb2 import Timestamp

from provena.fabric.txcontext import TransactionContext

__all__ = ["as_bytes", "new_proposed_transaction"]


def as_bytes(value: str | bytes) -> bytes:
    """Arguments and transient values travel as bytes; strings are UTF-8."""
    return value.encode() if isinstance(value, str) else bytes(value)


def new_proposed_transaction(
    *,
    creator: bytes,
    channel: str,
    chaincode: str,
    transaction_name: str,
    args: Sequence[str | bytes] = (),
    transient_data: Mapping[str, str | bytes] | None = None,
    endorsing_organizations: Sequence[str] = (),
) -> gateway_pb2.ProposedTransaction:
    """A new unsigned proposal with a fresh nonce and transaction id."""
    context = TransactionContext.new(creator)
    chaincode_id = chaincode_pb2.ChaincodeID(name=chaincode)
    timestamp = Timestamp()
    timestamp.GetCurrentTime()
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.ENDORSER_TRANSACTION,
        version=0,
        timestamp=timestamp,
        channel_id=channel,
        tx_id=context.transaction_id,
        epoch=0,
        extension=proposal_pb2.ChaincodeHeaderExtension(
            chaincode_id=chaincode_id
        ).SerializeToString(),
    )
    header = common_pb2.Header(
        channel_header=channel_header.SerializeToString(),
        signature_header=context.signature_header.SerializeToString(),
    )
    spec = chaincode_pb2.ChaincodeSpec(
        type=chaincode_pb2.ChaincodeSpec.NODE,
        chaincode_id=chaincode_id,
        input=chaincode_pb2.ChaincodeInput(
            args=[as_bytes(transaction_name), *(as_bytes(arg) for arg in args)]
        ),
    )
    payload = proposal_pb2.ChaincodeProposalPayload(
        input=chaincode_pb2.ChaincodeInvocationSpec(chaincode_spec=spec).SerializeToString(),
        TransientMap={key: as_bytes(value) for key, value in (transient_data or {}).items()},
    )
    proposal = proposal_pb2.Proposal(
        header=header.SerializeToString(), payload=payload.SerializeToString()
    )
    return gateway_pb2.ProposedTransaction(
        transaction_id=context.transaction_id,
        proposal=proposal_pb2.SignedProposal(proposal_bytes=proposal.SerializeToString()),
        endorsing_organizations=list(endorsing_organizations),
    )
