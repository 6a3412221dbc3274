"""The exporter: files back out of a blockstore by CID, every block verified before use.

`cat` streams a file, whole or a byte range. It walks the DAG depth first and uses each
node's UnixFS `blocksizes` to skip the sub-DAGs outside the range, so a range read loads
only the blocks on its path. No byte leaves before the block holding it has been hashed
and compared with its CID; a missing or corrupt block raises an error naming that CID.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.builder import check_name
from provena.ipfs.cid import CID, DAG_PB, RAW, parse_cid, verify_block
from provena.ipfs.dagpb import DataType, PBNode, decode_node
from provena.ipfs.errors import CorruptBlockError, InvalidCidError, PathError

__all__ = ["Entry", "cat", "child_cids", "load_block", "load_node", "resolve", "stat", "walk"]


@dataclass(frozen=True, slots=True)
class Entry:
    """What a CID names: a file (raw leaf or UnixFS file), or a directory."""

    cid: CID
    kind: Literal["file", "directory"]
    size: int


async def load_block(blockstore: Blockstore, cid: CID) -> bytes:
    """The block's bytes, verified against `cid`."""
    return verify_block(cid, await blockstore.get(cid))


async def load_node(blockstore: Blockstore, cid: CID) -> PBNode:
    """The verified, decoded dag-pb node `cid`."""
    if cid.codec.code != DAG_PB:
        raise InvalidCidError(f"{cid} is not a dag-pb node")
    data = await load_block(blockstore, cid)
    try:
        node = decode_node(data)
        _ = node.unixfs
    except ValueError as exc:
        raise CorruptBlockError(str(cid), f"not a UnixFS dag-pb node: {exc}") from exc
    return node


def child_cids(cid: CID, data: bytes) -> list[CID]:
    """The CIDs a block links to (none for raw blocks)."""
    if cid.codec.code == RAW:
        return []
    if cid.codec.code != DAG_PB:
        raise InvalidCidError(f"{cid}: codec {cid.codec.name} is not supported")
    try:
        return [parse_cid(link.hash) for link in decode_node(data).links]
    except (ValueError, InvalidCidError) as exc:
        raise CorruptBlockError(str(cid), f"not a valid dag-pb node: {exc}") from exc


async def walk(blockstore: Blockstore, root: CID) -> AsyncIterator[tuple[CID, bytes]]:
    """Every block of the DAG under `root`, verified, depth first (the CAR order)."""
    stack = [root]
    while stack:
        cid = stack.pop()
        data = await load_block(blockstore, cid)
        yield cid, data
        stack.extend(reversed(child_cids(cid, data)))


async def stat(blockstore: Blockstore, cid: CID) -> Entry:
    """Whether `cid` is a file or a directory, and the file's size."""
    if cid.codec.code == RAW:
        return Entry(cid, "file", len(await load_block(blockstore, cid)))
    unixfs = (await load_node(blockstore, cid)).unixfs
    if unixfs.type in (DataType.DIRECTORY, DataType.HAMT_SHARD):
        return Entry(cid, "directory", 0)
    if unixfs.type in (DataType.FILE, DataType.RAW):
        size = unixfs.filesize if unixfs.filesize is not None else len(unixfs.data)
        return Entry(cid, "file", size)
    raise PathError(f"{cid} is a UnixFS {unixfs.type.name.lower()}, not a file or directory")


async def resolve(blockstore: Blockstore, root: CID, path: str) -> CID:
    """The CID at `path` (slash-separated names) below the directory `root`."""
    cid = root
    for name in (part for part in path.split("/") if part):
        check_name(name)
        if cid.codec.code == RAW:
            raise PathError(f"{cid} is a file, so it has no entry {name!r}")
        node = await load_node(blockstore, cid)
        if node.unixfs.type != DataType.DIRECTORY:
            raise PathError(f"{cid} is not a directory, so it has no entry {name!r}")
        link = next((link for link in node.links if link.name == name), None)
        if link is None:
            raise PathError(f"no entry {name!r} in directory {cid}")
        cid = parse_cid(link.hash)
    return cid


async def cat(
    blockstore: Blockstore, cid: CID, *, offset: int = 0, length: int | None = None
) -> AsyncIterator[bytes]:
    """Stream the file `cid` from `offset`, at most `length` bytes (default: to the end)."""
    if offset < 0 or (length is not None and length < 0):
        raise ValueError("offset and length must not be negative")
    end = None if length is None else offset + length
    async for piece in _read(blockstore, cid, offset, end):
        yield piece


async def _read(
    blockstore: Blockstore, cid: CID, start: int, end: int | None
) -> AsyncIterator[bytes]:
    """Bytes `start`..`end` of the sub-DAG `cid`, relative to its own first byte."""
    if cid.codec.code == RAW:
        data = await load_block(blockstore, cid)
        if start < len(data):
            yield data[start:end]
        return
    node = await load_node(blockstore, cid)
    unixfs = node.unixfs
    if unixfs.type not in (DataType.FILE, DataType.RAW):
        raise PathError(f"{cid} is a {unixfs.type.name.lower()}, not a file")
    if len(unixfs.blocksizes) != len(node.links):
        raise CorruptBlockError(str(cid), "blocksizes do not match the links")
    if unixfs.data and start < len(unixfs.data):
        yield unixfs.data[start:end]
    position = len(unixfs.data)
    for link, size in zip(node.links, unixfs.blocksizes, strict=True):
        if end is not None and position >= end:
            return
        if position + size > start:
            child_end = None if end is None else end - position
            async for piece in _read(
                blockstore, parse_cid(link.hash), max(0, start - position), child_end
            ):
                yield piece
        position += size
