"""CIDs: parsing, building and checking blocks against them.

A thin layer over `multiformats.CID` that fixes what this package supports (SHA-256
multihashes; the `raw` and `dag-pb` codecs, plus any codec for opaque raw-block
transfer) and turns the library's errors into `InvalidCidError`. CIDs print the way
Kubo prints them: CIDv0 in base58btc, CIDv1 in base32.
"""

from __future__ import annotations

import base64
import hashlib

from multiformats import CID

from provena.ipfs.errors import CorruptBlockError, InvalidCidError

__all__ = [
    "CID",
    "DAG_PB",
    "RAW",
    "binary_cid",
    "block_key",
    "cid_for",
    "parse_cid",
    "verify_block",
]

RAW = 0x55
DAG_PB = 0x70
_SHA2_256 = 0x12


def binary_cid(data: bytes | memoryview, *, codec: int, version: int) -> bytes:
    """The binary CID of `data` hashed with SHA-256 (CIDv0 only exists for dag-pb).

    Built by hand rather than as a `CID` object: the importer makes one per block, and
    the library's validating constructor costs as much as hashing a 256 KiB chunk.
    """
    multihash = b"\x12\x20" + hashlib.sha256(data).digest()
    if version == 0:
        if codec != DAG_PB:
            raise InvalidCidError("CIDv0 can only address dag-pb blocks")
        return multihash
    return bytes((1, codec)) + multihash


def cid_for(data: bytes | memoryview, *, codec: int, version: int) -> CID:
    """The CID of `data` hashed with SHA-256."""
    return parse_cid(binary_cid(data, codec=codec, version=version))


def parse_cid(value: str | bytes) -> CID:
    """Parse a CID from its string or binary form; raise `InvalidCidError` if it is not one."""
    try:
        cid = CID.decode(value)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        # multiformats indexes past the end of a one-character multibase string ("0", "b")
        shown = value if isinstance(value, str) else value.hex()
        raise InvalidCidError(f"{shown!r} is not a valid CID: {exc}") from exc
    if cid.hashfun.code != _SHA2_256:
        raise InvalidCidError(f"{cid}: only sha2-256 multihashes are supported")
    if len(cid.raw_digest) != 32:
        raise InvalidCidError(f"{cid}: truncated sha2-256 digest")
    if cid.version == 1 and cid.base.name != "base32":
        cid = cid.set(base="base32")
    return cid


def block_key(cid: CID) -> str:
    """The storage key of a block: its multihash in unpadded base32, as Kubo's flatfs names it.

    Keying by multihash, not CID, lets the CIDv0 and CIDv1 of the same bytes share one block.
    """
    return base64.b32encode(bytes(cid.digest)).decode().rstrip("=")


def verify_block(cid: CID, data: bytes) -> bytes:
    """Return `data` if it hashes to `cid`; raise `CorruptBlockError` naming the CID if not."""
    if hashlib.sha256(data).digest() != cid.raw_digest:
        raise CorruptBlockError(str(cid), "content does not match its hash")
    return data
