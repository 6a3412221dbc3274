"""Message digests: what a signer is asked to sign.

Fabric verifies ECDSA signatures over SHA-256 of the message, whatever the curve, so `sha256`
is the default. `none` passes the message through unchanged, for signers that hash themselves
(an HSM or a cloud KMS that takes the whole message).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

__all__ = ["Hash", "none", "sha256", "sha384"]

Hash = Callable[[bytes], bytes]
"""A function from message to the bytes that are signed."""


def sha256(message: bytes) -> bytes:
    """SHA-256, the digest Fabric signs and verifies."""
    return hashlib.sha256(message).digest()


def sha384(message: bytes) -> bytes:
    """SHA-384, for networks whose MSPs are configured for it."""
    return hashlib.sha384(message).digest()


def none(message: bytes) -> bytes:
    """The message itself, for signers that hash it themselves."""
    return message
