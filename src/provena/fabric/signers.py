"""Signers: any callable from digest to DER signature, sync or async.

Fabric accepts only low-S ECDSA signatures (s ≤ n/2), because a high-S twin of a valid
signature would give the same transaction a second valid encoding. `ecdsa_signer` normalises
what `cryptography` returns; a remote signer (HSM, OCI Vault, a browser) must do the same or
use `low_s` on what it gets back.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)

from provena.fabric.errors import IdentityError

__all__ = ["Signer", "ecdsa_signer", "low_s"]

Signer = Callable[[bytes], bytes | Awaitable[bytes]]
"""Signs a digest and returns a DER-encoded ECDSA signature, directly or as an awaitable."""

_ORDERS = {
    "secp256r1": 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    "secp384r1": int(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
        "C7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
        16,
    ),
}
_PREHASHED = {32: Prehashed(hashes.SHA256()), 48: Prehashed(hashes.SHA384())}


def low_s(signature: bytes, curve: str) -> bytes:
    """The DER signature with s replaced by n - s when s is in the upper half of the order."""
    order = _ORDERS[curve]
    r, s = decode_dss_signature(signature)
    if s > order // 2:
        return encode_dss_signature(r, order - s)
    return signature


def ecdsa_signer(key: ec.EllipticCurvePrivateKey) -> Callable[[bytes], bytes]:
    """A signer for a P-256 or P-384 key that signs 32- or 48-byte digests, low-S."""
    curve = key.curve.name
    if curve not in _ORDERS:
        raise IdentityError(f"unsupported curve {curve}: Fabric uses P-256 or P-384")

    def sign(digest: bytes) -> bytes:
        try:
            algorithm = _PREHASHED[len(digest)]
        except KeyError:
            raise ValueError(f"expected a 32 or 48 byte digest, got {len(digest)} bytes") from None
        return low_s(key.sign(digest, ec.ECDSA(algorithm)), curve)

    return sign
