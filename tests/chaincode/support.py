"""Test partners: a generated CA with TLS and client certificates, signed proposals as a
client builds them, and a real ledger store whose committed state transactions read."""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fabric_protos.common import common_pb2
from fabric_protos.msp import identities_pb2
from fabric_protos.peer import chaincode_pb2, proposal_pb2
from google.protobuf import timestamp_pb2

from provena.chaincode.identity import ATTRIBUTE_EXTENSION_OID
from provena.devnet.chaincode import ChaincodeResult, Launcher
from provena.devnet.ledger.blocks import new_block
from provena.devnet.ledger.simulator import TxSimulator
from provena.devnet.ledger.store import LedgerStore, TxRecord, Write

__all__ = [
    "CHANNEL",
    "Authority",
    "Issued",
    "Ledger",
    "Peer",
    "name",
    "signed_proposal",
]

CHANNEL = "provena"
NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])


@dataclass(frozen=True)
class Issued:
    """A certificate and its key, in memory and as PEM files."""

    cert_pem: bytes
    key_pem: bytes
    cert_path: Path
    key_path: Path


class Authority:
    """A small CA made with `cryptography`: TLS servers, TLS clients and Fabric users."""

    def __init__(self, root: Path, subject: x509.Name | None = None) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.subject = subject or name(
            (NameOID.COUNTRY_NAME, "NL"),
            (NameOID.ORGANIZATION_NAME, "Provena Test"),
            (NameOID.COMMON_NAME, "ca.provena.test"),
        )
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.subject)
            .issuer_name(self.subject)
            .public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self._key, hashes.SHA256())
        )
        self.cert_pem = self.cert.public_bytes(serialization.Encoding.PEM)
        self.cert_path = root / "ca.pem"
        self.cert_path.write_bytes(self.cert_pem)

    def issue(
        self,
        label: str,
        subject: x509.Name,
        *,
        server: bool = False,
        attributes: Mapping[str, str] | None = None,
        raw_attribute_extension: bytes | None = None,
    ) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=1))
            .not_valid_after(NOW + dt.timedelta(days=3650))
        )
        if server:
            builder = builder.add_extension(
                x509.SubjectAlternativeName(
                    [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
                ),
                critical=False,
            ).add_extension(
                x509.ExtendedKeyUsage(
                    [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
                ),
                critical=False,
            )
        extension = raw_attribute_extension
        if attributes is not None:
            extension = json.dumps({"attrs": dict(attributes)}).encode()
        if extension is not None:
            builder = builder.add_extension(
                x509.UnrecognizedExtension(ATTRIBUTE_EXTENSION_OID, extension), critical=False
            )
        cert = builder.sign(self._key, hashes.SHA256())
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        key_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        cert_path, key_path = self.root / f"{label}.pem", self.root / f"{label}.key"
        cert_path.write_bytes(cert_pem)
        key_path.write_bytes(key_pem)
        return Issued(cert_pem, key_pem, cert_path, key_path)


def serialized_identity(msp_id: str, cert_pem: bytes) -> bytes:
    identity = identities_pb2.SerializedIdentity(mspid=msp_id, id_bytes=cert_pem)
    return bytes(identity.SerializeToString())


def signed_proposal(
    *,
    creator: bytes,
    tx_id: str,
    channel: str = CHANNEL,
    moment: dt.datetime = NOW,
    transient: Mapping[str, bytes] | None = None,
    nonce: bytes = b"nonce",
    epoch: int = 0,
    chaincode: str = "cc",
    args: Sequence[bytes] = (),
) -> Any:
    """A SignedProposal as a client builds it (the signature is not checked by the launcher)."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(moment)
    channel_header = common_pb2.ChannelHeader(
        type=common_pb2.ENDORSER_TRANSACTION,
        channel_id=channel,
        tx_id=tx_id,
        epoch=epoch,
        timestamp=stamp,
    )
    signature_header = common_pb2.SignatureHeader(creator=creator, nonce=nonce)
    header = common_pb2.Header(
        channel_header=channel_header.SerializeToString(),
        signature_header=signature_header.SerializeToString(),
    )
    invocation = chaincode_pb2.ChaincodeInvocationSpec(
        chaincode_spec=chaincode_pb2.ChaincodeSpec(
            type=chaincode_pb2.ChaincodeSpec.GOLANG,
            chaincode_id=chaincode_pb2.ChaincodeID(name=chaincode),
            input=chaincode_pb2.ChaincodeInput(args=list(args)),
        )
    )
    payload = proposal_pb2.ChaincodeProposalPayload(
        input=invocation.SerializeToString(), TransientMap=dict(transient or {})
    )
    proposal = proposal_pb2.Proposal(
        header=header.SerializeToString(), payload=payload.SerializeToString()
    )
    return proposal_pb2.SignedProposal(
        proposal_bytes=proposal.SerializeToString(), signature=b"unchecked"
    )


class Ledger:
    """A real LedgerStore; `commit` writes state and history as committed blocks would."""

    def __init__(self, path: Path) -> None:
        self.store = LedgerStore.open(path)
        self._ids = itertools.count()

    def commit(
        self,
        namespace: str,
        writes: Mapping[str, bytes | None],
        *,
        tx_id: str | None = None,
        moment: dt.datetime = NOW,
    ) -> str:
        tx_id = tx_id or f"seed-{next(self._ids)}"
        stamp = timestamp_pb2.Timestamp()
        stamp.FromDatetime(moment)
        record = TxRecord(tx_id, 0, stamp, [Write(namespace, k, v) for k, v in writes.items()])
        block = new_block(self.store.height, self.store.last_hash, [tx_id.encode()])
        self.store.commit(block, [record])
        return tx_id

    def simulator(self, tx_id: str = "") -> TxSimulator:
        return TxSimulator(self.store, tx_id)


class Peer:
    """Runs transactions through a Launcher the way an endorser does."""

    def __init__(self, launcher: Launcher, creator: bytes) -> None:
        self.launcher = launcher
        self.creator = creator
        self._ids = itertools.count()

    def new_tx_id(self) -> str:
        return f"tx-{next(self._ids):06d}"

    async def run(
        self,
        chaincode: str,
        *args: str | bytes,
        simulator: Any,
        tx_id: str | None = None,
        creator: bytes | None = None,
        transient: Mapping[str, bytes] | None = None,
        within: float = 10.0,
        is_init: bool = False,
    ) -> ChaincodeResult:
        tx_id = tx_id or self.new_tx_id()
        proposal = signed_proposal(
            creator=creator or self.creator,
            tx_id=tx_id,
            transient=transient,
            chaincode=chaincode,
            args=_encode(args),
        )
        return await self.launcher.execute(
            channel=CHANNEL,
            name=chaincode,
            tx_id=tx_id,
            signed_proposal=proposal,
            input=chaincode_pb2.ChaincodeInput(args=_encode(args)),
            simulator=simulator,
            timeout=within,
            is_init=is_init,
        )


def _encode(args: Sequence[str | bytes]) -> list[bytes]:
    return [a.encode() if isinstance(a, str) else a for a in args]
