"""Unpacking a transaction envelope, with Fabric's validation code for each malformation.

    Envelope(payload, signature)
      Payload(header = Header(channel_header, signature_header), data)
        ENDORSER_TRANSACTION data = Transaction(actions = [TransactionAction(header, payload)])
          ChaincodeActionPayload(chaincode_proposal_payload,
            action = ChaincodeEndorsedAction(proposal_response_payload, endorsements))
            ProposalResponsePayload(proposal_hash, extension = ChaincodeAction(results = rwset, …))

Two steps, in Fabric's order: the common header (so the creator's signature can be checked)
and then the endorser transaction's body.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fabric_protos.common import common_pb2
from fabric_protos.ledger.rwset import rwset_pb2
from fabric_protos.peer import (
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)
from google.protobuf.message import DecodeError

from provena.devnet.ledger.errors import InvalidTransaction

__all__ = [
    "EndorserTransaction",
    "TransactionHeader",
    "proposal_hash",
    "tx_id_for",
    "unpack_endorser_transaction",
    "unpack_header",
]

_Code = transaction_pb2.TxValidationCode
_ACCEPTED_TYPES = (
    common_pb2.ENDORSER_TRANSACTION,
    common_pb2.CONFIG,
    common_pb2.CONFIG_UPDATE,
)


def tx_id_for(nonce: bytes, creator: bytes) -> str:
    """Fabric's transaction id: hex SHA-256 of nonce ‖ serialized creator."""
    return hashlib.sha256(nonce + creator).hexdigest()


def proposal_hash(channel_header: bytes, signature_header: bytes, proposal_payload: bytes) -> bytes:
    """The hash endorsers sign into ProposalResponsePayload.proposal_hash.

    `proposal_payload` is the ChaincodeProposalPayload without its transient map, as it
    travels in the transaction."""
    return hashlib.sha256(channel_header + signature_header + proposal_payload).digest()


@dataclass(frozen=True, slots=True)
class TransactionHeader:
    """An envelope whose common header is well formed; its creator signature is unchecked."""

    envelope: common_pb2.Envelope
    payload: common_pb2.Payload
    channel_header: common_pb2.ChannelHeader
    signature_header: common_pb2.SignatureHeader

    @property
    def tx_id(self) -> str:
        return str(self.channel_header.tx_id)

    @property
    def creator(self) -> bytes:
        return bytes(self.signature_header.creator)


@dataclass(frozen=True, slots=True)
class EndorserTransaction:
    """An endorser transaction's parts the validator checks."""

    chaincode: str
    response_payload: bytes
    endorsements: list[proposal_response_pb2.Endorsement]
    rwset: rwset_pb2.TxReadWriteSet


def _parse(message_type: Any, data: bytes, code: int, what: str) -> Any:
    try:
        return message_type.FromString(data)
    except DecodeError as exc:
        raise InvalidTransaction(code, f"malformed {what}: {exc}") from exc


def unpack_header(envelope_bytes: bytes, channel: str) -> TransactionHeader:
    """Check the envelope up to its common header (Fabric's ValidateTransaction, first half)."""
    if not envelope_bytes:
        raise InvalidTransaction(_Code.NIL_ENVELOPE, "empty envelope")
    envelope = _parse(common_pb2.Envelope, envelope_bytes, _Code.BAD_PAYLOAD, "envelope")
    if not envelope.payload:
        raise InvalidTransaction(_Code.NIL_ENVELOPE, "envelope has no payload")
    payload = _parse(common_pb2.Payload, envelope.payload, _Code.BAD_PAYLOAD, "payload")
    if not payload.HasField("header"):
        raise InvalidTransaction(_Code.BAD_COMMON_HEADER, "payload has no header")
    bad = _Code.BAD_COMMON_HEADER
    chdr = _parse(common_pb2.ChannelHeader, payload.header.channel_header, bad, "channel header")
    shdr = _parse(
        common_pb2.SignatureHeader, payload.header.signature_header, bad, "signature header"
    )
    if chdr.type not in _ACCEPTED_TYPES:
        raise InvalidTransaction(bad, f"invalid header type {chdr.type}")
    if chdr.epoch != 0:
        raise InvalidTransaction(bad, f"invalid epoch {chdr.epoch}, expected 0")
    if not shdr.nonce:
        raise InvalidTransaction(bad, "nonce is empty")
    if not shdr.creator:
        raise InvalidTransaction(bad, "creator is empty")
    if chdr.channel_id != channel:
        raise InvalidTransaction(
            _Code.TARGET_CHAIN_NOT_FOUND, f"channel '{chdr.channel_id}' not found"
        )
    return TransactionHeader(envelope, payload, chdr, shdr)


def unpack_endorser_transaction(header: TransactionHeader) -> EndorserTransaction:
    """Check an endorser transaction's body (Fabric's validateEndorserTransaction and the
    committer's unpacking of the chaincode action)."""
    chdr, shdr = header.channel_header, header.signature_header
    if chdr.type != common_pb2.ENDORSER_TRANSACTION:
        raise InvalidTransaction(_Code.UNSUPPORTED_TX_PAYLOAD, f"unsupported type {chdr.type}")
    if chdr.tx_id != tx_id_for(shdr.nonce, shdr.creator):
        raise InvalidTransaction(
            _Code.BAD_PROPOSAL_TXID, f"incorrectly computed txid '{chdr.tx_id}'"
        )
    bad = _Code.INVALID_ENDORSER_TRANSACTION
    tx = _parse(transaction_pb2.Transaction, header.payload.data, bad, "transaction")
    if len(tx.actions) != 1:
        raise InvalidTransaction(
            bad, f"only one action per transaction is supported, tx contains {len(tx.actions)}"
        )
    action = tx.actions[0]
    action_shdr = _parse(common_pb2.SignatureHeader, action.header, bad, "action header")
    if not action_shdr.nonce or not action_shdr.creator:
        raise InvalidTransaction(bad, "action signature header lacks nonce or creator")
    cap = _parse(transaction_pb2.ChaincodeActionPayload, action.payload, bad, "action payload")
    prp = _parse(
        proposal_response_pb2.ProposalResponsePayload,
        cap.action.proposal_response_payload,
        bad,
        "proposal response payload",
    )
    expected = proposal_hash(
        header.payload.header.channel_header, action.header, cap.chaincode_proposal_payload
    )
    if prp.proposal_hash != expected:
        raise InvalidTransaction(bad, "proposal hash does not match")
    extension = _parse(
        proposal_pb2.ChaincodeHeaderExtension,
        chdr.extension,
        _Code.BAD_HEADER_EXTENSION,
        "header extension",
    )
    chaincode_action = _parse(
        proposal_pb2.ChaincodeAction, prp.extension, _Code.BAD_RESPONSE_PAYLOAD, "chaincode action"
    )
    name = extension.chaincode_id.name
    if not name or chaincode_action.chaincode_id.name != name:
        raise InvalidTransaction(
            _Code.INVALID_CHAINCODE,
            f"chaincode '{chaincode_action.chaincode_id.name}' does not match '{name}'",
        )
    rwset = _parse(rwset_pb2.TxReadWriteSet, chaincode_action.results, _Code.BAD_RWSET, "rwset")
    return EndorserTransaction(
        chaincode=name,
        response_payload=bytes(cap.action.proposal_response_payload),
        endorsements=list(cap.action.endorsements),
        rwset=rwset,
    )
