"""When a creator's certificate expires, read from its serialized identity alone.

Fabric's MSP does not check time (chains are verified as of a certificate's start), so the
endorser's auth filter, the orderer's expiration rule and the deliver service each refuse an
expired identity themselves, from the certificate's NotAfter (`common/crypto.ExpiresAt`).
Anything that does not parse has no expiry: the MSP refuses it later, with its own reason.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from cryptography import x509
from fabric_protos.msp import identities_pb2
from google.protobuf.message import DecodeError

__all__ = ["expired", "expires_at"]


@lru_cache(maxsize=4096)
def expires_at(serialized_identity: bytes) -> dt.datetime | None:
    """The NotAfter of the identity's certificate, None when it has none to read."""
    try:
        proto = identities_pb2.SerializedIdentity.FromString(serialized_identity)
        return x509.load_pem_x509_certificate(proto.id_bytes).not_valid_after_utc
    except (DecodeError, ValueError):
        return None


def expired(serialized_identity: bytes, now: dt.datetime | None = None) -> bool:
    """Whether the identity's certificate has expired (at `now`, default the current time)."""
    end = expires_at(serialized_identity)
    return end is not None and (now or dt.datetime.now(dt.UTC)) > end
