"""The DAG builder: turns chunks into leaves and links into parent nodes, the only encoder.

Every node it makes is a `Block` plus what a parent needs to link it: `tsize`, the bytes
of the whole sub-DAG (what dag-pb links record), and `filesize`, the file bytes under it
(what UnixFS `blocksizes` record). Raw leaves always get CIDv1: CIDv0 can only name dag-pb.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from provena.ipfs.chunker import Chunk
from provena.ipfs.cid import DAG_PB, RAW, binary_cid
from provena.ipfs.dagpb import DataType, PBLink, UnixFSData, encode_leaf, encode_node
from provena.ipfs.errors import PathError, ProfileError
from provena.ipfs.profile import Profile

__all__ = ["BlockSink", "DagBuilder", "Node", "check_name"]

#: Where finished blocks go, as (binary CID, bytes); `None` to only compute CIDs.
BlockSink = Callable[[bytes, bytes], Awaitable[None]] | None

#: Directories whose links exceed this switch to HAMT sharding in Kubo and Helia.
_SHARD_THRESHOLD = 256 * 1024


@dataclass(frozen=True, slots=True)
class Node:
    cid: bytes  # binary CID
    tsize: int
    filesize: int


def check_name(name: str) -> str:
    """Return `name` if it is a single safe path segment for a directory entry."""
    if name in ("", ".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise PathError(f"{name!r} is not a valid directory entry name")
    return name


class DagBuilder:
    """Encodes leaves, file nodes and directories for one `Profile` and sends them to a sink."""

    def __init__(self, profile: Profile, sink: BlockSink) -> None:
        self.profile = profile
        self._sink = sink

    async def _emit(self, data: bytes | memoryview, codec: int, version: int) -> bytes:
        cid = binary_cid(data, codec=codec, version=version)
        if self._sink is not None:
            await self._sink(cid, bytes(data))
        return cid

    async def leaf(self, chunk: Chunk) -> Node:
        """A leaf: the chunk itself (raw), or a UnixFS file node holding it (dag-pb)."""
        if self.profile.raw_leaves:
            return Node(await self._emit(chunk, RAW, 1), len(chunk), len(chunk))
        block = encode_leaf(chunk)
        return Node(
            await self._emit(block, DAG_PB, self.profile.cid_version), len(block), len(chunk)
        )

    async def file_node(self, children: Sequence[Node]) -> Node:
        """An inner file node linking `children` in order."""
        links = [PBLink(c.cid, "", c.tsize) for c in children]
        filesize = sum(c.filesize for c in children)
        unixfs = UnixFSData(
            DataType.FILE, filesize=filesize, blocksizes=tuple(c.filesize for c in children)
        )
        block = encode_node(links, unixfs.encode())
        cid = await self._emit(block, DAG_PB, self.profile.cid_version)
        return Node(cid, len(block) + sum(c.tsize for c in children), filesize)

    async def directory(self, entries: dict[str, Node]) -> Node:
        """A basic (unsharded) directory; links sorted by name as dag-pb requires."""
        links = [
            PBLink(entries[name].cid, check_name(name), entries[name].tsize)
            for name in sorted(entries, key=str.encode)
        ]
        block = encode_node(links, UnixFSData(DataType.DIRECTORY).encode())
        link_bytes = sum(len(link.name.encode()) + len(link.hash) for link in links)
        if max(len(block), link_bytes) > _SHARD_THRESHOLD:
            raise ProfileError("directories this large need HAMT sharding, not supported yet")
        cid = await self._emit(block, DAG_PB, self.profile.cid_version)
        return Node(cid, len(block) + sum(e.tsize for e in entries.values()), 0)
