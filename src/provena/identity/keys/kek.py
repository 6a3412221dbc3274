"""`KeyEncryptionKey`: what wraps data keys, and `LocalKek`, a 32-byte key held locally.

A KEK is named by `kek_id`, stored beside every key it sealed, so that unsealing with
another KEK (a rotated file, a different vault key) is told apart from tampering.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from provena.identity.keys.errors import SealingError

__all__ = ["KEY_SIZE", "NONCE_SIZE", "KeyEncryptionKey", "LocalKek"]

KEY_SIZE = 32
NONCE_SIZE = 12


class KeyEncryptionKey(Protocol):
    """Wraps and unwraps data keys; the key itself never leaves it."""

    @property
    def kek_id(self) -> str:
        """Names this KEK (and its version, where rotating it changes what unwraps)."""
        ...

    async def wrap(self, dek: bytes) -> bytes:
        """`dek` encrypted, to store beside what it encrypted."""
        ...

    async def unwrap(self, wrapped: bytes) -> bytes:
        """The data key `wrap` returned `wrapped` for, or `SealingError`."""
        ...

    async def aclose(self) -> None:
        """Release connections to wherever the KEK is held."""
        ...


@dataclass(frozen=True)
class LocalKek:
    """A KEK of 32 bytes held by this process: AES-256-GCM, a fresh nonce per wrap.

    `kek_id` is "local:" and a fingerprint of the key, so a key sealed under a previous key
    file is reported as such rather than as corrupt.
    """

    key: bytes = field(repr=False)
    kek_id: str = field(init=False)

    def __post_init__(self) -> None:
        if len(self.key) != KEY_SIZE:
            raise SealingError(f"a local KEK is {KEY_SIZE} bytes, not {len(self.key)}")
        fingerprint = hashlib.sha256(b"provena local kek\x00" + self.key).hexdigest()[:16]
        object.__setattr__(self, "kek_id", f"local:{fingerprint}")

    @classmethod
    def from_file(cls, path: Path, *, create: bool) -> LocalKek:
        """The KEK in `path`; with `create`, a new random one is written there (0600) if absent.

        Creation is atomic (a complete temporary file is hard-linked into place), so
        processes starting together agree on one key and none reads a partial file.
        """
        if create and not path.exists():
            _create_key_file(path)
        try:
            return cls(path.read_bytes())
        except OSError as exc:
            raise SealingError(f"cannot read the key-encryption key file {path}: {exc}") from exc

    async def wrap(self, dek: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + AESGCM(self.key).encrypt(nonce, dek, self.kek_id.encode())

    async def unwrap(self, wrapped: bytes) -> bytes:
        nonce, ciphertext = wrapped[:NONCE_SIZE], wrapped[NONCE_SIZE:]
        try:
            return AESGCM(self.key).decrypt(nonce, ciphertext, self.kek_id.encode())
        except InvalidTag as exc:
            raise SealingError(
                f"the data key does not unwrap with {self.kek_id}: another KEK wrapped it, "
                "or it was altered"
            ) from exc

    async def aclose(self) -> None:
        return None


def _create_key_file(path: Path) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(AESGCM.generate_key(KEY_SIZE * 8))
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process created it first
            os.link(temporary, path)
    finally:
        temporary.unlink()
