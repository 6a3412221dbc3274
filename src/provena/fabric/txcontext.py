"""Transaction ids and signature headers: the fields Fabric derives from nonce and creator."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from fabric_protos.common import common_pb2

__all__ = ["NONCE_LENGTH", "TransactionContext", "transaction_id"]

NONCE_LENGTH = 24
"""Bytes of randomness per transaction, as the official clients use."""


def transaction_id(nonce: bytes, creator: bytes) -> str:
    """hex(SHA-256(nonce ‖ creator)): the only transaction id a peer accepts for this header."""
    return hashlib.sha256(nonce + creator).hexdigest()


@dataclass(frozen=True, slots=True)
class TransactionContext:
    """A fresh nonce, the transaction id it gives and the signature header that carries it."""

    transaction_id: str
    signature_header: common_pb2.SignatureHeader

    @classmethod
    def new(cls, creator: bytes) -> TransactionContext:
        nonce = os.urandom(NONCE_LENGTH)
        header = common_pb2.SignatureHeader(creator=creator, nonce=nonce)
        return cls(transaction_id(nonce, creator), header)
