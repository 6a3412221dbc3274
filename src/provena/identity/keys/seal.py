"""`seal` and `unseal`: a private key under envelope encryption, bound to its row.

    PKCS#8 key ──AES-256-GCM(DEK, aad=row)──► encrypted_key
    DEK (fresh, 32 bytes) ──KEK.wrap──────────► wrapped_key, kek_id

The associated data names the row the key belongs to (e.g. the identity's id), so a
ciphertext copied into another row does not decrypt there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from provena.identity.keys.errors import SealingError
from provena.identity.keys.kek import KEY_SIZE, NONCE_SIZE, KeyEncryptionKey

__all__ = ["Sealed", "seal", "unseal"]


@dataclass(frozen=True)
class Sealed:
    """A sealed private key, as the wallet stores it (`ledger_identities` columns)."""

    encrypted_key: bytes = field(repr=False)
    wrapped_key: bytes = field(repr=False)
    kek_id: str


async def seal(
    key: ec.EllipticCurvePrivateKey, kek: KeyEncryptionKey, *, associated_data: bytes
) -> Sealed:
    """`key` encrypted under a fresh data key that `kek` wraps, bound to `associated_data`."""
    plaintext = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    dek = AESGCM.generate_key(KEY_SIZE * 8)
    nonce = os.urandom(NONCE_SIZE)
    encrypted = nonce + AESGCM(dek).encrypt(nonce, plaintext, associated_data)
    return Sealed(encrypted, await kek.wrap(dek), kek.kek_id)


async def unseal(
    sealed: Sealed, kek: KeyEncryptionKey, *, associated_data: bytes
) -> ec.EllipticCurvePrivateKey:
    """The private key `seal` sealed, or `SealingError` if any part of it does not check out."""
    if sealed.kek_id != kek.kek_id:
        raise SealingError(
            f"the key was sealed under {sealed.kek_id}, but the key-encryption key is "
            f"{kek.kek_id} (rotated without rewrapping?)"
        )
    dek = await kek.unwrap(sealed.wrapped_key)
    nonce, ciphertext = sealed.encrypted_key[:NONCE_SIZE], sealed.encrypted_key[NONCE_SIZE:]
    try:
        plaintext = AESGCM(dek).decrypt(nonce, ciphertext, associated_data)
    except (InvalidTag, ValueError) as exc:
        raise SealingError(
            "the sealed key does not decrypt: it was altered, or belongs to another row"
        ) from exc
    key = serialization.load_der_private_key(plaintext, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SealingError(f"the sealed key is a {type(key).__name__}, not an EC key")
    return key
