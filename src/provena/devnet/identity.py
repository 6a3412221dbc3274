"""Signing identities and Fabric's ECDSA signature rules.

Fabric signs with ECDSA over SHA-256 and accepts only DER signatures whose `s` is in the
lower half of the curve order ("low-S"): for every signature (r, s) the pair (r, n - s) is also
valid, so without the rule a third party could change a signature's bytes, and with them a
transaction's identity. Signers normalise; verifiers reject high-S outright, as Fabric's
`bccsp/sw` does.

`SIGNATURES` remembers the signatures known to be good, so that the devnet, which plays every
peer and the orderer in one process, checks each only once (see `SignatureMemo`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)
from fabric_protos.msp import identities_pb2

from provena.devnet.errors import PkiError

__all__ = [
    "SIGNATURES",
    "SignatureMemo",
    "SigningIdentity",
    "curve_order",
    "is_low_s",
    "verify_signature",
]

_ORDERS = {
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "secp384r1": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
        "581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
}


def curve_order(curve: ec.EllipticCurve) -> int:
    """The order n of the curves Fabric's MSPs use (P-256, P-384)."""
    try:
        return _ORDERS[curve.name]
    except KeyError:
        raise ValueError(f"unsupported curve {curve.name}") from None


def is_low_s(signature: bytes, curve: ec.EllipticCurve) -> bool:
    """True when a DER signature's s is at most n/2 (raises ValueError for malformed DER)."""
    _, s = decode_dss_signature(signature)
    return s <= curve_order(curve) // 2


def verify_signature(
    public_key: ec.EllipticCurvePublicKey, message: bytes, signature: bytes
) -> bool:
    """Fabric's check: a well-formed, low-S DER ECDSA signature over SHA-256 of `message`."""
    try:
        if not is_low_s(signature, public_key.curve):
            return False
        public_key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature):
        return False
    return True


class SignatureMemo:
    """Signatures known to be good, as (signer's serialized identity, SHA-256 of the message,
    signature); the oldest are forgotten past `size`.

    One devnet checks the same signature several times: the orderer and then the validator an
    envelope's, each endorsing peer a proposal's, the validator the endorsements this process
    made. Whether a signature verifies depends only on the key, the message and the signature,
    so a success (or our own signing, with a key that matches its certificate) is remembered
    exactly; failures are not remembered.
    """

    def __init__(self, size: int = 65536) -> None:
        self._size = size
        self._known: dict[tuple[bytes, bytes, bytes], None] = {}

    @staticmethod
    def _key(serialized: bytes, message: bytes, signature: bytes) -> tuple[bytes, bytes, bytes]:
        return serialized, hashlib.sha256(message).digest(), signature

    def check(
        self, serialized: bytes, message: bytes, signature: bytes, verify: Callable[[], bool]
    ) -> bool:
        """Whether the signature is good: known already, else as `verify()` finds it."""
        key = self._key(serialized, message, signature)
        if key in self._known:
            return True
        if not verify():
            return False
        self._add(key)
        return True

    def remember(self, serialized: bytes, message: bytes, signature: bytes) -> None:
        """Record a signature known to be good without checking it (one this process made)."""
        self._add(self._key(serialized, message, signature))

    def _add(self, key: tuple[bytes, bytes, bytes]) -> None:
        self._known[key] = None
        if len(self._known) > self._size:
            del self._known[next(iter(self._known))]


SIGNATURES = SignatureMemo()
"""The process's memo of good signatures (`SigningIdentity.sign` and
`provena.devnet.msp.Identity.verify` use it)."""


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """An MSP member that can sign: its certificate and its private key."""

    msp_id: str
    certificate_pem: bytes
    private_key: ec.EllipticCurvePrivateKey = field(repr=False)
    _serialized: bytes = field(init=False, repr=False, compare=False)
    _matches: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        serialized = identities_pb2.SerializedIdentity(
            mspid=self.msp_id, id_bytes=self.certificate_pem
        ).SerializeToString()
        object.__setattr__(self, "_serialized", serialized)
        try:
            certified = self.certificate.public_key()
        except ValueError:
            certified = None
        matches = (
            isinstance(certified, ec.EllipticCurvePublicKey)
            and certified.public_numbers() == self.private_key.public_key().public_numbers()
        )
        object.__setattr__(self, "_matches", matches)

    @classmethod
    def load(cls, msp_id: str, msp_dir: Path) -> SigningIdentity:
        """Read `signcerts/*.pem` and `keystore/*_sk` of a Fabric MSP folder."""
        certs = sorted((msp_dir / "signcerts").glob("*.pem"))
        keys = sorted((msp_dir / "keystore").glob("*_sk"))
        if len(certs) != 1 or len(keys) != 1:
            raise PkiError(f"{msp_dir} must hold one signcerts/*.pem and one keystore/*_sk")
        key = serialization.load_pem_private_key(keys[0].read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise PkiError(f"{keys[0]} is not an ECDSA private key")
        return cls(msp_id, certs[0].read_bytes(), key)

    @property
    def certificate(self) -> x509.Certificate:
        return x509.load_pem_x509_certificate(self.certificate_pem)

    def serialized(self) -> bytes:
        """The `msp.SerializedIdentity` bytes Fabric puts in headers and endorsements."""
        return self._serialized

    def sign(self, message: bytes) -> bytes:
        """DER ECDSA signature over SHA-256 of `message`, low-S (remembered as good when the
        key is the certificate's)."""
        signature = self._normalise(self.private_key.sign(message, ec.ECDSA(hashes.SHA256())))
        if self._matches:
            SIGNATURES.remember(self._serialized, message, signature)
        return signature

    def sign_digest(self, digest: bytes) -> bytes:
        """DER ECDSA signature over an already computed SHA-256 digest, low-S."""
        if len(digest) != 32:
            raise ValueError(f"a SHA-256 digest is 32 bytes, not {len(digest)}")
        signature = self.private_key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
        return self._normalise(signature)

    def _normalise(self, signature: bytes) -> bytes:
        r, s = decode_dss_signature(signature)
        n = curve_order(self.private_key.curve)
        return signature if s <= n // 2 else encode_dss_signature(r, n - s)
