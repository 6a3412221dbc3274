"""Ledger proofs: where a transaction was committed, who created it and who endorsed it.

A proof is read from the transaction's block, never from the projections: the block holds
the envelope (its channel header names the transaction and its time, its signature header the
creator's certificate), the endorsements (each endorser's MSP), and the block metadata's
transactions filter holds each transaction's validation code. Blocks are immutable, so
`LedgerReader` caches them in memory; a proof costs one ledger read the first time.

    block N ── data[i]: Envelope ── Payload ── Header ── ChannelHeader (tx id, time)
                                       │           └──── SignatureHeader (creator)
                                       └─ Transaction ── ChaincodeActionPayload
                                                            └─ endorsements[] (MSP ids)
            └─ metadata[TRANSACTIONS_FILTER][i]: validation code
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.x509.oid import NameOID
from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2, transaction_pb2
from google.protobuf.message import DecodeError

from provena.fabric import validation_code_name
from provena.verification.errors import ProofUnavailable

__all__ = ["BlockSummary", "Proof", "parse_block"]

_FILTER = common_pb2.BlockMetadataIndex.Value("TRANSACTIONS_FILTER")


@dataclass(frozen=True, slots=True)
class Proof:
    """One transaction as its block records it."""

    tx_id: str
    block_number: int
    validation_code: str
    timestamp: datetime | None
    creator_msp_id: str
    creator_subject: str | None
    """The creator certificate's subject (RFC 4514)."""
    creator_enrollment_id: str | None
    """The certificate's common name: the enrollment id at the organization's CA."""
    endorsers: tuple[str, ...]
    """MSP ids of the endorsing organizations, sorted."""
    function: str | None
    """The called function (`Contract:Function`) for chaincode transactions."""


@dataclass(frozen=True, slots=True)
class BlockSummary:
    number: int
    transactions: tuple[Proof, ...]

    @property
    def timestamp(self) -> datetime | None:
        """The time of the block's last transaction (blocks themselves carry none)."""
        times = [t.timestamp for t in self.transactions if t.timestamp is not None]
        return max(times) if times else None


def _creator(data: bytes) -> tuple[str, str | None, str | None]:
    identity = identities_pb2.SerializedIdentity.FromString(data)
    try:
        certificate = x509.load_pem_x509_certificate(identity.id_bytes)
    except ValueError:
        return identity.mspid, None, None
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    common_name = str(names[0].value) if names else None
    return identity.mspid, certificate.subject.rfc4514_string(), common_name


def _endorsed(data: bytes) -> tuple[tuple[str, ...], str | None]:
    """Endorsing MSPs and the function called, from a peer.Transaction."""
    transaction = transaction_pb2.Transaction.FromString(data)
    endorsers: set[str] = set()
    function = None
    for action in transaction.actions:
        payload = transaction_pb2.ChaincodeActionPayload.FromString(action.payload)
        for endorsement in payload.action.endorsements:
            endorsers.add(identities_pb2.SerializedIdentity.FromString(endorsement.endorser).mspid)
        proposal = proposal_pb2.ChaincodeProposalPayload.FromString(
            payload.chaincode_proposal_payload
        )
        spec = chaincode_pb2.ChaincodeInvocationSpec.FromString(proposal.input)
        if function is None and spec.chaincode_spec.input.args:
            function = spec.chaincode_spec.input.args[0].decode("utf-8", "replace")
    return tuple(sorted(endorsers)), function


def _proof(number: int, envelope_bytes: bytes, code: int) -> Proof:
    envelope = common_pb2.Envelope.FromString(envelope_bytes)
    payload = common_pb2.Payload.FromString(envelope.payload)
    channel = common_pb2.ChannelHeader.FromString(payload.header.channel_header)
    signature = common_pb2.SignatureHeader.FromString(payload.header.signature_header)
    msp_id, subject, common_name = _creator(signature.creator)
    endorsers: tuple[str, ...] = ()
    function = None
    if channel.type == common_pb2.ENDORSER_TRANSACTION:
        endorsers, function = _endorsed(payload.data)
    timestamp = None
    if channel.HasField("timestamp"):
        timestamp = channel.timestamp.ToDatetime(tzinfo=UTC)
    return Proof(
        tx_id=channel.tx_id,
        block_number=number,
        validation_code=validation_code_name(code),
        timestamp=timestamp,
        creator_msp_id=msp_id,
        creator_subject=subject,
        creator_enrollment_id=common_name,
        endorsers=endorsers,
        function=function,
    )


def parse_block(block: common_pb2.Block) -> BlockSummary:
    """Every transaction of `block` with its proof."""
    number = int(block.header.number)
    codes = block.metadata.metadata[_FILTER] if len(block.metadata.metadata) > _FILTER else b""
    try:
        proofs = tuple(
            _proof(number, data, codes[i] if i < len(codes) else 255)
            for i, data in enumerate(block.data.data)
        )
    except DecodeError as exc:
        raise ProofUnavailable(f"block {number} does not parse: {exc}") from exc
    return BlockSummary(number, proofs)
