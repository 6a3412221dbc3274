"""Bytes a person signs elsewhere: what they say, whose they are, and their signatures.

With browser custody the server never holds the person's key: it hands out a proposal's
(then a transaction's) bytes and digest, and takes back a signature. Before anything
reaches the ledger the server reads the bytes back (which channel, chaincode, function and
arguments; which creator), checks that the creator is the caller's current certificate,
and verifies the signature against it. WebCrypto gives ECDSA signatures as r||s (IEEE
P1363); they are turned into low-S DER, the only form Fabric accepts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, encode_dss_signature
from fabric_protos.common import common_pb2
from fabric_protos.gateway import gateway_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2, transaction_pb2
from google.protobuf.message import DecodeError

from provena.fabric import Identity, low_s
from provena.transactions.errors import SignatureRejected

__all__ = [
    "Call",
    "der_signature",
    "read_prepared",
    "read_proposed",
    "record_of",
    "verify",
]


@dataclass(frozen=True, slots=True)
class Call:
    """What a proposal or prepared transaction asks the ledger to do, and who asks."""

    transaction_id: str
    channel: str
    chaincode: str
    function: str
    args: tuple[str, ...]
    creator_msp_id: str
    creator_pem: bytes


def _parse(message_type: Any, data: bytes, what: str) -> Any:
    try:
        return message_type.FromString(data)
    except (DecodeError, ValueError) as exc:
        raise SignatureRejected(f"malformed {what}: {exc}") from exc


def _call(header: common_pb2.Header, proposal_payload: bytes, tx_id: str) -> Call:
    channel = _parse(common_pb2.ChannelHeader, header.channel_header, "channel header")
    signature_header = _parse(common_pb2.SignatureHeader, header.signature_header, "header")
    creator = _parse(identities_pb2.SerializedIdentity, signature_header.creator, "creator")
    payload = _parse(proposal_pb2.ChaincodeProposalPayload, proposal_payload, "proposal payload")
    spec = _parse(chaincode_pb2.ChaincodeInvocationSpec, payload.input, "chaincode input")
    args = [bytes(a) for a in spec.chaincode_spec.input.args]
    if not args or channel.tx_id != tx_id:
        raise SignatureRejected("the signed bytes name no function, or another transaction id")
    try:
        function, *rest = (a.decode() for a in args)
    except UnicodeDecodeError as exc:
        raise SignatureRejected("the signed bytes carry arguments that are not text") from exc
    return Call(
        transaction_id=tx_id,
        channel=channel.channel_id,
        chaincode=spec.chaincode_spec.chaincode_id.name,
        function=function,
        args=tuple(rest),
        creator_msp_id=creator.mspid,
        creator_pem=bytes(creator.id_bytes),
    )


def read_proposed(data: bytes) -> tuple[Call, bytes]:
    """The call a `gateway.ProposedTransaction` makes, and the bytes its signature covers."""
    proposed = _parse(gateway_pb2.ProposedTransaction, data, "proposal")
    proposal = _parse(proposal_pb2.Proposal, proposed.proposal.proposal_bytes, "proposal")
    header = _parse(common_pb2.Header, proposal.header, "proposal header")
    call = _call(header, proposal.payload, proposed.transaction_id)
    return call, bytes(proposed.proposal.proposal_bytes)


def read_prepared(data: bytes) -> tuple[Call, bytes]:
    """The call a `gateway.PreparedTransaction` makes, and the bytes its signature covers."""
    prepared = _parse(gateway_pb2.PreparedTransaction, data, "transaction")
    payload = _parse(common_pb2.Payload, prepared.envelope.payload, "transaction payload")
    transaction = _parse(transaction_pb2.Transaction, payload.data, "transaction")
    if len(transaction.actions) != 1:
        raise SignatureRejected("a transaction must carry exactly one chaincode action")
    action = _parse(
        transaction_pb2.ChaincodeActionPayload, transaction.actions[0].payload, "action"
    )
    call = _call(payload.header, action.chaincode_proposal_payload, prepared.transaction_id)
    return call, bytes(prepared.envelope.payload)


def record_of(call: Call) -> str | None:
    """The certificate or shipment a contract call acts on: the `id` of its first argument
    when that is a record, else the first argument itself (registry calls name none)."""
    if call.function.startswith("Registry:") or not call.args:
        return None
    try:
        first = json.loads(call.args[0])
    except ValueError:
        return call.args[0][:64]
    if isinstance(first, dict) and isinstance(first.get("id"), str):
        return str(first["id"])[:64]
    return call.args[0][:64]


def der_signature(signature: bytes) -> bytes:
    """A P-256 signature as low-S DER, from DER or from WebCrypto's 64-byte r||s."""
    if len(signature) == 64:
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        signature = encode_dss_signature(r, s)
    try:
        return low_s(signature, "secp256r1")
    except ValueError as exc:
        raise SignatureRejected("the signature is neither DER nor 64-byte r||s") from exc


def verify(identity: Identity, call: Call, message: bytes, signature: bytes) -> bytes:
    """Check that `identity` created `call` and signed `message`; returns the DER signature."""
    if call.creator_msp_id != identity.msp_id or call.creator_pem != identity.credentials:
        raise SignatureRejected("the signed bytes were created by another identity")
    der = der_signature(signature)
    key = x509.load_pem_x509_certificate(identity.credentials).public_key()
    if not isinstance(key, ec.EllipticCurvePublicKey):
        raise SignatureRejected("the identity's certificate has no ECDSA key")
    digest = hashes.Hash(hashes.SHA256())
    digest.update(message)
    try:
        key.verify(der, digest.finalize(), ec.ECDSA(Prehashed(hashes.SHA256())))
    except InvalidSignature as exc:
        raise SignatureRejected("the signature does not match the signed bytes") from exc
    return der
