"""Errors of `provena.identity.keys`.

IdentityError
└── SealingError    a private key cannot be sealed or unsealed: wrong or rotated
                    key-encryption key, tampered or swapped ciphertext, unusable vault
"""

from __future__ import annotations

from provena.identity.errors import IdentityError

__all__ = ["SealingError"]


class SealingError(IdentityError):
    """A key cannot be sealed or unsealed; the message says why and never holds key bytes."""
