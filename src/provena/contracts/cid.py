"""Checking that a string is a well-formed CID (v0 or v1), without an IPFS library.

The contracts image stays small, so this is a syntax check only: multibase (base32,
base58btc, base16), version, codec and a multihash whose digest length matches its
hash function. It answers "could IPFS address content by this?", not "does it exist".

    CIDv0:  base58btc( 0x12 0x20 <32-byte sha2-256> )           46 characters, "Qm…"
    CIDv1:  multibase( varint(1) varint(codec) varint(hash) varint(len) <digest> )
"""

from __future__ import annotations

import base64

__all__ = ["InvalidCid", "check_cid"]

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: multihash function code → digest length in bytes
_HASHES = {0x12: 32, 0x13: 64, 0x16: 32, 0x1E: 32, 0xB220: 32}
_MAX_LENGTH = 128


class InvalidCid(ValueError):
    """The string is not a CID."""


def check_cid(text: str) -> str:
    """Return `text` if it is a well-formed CIDv0 or CIDv1, else raise `InvalidCid`."""
    if not 2 <= len(text) <= _MAX_LENGTH:
        raise InvalidCid("a CID has 2 to 128 characters")
    if len(text) == 46 and text.startswith("Qm"):
        raw = _base58(text)
        if len(raw) != 34 or raw[:2] != b"\x12\x20":
            raise InvalidCid("a CIDv0 is a base58btc sha2-256 multihash")
        return text
    data = _multibase(text)
    version, offset = _varint(data, 0)
    if version != 1:
        raise InvalidCid(f"unsupported CID version {version}")
    _, offset = _varint(data, offset)  # the content codec: any is acceptable
    function, offset = _varint(data, offset)
    length, offset = _varint(data, offset)
    expected = _HASHES.get(function)
    if expected is None:
        raise InvalidCid(f"unsupported multihash function 0x{function:x}")
    if length != expected or len(data) - offset != length:
        raise InvalidCid("the multihash digest has the wrong length")
    return text


def _multibase(text: str) -> bytes:
    prefix, body = text[0], text[1:]
    try:
        if prefix in "bB":
            padded = body.upper() + "=" * (-len(body) % 8)
            return base64.b32decode(padded)
        if prefix == "z":
            return _base58(body)
        if prefix in "fF":
            return bytes.fromhex(body)
    except ValueError as exc:
        raise InvalidCid(f"invalid multibase encoding: {exc}") from exc
    raise InvalidCid(f"unsupported multibase prefix {prefix!r}")


def _base58(text: str) -> bytes:
    number = 0
    for char in text:
        digit = _BASE58.find(char)
        if digit < 0:
            raise InvalidCid(f"invalid base58 character {char!r}")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    return b"\x00" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")


def _varint(data: bytes, offset: int) -> tuple[int, int]:
    value = shift = 0
    for index in range(offset, min(len(data), offset + 9)):
        byte = data[index]
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, index + 1
        shift += 7
    raise InvalidCid("truncated or overlong varint")
