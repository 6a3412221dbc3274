"""The channel's MSPs: which identities count, and as what.

An identity is a `msp.SerializedIdentity` (MSP id + PEM certificate). As in Fabric's MSP, two
steps accept it:

- `identity` deserializes: the MSP id is the channel's, the certificate parses, has an ECDSA
  key and chains to one of the MSP's CAs *as of the certificate's own start time plus one
  second* (Fabric's `getValidityOptsForCert`): a certificate that starts before its CA, or
  after the CA expired, does not chain. Time now is not checked here.
- `validate` checks what may change: with NodeOUs its role is the one OU among client, peer,
  admin and orderer it carries (exactly one), and it is not revoked when a revocation list is
  given (the devnet's Fabric CA keeps one).

`deserialize` does both. Expiry is not the MSP's business, as in Fabric: the endorser, the
orderer and the deliver service each refuse an expired identity themselves
(`provena.devnet.expiry`).
Deserializing parses and checks a certificate chain, so results are cached (bounded LRU, keyed
by the serialized bytes); validation runs on every call.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fabric_protos.msp import identities_pb2
from google.protobuf.message import DecodeError

from provena.devnet.ca import attributes_of
from provena.devnet.errors import InvalidRole, MalformedIdentity, UnknownMsp, UntrustedCertificate
from provena.devnet.expiry import expired
from provena.devnet.identity import SIGNATURES, verify_signature

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
        """The role the OUs give; InvalidRole unless exactly one of the four is present."""
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
    ous: tuple[str, ...]
    role: Role | None
    """Its NodeOU role, None when it has not exactly one (then it does not validate)."""
    serialized: bytes
    """The SerializedIdentity bytes it came from."""
    identifier: bytes = field(repr=False)
    """The MSP id and the SHA-256 of the certificate's DER: two identities are the same iff
    these are, whatever PEM spelled the certificate (Fabric's `IdentityIdentifier`)."""
    public_key: ec.EllipticCurvePublicKey = field(repr=False)
    node_ous: NodeOUs = field(default_factory=NodeOUs, repr=False)

    @property
    def attributes(self) -> dict[str, str]:
        """Fabric CA attributes ({} when none)."""
        return attributes_of(self.certificate)

    @property
    def common_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Whether `signature` is this identity's low-S DER ECDSA signature of `message`
        (each good one is checked once per process: `provena.devnet.identity.SIGNATURES`)."""
        return SIGNATURES.check(
            self.serialized,
            message,
            signature,
            lambda: verify_signature(self.public_key, message, signature),
        )


_CHAIN_MOMENT = dt.timedelta(seconds=1)
"""A chain is verified as of its leaf's start plus this (Fabric's FAB-3678 workaround)."""


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
        """The identity, if its MSP accepts it now; raises an IdentityError otherwise."""
        identity = self.identity(serialized_identity)
        self.validate(identity)
        return identity

    @staticmethod
    def expired(serialized_identity: bytes) -> bool:
        """Whether the identity's certificate has expired (`provena.devnet.expiry`)."""
        return expired(serialized_identity)

    def identity(self, serialized_identity: bytes) -> Identity:
        """The identity, if it deserializes in its MSP (Fabric's `DeserializeIdentity`)."""
        cached = self._cache.get(serialized_identity)
        if cached is not None:
            self._cache.move_to_end(serialized_identity)
            return cached
        identity = self._parse(serialized_identity)
        self._cache[serialized_identity] = identity
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return identity

    def validate(self, identity: Identity) -> None:
        """Fabric's `Identity.Validate`: one role OU, and not revoked."""
        if identity.role is None:
            identity.node_ous.role_of(identity.ous)  # raises InvalidRole, saying what it found
        if self._revoked is not None and self._revoked(identity.certificate):
            raise UntrustedCertificate(
                f"certificate {identity.certificate.subject.rfc4514_string()} has been revoked"
            )

    def _parse(self, serialized_identity: bytes) -> Identity:
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
        self._check_chain(config, certificate)
        ous = tuple(
            str(a.value)
            for a in certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        )
        try:
            role: Role | None = config.node_ous.role_of(ous)
        except InvalidRole:
            role = None
        identifier = proto.mspid.encode() + b"\0" + certificate.fingerprint(hashes.SHA256())
        return Identity(
            proto.mspid,
            certificate,
            ous,
            role,
            serialized_identity,
            identifier,
            public_key,
            config.node_ous,
        )

    @staticmethod
    def _check_chain(config: MspConfig, certificate: x509.Certificate) -> None:
        moment = certificate.not_valid_before_utc + _CHAIN_MOMENT
        if moment > certificate.not_valid_after_utc:
            raise UntrustedCertificate(
                f"certificate {certificate.subject.rfc4514_string()} is valid for less than "
                "a second"
            )
        for root in config.root_certs:
            try:
                certificate.verify_directly_issued_by(root)
            except (ValueError, TypeError, InvalidSignature):
                continue
            if not root.not_valid_before_utc <= moment <= root.not_valid_after_utc:
                raise UntrustedCertificate(
                    f"certificate {certificate.subject.rfc4514_string()} starts at "
                    f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M:%S} UTC, when its CA "
                    f"{root.subject.rfc4514_string()} was not valid"
                )
            return
        raise UntrustedCertificate(
            f"certificate {certificate.subject.rfc4514_string()} was not issued by a CA of "
            f"{config.msp_id}"
        )
