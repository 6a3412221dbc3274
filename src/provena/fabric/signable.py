"""What every request that can be signed offline offers."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Signable"]


class Signable(Protocol):
    """A request whose `digest` can be signed elsewhere.

    `to_bytes()` is the request serialized, to hand to whoever holds the key and rebuild it
    with the gateway's matching `new_signed_*` method once `digest` is signed.
    """

    def to_bytes(self) -> bytes: ...

    @property
    def digest(self) -> bytes: ...
