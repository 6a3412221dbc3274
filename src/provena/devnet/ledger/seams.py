"""What the ledger core needs from identities and policies, as small Protocols.

`provena.devnet.pki.SigningIdentity`, `provena.devnet.msp.MspManager` and
`provena.devnet.policy.Policy` satisfy them; keeping the seam structural lets the ledger be
tested and reasoned about without the PKI, and keeps imports pointing one way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

__all__ = [
    "EndorsementPolicy",
    "Identity",
    "IdentityDeserializer",
    "PolicyLookup",
    "Signer",
]


class Signer(Protocol):
    """A signing identity: ECDSA P-256 over SHA-256, DER, low-S."""

    @property
    def msp_id(self) -> str: ...

    def serialized(self) -> bytes: ...

    def sign(self, message: bytes) -> bytes: ...


class Identity(Protocol):
    """A deserialized identity that chains to a channel MSP (`provena.devnet.msp.Identity`)."""

    @property
    def msp_id(self) -> str: ...

    @property
    def role(self) -> str | None:
        """client, peer, admin or orderer (NodeOUs); None when not exactly one."""
        ...

    @property
    def serialized(self) -> bytes:
        """The SerializedIdentity bytes it came from."""
        ...

    @property
    def identifier(self) -> bytes:
        """MSP id and certificate hash: two identities are the same iff these are."""
        ...

    def verify(self, message: bytes, signature: bytes) -> bool: ...


class IdentityDeserializer(Protocol):
    """The channel's MSPs; raise ValueError for unknown, malformed or invalid identities.

    `identity` only deserializes (Fabric's `DeserializeIdentity`); `deserialize` validates too
    (role, revocation). Fabric's endorser tells the two failures apart: "creator is malformed"
    and "creator org [MSP]".
    """

    def deserialize(self, serialized_identity: bytes) -> Identity: ...

    def identity(self, serialized_identity: bytes) -> Identity: ...


class EndorsementPolicy(Protocol):
    def satisfied_by(self, identities: Sequence[Identity]) -> bool: ...


PolicyLookup = Callable[[str, int], EndorsementPolicy | None]
"""The endorsement policy of a chaincode by name in force for a block number, None when the
chaincode is not defined for that block."""
