"""The channel's MSPs: which identities count, and as what.

An identity is a `msp.SerializedIdentity` (MSP id + PEM certificate). It is accepted when its
certificate was issued by that MSP's CA and is valid now; with NodeOUs enabled its role is the
one OU among client, peer, admin and orderer it carries (exactly one, as Fabric requires).
Deserializing parses and checks a certificate chain, so results are cached (bounded LRU, keyed by
the serialized bytes); validity in time, and revocation when a revocation list is given (the
devnet's Fabric CA keeps one), are re-checked on every hit.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fabric_protos.msp import identities_pb2
from google.protobuf.message import DecodeError

from provena.devnet.ca import attributes_of
from provena.devnet.errors import InvalidRole, MalformedIdentity, UnknownMsp, UntrustedCertificate
from provena.devnet.identity import verify_signature

__all__ = ["Identity", "MspConfig", "MspManager", "NodeOUs", "Role"]


class Role(StrEnum):
    """An identity's role, from its NodeOU."""

    CLIENT = "client"
    PEER = "peer"
    ADMIN = "admin"
    ORDERER = "orderer"


@dataclass(frozen=True, slots=True)
class NodeOUs:
    """The OU values that mark each role (Fabric's defaults)."""

    client: str = "client"
    peer: str = "peer"
    admin: str = "admin"
    orderer: str = "orderer"

    def role_of(self, ous: Sequence[str]) -> Role:
        roles = [
            role
            for role, ou in (
                (Role.CLIENT, self.client),
                (Role.PEER, self.peer),
                (Role.ADMIN, self.admin),
                (Role.ORDERER, self.orderer),
            )
            if ou in ous
        ]
        if len(roles) != 1:
            found = ", ".join(ous) or "none"
            raise InvalidRole(
                "an identity must carry exactly one of the OUs client, peer, admin, orderer "
                f"(found: {found})"
            )
        return roles[0]


@dataclass(frozen=True, slots=True)
class MspConfig:
    """One MSP: its id, the root CA certificates it trusts, its NodeOUs."""

    msp_id: str
    root_certs: tuple[x509.Certificate, ...]
    node_ous: NodeOUs = field(default_factory=NodeOUs)


@dataclass(frozen=True, slots=True, eq=False)
class Identity:
    """An identity the channel accepts."""

    msp_id: str
    certificate: x509.Certificate
    role: Role
    serialized: bytes
    """The SerializedIdentity bytes it came from: two identities are the same iff these are."""
    public_key: ec.EllipticCurvePublicKey = field(repr=False)

    @property
    def attributes(self) -> dict[str, str]:
        """Fabric CA attributes ({} when none)."""
        return attributes_of(self.certificate)

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this identity's low-S DER ECDSA signature of `message`."""
        return verify_signature(self.public_key, message, signature)


def _check_validity(certificate: x509.Certificate, now: dt.datetime) -> None:
    if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
        raise UntrustedCertificate(
            f"certificate {certificate.subject.rfc4514_string()} is valid from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} to "
            f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC, not now"
        )


class MspManager:
    """Deserializes and validates identities against the channel's MSPs."""

    def __init__(
        self,
        msps: Sequence[MspConfig],
        *,
        cache_size: int = 4096,
        revoked: Callable[[x509.Certificate], bool] | None = None,
    ) -> None:
        self._msps = {m.msp_id: m for m in msps}
        self._revoked = revoked
        self._cache: OrderedDict[bytes, Identity] = OrderedDict()
        self._cache_size = cache_size

    @property
    def msp_ids(self) -> list[str]:
        return list(self._msps)

    def deserialize(self, serialized_identity: bytes) -> Identity:
        """The identity, if it is valid in its MSP; raises an IdentityError otherwise."""
        now = dt.datetime.now(dt.UTC)
        cached = self._cache.get(serialized_identity)
        if cached is not None:
            self._cache.move_to_end(serialized_identity)
            _check_validity(cached.certificate, now)
            self._check_revocation(cached.certificate)
            return cached
        identity = self._validate(serialized_identity, now)
        self._check_revocation(identity.certificate)
        self._cache[serialized_identity] = identity
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return identity

    def _validate(self, serialized_identity: bytes, now: dt.datetime) -> Identity:
        try:
            proto = identities_pb2.SerializedIdentity.FromString(serialized_identity)
        except DecodeError as exc:
            raise MalformedIdentity(f"not a SerializedIdentity: {exc}") from exc
        config = self._msps.get(proto.mspid)
        if config is None:
            raise UnknownMsp(proto.mspid)
        try:
            certificate = x509.load_pem_x509_certificate(proto.id_bytes)
        except ValueError as exc:
            raise MalformedIdentity(
                f"the identity of {proto.mspid} is not a PEM X.509 certificate"
            ) from exc
        public_key = certificate.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise MalformedIdentity("the identity's certificate has no ECDSA key")
        _check_validity(certificate, now)
        self._check_chain(config, certificate, now)
        ous = [
            str(a.value)
            for a in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        ]
        role = config.node_ous.role_of(ous)
        return Identity(proto.mspid, certificate, role, serialized_identity, public_key)

    def _check_revocation(self, certificate: x509.Certificate) -> None:
        if self._revoked is not None and self._revoked(certificate):
            raise UntrustedCertificate(
                f"certificate {certificate.subject.rfc4514_string()} has been revoked"
            )

    @staticmethod
    def _check_chain(config: MspConfig, certificate: x509.Certificate, now: dt.datetime) -> None:
        for root in config.root_certs:
            try:
                certificate.verify_directly_issued_by(root)
            except (ValueError, TypeError, InvalidSignature):
                continue
            _check_validity(root, now)
            return
        raise UntrustedCertificate(
            f"certificate {certificate.subject.rfc4514_string()} was not issued by a CA of "
            f"{config.msp_id}"
        )
