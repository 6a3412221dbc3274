"""The development issuer's signing key, kept in the data dir.

An ECDSA P-256 key (ES256) created on first use and reused afterwards, so tokens stay
valid across restarts. Its `kid` is the RFC 7638 thumbprint of the public key.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

__all__ = ["SigningKey", "load_or_create_key"]


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key with its key id and public JWK."""

    private_key: ec.EllipticCurvePrivateKey
    kid: str

    @property
    def public_jwk(self) -> dict[str, Any]:
        jwk: dict[str, Any] = json.loads(ECAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "ES256"}

    def sign(self, claims: dict[str, Any]) -> str:
        """A compact JWS of `claims`, ES256, with this key's `kid`."""
        return jwt.encode(claims, self.private_key, algorithm="ES256", headers={"kid": self.kid})


def _thumbprint(public_key: ec.EllipticCurvePublicKey) -> str:
    """RFC 7638: SHA-256 of the required members, sorted, with no whitespace."""
    jwk = json.loads(ECAlgorithm.to_jwk(public_key))
    members = {k: jwk[k] for k in ("crv", "kty", "x", "y")}
    data = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def load_or_create_key(path: Path) -> SigningKey:
    """Load the PEM key at `path`, creating it (mode 0600) if it does not exist."""
    if path.exists():
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{path} is not an EC private key")
        private_key = loaded
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        private_key = ec.generate_private_key(ec.SECP256R1())
        pem = private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
    return SigningKey(private_key, _thumbprint(private_key.public_key()))
