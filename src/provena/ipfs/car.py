"""CAR v1: a DAG as one stream, for export, import and the gateway's `application/vnd.ipld.car`.

    varint(len(header)) header            header = dag-cbor {"roots": [CID], "version": 1}
    varint(len(cid)+len(block)) cid block  ...once per block, depth first from the root

Import verifies each block against its CID before storing it; a stream that stops inside
a section is reported as truncated, never half-imported silently.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from typing import cast

import dag_cbor
from dag_cbor.decoding import CBORDecodingError

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.cid import CID, parse_cid, verify_block
from provena.ipfs.dagpb import encode_varint, read_varint
from provena.ipfs.errors import CarError, InvalidCidError
from provena.ipfs.exporter import walk

__all__ = ["CarReader", "car_header", "car_section", "export_car", "import_car"]

#: Sections larger than this are not blocks any IPFS implementation would send.
_MAX_SECTION = 4 * 1024 * 1024


def car_header(roots: list[CID]) -> bytes:
    header = dag_cbor.encode({"roots": list[dag_cbor.IPLDKind](roots), "version": 1})
    return encode_varint(len(header)) + header


async def export_car(blockstore: Blockstore, root: CID) -> AsyncIterator[bytes]:
    """Stream the CAR of the DAG under `root`, verifying every block as it goes."""
    blocks = walk(blockstore, root)
    # The root block comes with the header, so a missing root fails before any byte is sent.
    first_cid, first_data = await anext(blocks)
    yield car_header([root]) + car_section(first_cid, first_data)
    async for cid, data in blocks:
        yield car_section(cid, data)


def car_section(cid: CID, data: bytes) -> bytes:
    """One CAR block section."""
    raw_cid = bytes(cid)
    return encode_varint(len(raw_cid) + len(data)) + raw_cid + data


class _Buffer:
    """Reads exact byte counts from an async stream of pieces."""

    def __init__(self, source: AsyncIterable[bytes]) -> None:
        self._source = aiter(source)
        self._data = bytearray()

    async def _fill(self, n: int) -> bool:
        while len(self._data) < n:
            piece = await anext(self._source, None)
            if piece is None:
                return False
            self._data += piece
        return True

    async def varint(self) -> int | None:
        """The next varint, or None at a clean end of stream."""
        value = shift = 0
        index = 0
        while True:
            if not await self._fill(index + 1):
                if index == 0:
                    return None
                raise CarError("CAR is truncated inside a length prefix")
            byte = self._data[index]
            value |= (byte & 0x7F) << shift
            index += 1
            if byte < 0x80:
                del self._data[:index]
                return value
            shift += 7
            if shift > 63:
                raise CarError("CAR length prefix is too long")

    async def take(self, n: int, what: str) -> bytes:
        if not await self._fill(n):
            raise CarError(f"CAR is truncated: {what} needs {n} bytes, {len(self._data)} remain")
        out = bytes(self._data[:n])
        del self._data[:n]
        return out


class CarReader:
    """Reads a CAR v1 stream: `await reader.roots()`, then `async for cid, data in reader`."""

    def __init__(self, source: AsyncIterable[bytes]) -> None:
        self._buffer = _Buffer(source)
        self._roots: list[CID] | None = None

    async def roots(self) -> list[CID]:
        if self._roots is None:
            length = await self._buffer.varint()
            if length is None or length == 0 or length > _MAX_SECTION:
                raise CarError("not a CAR: missing or absurd header length")
            try:
                header = dag_cbor.decode(await self._buffer.take(length, "the header"))
            except (CBORDecodingError, ValueError, TypeError) as exc:
                raise CarError(f"CAR header is not dag-cbor: {exc}") from exc
            if not isinstance(header, dict) or header.get("version") != 1:
                raise CarError("only CAR version 1 is supported")
            roots = header.get("roots")
            if not isinstance(roots, list) or not all(isinstance(r, CID) for r in roots):
                raise CarError("CAR header has no list of root CIDs")
            self._roots = [parse_cid(bytes(cast(CID, r))) for r in roots]
        return self._roots

    def __aiter__(self) -> AsyncIterator[tuple[CID, bytes]]:
        return self._blocks()

    async def _blocks(self) -> AsyncIterator[tuple[CID, bytes]]:
        await self.roots()
        while (length := await self._buffer.varint()) is not None:
            if length > _MAX_SECTION:
                raise CarError(f"CAR section of {length} bytes is too large")
            section = await self._buffer.take(length, "a block section")
            cid, data = _split_section(section)
            yield cid, verify_block(cid, data)


def _split_section(section: bytes) -> tuple[CID, bytes]:
    # CIDv0 is a bare sha2-256 multihash; CIDv1 is version, codec, hash code, digest length.
    try:
        if section[:2] == b"\x12\x20":
            size = 34
        else:
            pos = 0
            for _ in range(3):
                _, pos = read_varint(section, pos)
            digest_length, pos = read_varint(section, pos)
            size = pos + digest_length
        cid = parse_cid(section[:size])
    except (ValueError, InvalidCidError) as exc:
        raise CarError(f"CAR section has an invalid CID: {exc}") from exc
    if size > len(section):
        raise CarError("CAR section ends inside its CID")
    return cid, section[size:]


async def import_car(blockstore: Blockstore, source: AsyncIterable[bytes]) -> list[CID]:
    """Store every block of a CAR stream (each verified) and return its roots."""
    reader = CarReader(source)
    roots = await reader.roots()
    async for cid, data in reader:
        await blockstore.put(cid, data)
    return roots
