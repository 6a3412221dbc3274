"""An identity with its (optional) signer and hash: everything needed to sign a request."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from provena.fabric.errors import SigningError
from provena.fabric.hashing import Hash, sha256
from provena.fabric.identity import Identity
from provena.fabric.signers import Signer

__all__ = ["SigningIdentity"]


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """Signs digests with `signer`; with no signer every request must be signed offline."""

    identity: Identity
    signer: Signer | None = None
    hash: Hash = sha256

    @property
    def creator(self) -> bytes:
        return self.identity.creator

    def digest(self, message: bytes) -> bytes:
        return self.hash(message)

    async def sign(self, digest: bytes) -> bytes:
        if self.signer is None:
            raise SigningError(
                "no signer: sign the request's digest offline and use the gateway's new_signed_* "
                "method, or connect with a signer"
            )
        signature = self.signer(digest)
        if inspect.isawaitable(signature):
            return await signature
        return signature
