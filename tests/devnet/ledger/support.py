"""Test doubles for the parts the ledger core only sees through its seams: a small MSP
(one CA per organization, real ECDSA certificates and signatures), an any-of/all-of policy,
and a builder of endorsed transaction envelopes."""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.x509.oid import NameOID
from fabric_protos.common import common_pb2
from fabric_protos.ledger.rwset import rwset_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import (
    chaincode_pb2,
    proposal_pb2,
    proposal_response_pb2,
    transaction_pb2,
)

from provena.devnet.ledger.seams import Identity
from provena.devnet.ledger.transaction import proposal_hash, tx_id_for

__all__ = ["CHANNEL", "Member", "Orgs", "Policy", "endorsed_envelope"]

CHANNEL = "provena"
_N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


@dataclass(frozen=True)
class Member:
    msp_id: str
    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    def serialized(self) -> bytes:
        pem = self.certificate.public_bytes(serialization.Encoding.PEM)
        identity = identities_pb2.SerializedIdentity(mspid=self.msp_id, id_bytes=pem)
        return bytes(identity.SerializeToString())

    def sign(self, message: bytes) -> bytes:
        r, s = decode_dss_signature(self.key.sign(message, ec.ECDSA(hashes.SHA256())))
        return encode_dss_signature(r, min(s, _N - s))


@dataclass(frozen=True)
class _Identity:
    msp_id: str
    certificate: x509.Certificate
    serialized: bytes
    role: str = "peer"

    def verify(self, message: bytes, signature: bytes) -> bool:
        key = self.certificate.public_key()
        assert isinstance(key, ec.EllipticCurvePublicKey)
        try:
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True


class Orgs:
    """Organizations with a CA each; `deserialize` accepts only their members."""

    def __init__(self, msp_ids: Sequence[str]) -> None:
        now = datetime.datetime.now(datetime.UTC)
        self._validity = (now - datetime.timedelta(hours=1), now + datetime.timedelta(days=1))
        self._cas: dict[str, tuple[ec.EllipticCurvePrivateKey, x509.Certificate]] = {}
        self._members: dict[tuple[str, str], Member] = {}
        for msp_id in msp_ids:
            key = ec.generate_private_key(ec.SECP256R1())
            self._cas[msp_id] = (key, self._certificate(_name(msp_id), key, key, ca=True))

    def _certificate(
        self,
        subject: x509.Name,
        public: ec.EllipticCurvePrivateKey,
        issuer_key: ec.EllipticCurvePrivateKey,
        *,
        ca: bool,
        issuer: x509.Name | None = None,
    ) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer or subject)
            .public_key(public.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(self._validity[0])
            .not_valid_after(self._validity[1])
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(issuer_key, hashes.SHA256())
        )

    def member(self, msp_id: str, name: str = "peer0") -> Member:
        """The organization's member of that name (issued on first use)."""
        if (msp_id, name) not in self._members:
            self._members[msp_id, name] = self._issue(msp_id, name)
        return self._members[msp_id, name]

    def _issue(self, msp_id: str, name: str) -> Member:
        ca_key, ca_cert = self._cas[msp_id]
        key = ec.generate_private_key(ec.SECP256R1())
        certificate = self._certificate(_name(name), key, ca_key, ca=False, issuer=ca_cert.subject)
        return Member(msp_id, certificate, key)

    def ca_pem(self, msp_id: str) -> bytes:
        return self._cas[msp_id][1].public_bytes(serialization.Encoding.PEM)

    def deserialize(self, serialized_identity: bytes) -> Identity:
        try:
            sid = identities_pb2.SerializedIdentity.FromString(serialized_identity)
            certificate = x509.load_pem_x509_certificate(sid.id_bytes)
        except Exception as exc:
            raise ValueError(f"malformed identity: {exc}") from exc
        if sid.mspid not in self._cas:
            raise ValueError(f"MSP {sid.mspid} is not defined on channel")
        try:
            certificate.verify_directly_issued_by(self._cas[sid.mspid][1])
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise ValueError(f"certificate not issued by {sid.mspid}: {exc}") from exc
        return _Identity(sid.mspid, certificate, serialized_identity)


@dataclass(frozen=True)
class Policy:
    """Satisfied when the endorsers cover `required` of the organizations (all by default)."""

    msp_ids: frozenset[str]
    required: int = 0

    def satisfied_by(self, identities: Sequence[Identity]) -> bool:
        covered = {i.msp_id for i in identities} & self.msp_ids
        return len(covered) >= (self.required or len(self.msp_ids))


def endorsed_envelope(
    *,
    creator: Member,
    endorsers: Sequence[Member],
    rwset: rwset_pb2.TxReadWriteSet,
    chaincode: str = "basic",
    channel: str = CHANNEL,
    nonce: bytes | None = None,
    tx_id: str | None = None,
    signer: Member | None = None,
) -> common_pb2.Envelope:
    """An endorser transaction as a client assembles it from its endorsers' responses."""
    nonce = nonce if nonce is not None else os.urandom(24)
    creator_bytes = creator.serialized()
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.ENDORSER_TRANSACTION,
        channel_id=channel,
        tx_id=tx_id if tx_id is not None else tx_id_for(nonce, creator_bytes),
        extension=proposal_pb2.ChaincodeHeaderExtension(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode)
        ).SerializeToString(),
    )
    channel_header.timestamp.GetCurrentTime()
    chdr = channel_header.SerializeToString()
    shdr = common_pb2.SignatureHeader(creator=creator_bytes, nonce=nonce).SerializeToString()
    spec = chaincode_pb2.ChaincodeInvocationSpec(
        chaincode_spec=chaincode_pb2.ChaincodeSpec(
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode),
            input=chaincode_pb2.ChaincodeInput(args=[b"invoke"]),
        )
    )
    cpp = proposal_pb2.ChaincodeProposalPayload(input=spec.SerializeToString()).SerializeToString()
    action = proposal_pb2.ChaincodeAction(
        results=rwset.SerializeToString(),
        response=proposal_response_pb2.Response(status=200),
        chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode, version="1.0"),
    )
    prp = proposal_response_pb2.ProposalResponsePayload(
        proposal_hash=proposal_hash(chdr, shdr, cpp), extension=action.SerializeToString()
    ).SerializeToString()
    endorsements = [
        proposal_response_pb2.Endorsement(
            endorser=e.serialized(), signature=e.sign(prp + e.serialized())
        )
        for e in endorsers
    ]
    tx = transaction_pb2.Transaction(
        actions=[
            transaction_pb2.TransactionAction(
                header=shdr,
                payload=transaction_pb2.ChaincodeActionPayload(
                    chaincode_proposal_payload=cpp,
                    action=transaction_pb2.ChaincodeEndorsedAction(
                        proposal_response_payload=prp, endorsements=endorsements
                    ),
                ).SerializeToString(),
            )
        ]
    )
    payload = common_pb2.Payload(
        header=common_pb2.Header(channel_header=chdr, signature_header=shdr),
        data=tx.SerializeToString(),
    ).SerializeToString()
    return common_pb2.Envelope(payload=payload, signature=(signer or creator).sign(payload))
