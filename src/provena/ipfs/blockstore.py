"""Blockstores: where blocks and pins live.

A blockstore keeps blocks by multihash (so a CIDv0 and a CIDv1 of the same bytes share
one block) and a set of recursively pinned roots. It does not verify on read: readers
(`exporter`, `car`, the gateway) check every block against its CID, so a disk that rots
is caught however the block is reached.

Three implementations: `FilesystemBlockstore` (Kubo's flatfs layout), `ObjectStoreBlockstore`
(any `provena.storage` backend) and `MemoryBlockstore` (tests, only-hash). Each also has the
GC lock of `gclock` (`pin_lock` for adds, `gc_lock` for GC): a file lock on `<root>` for the
filesystem, so a GC in another process waits for the adds in flight, and a lock of this
process for the others.

    <root>/blocks/<next-to-last 2 chars>/<KEY>.data     KEY = base32 multihash
    <root>/pins/<CID>
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

from provena.ipfs.cid import CID, block_key, parse_cid
from provena.ipfs.errors import BlockNotFoundError
from provena.ipfs.gclock import FileGcLock, ProcessGcLock
from provena.storage import ObjectNotFoundError, ObjectStore

__all__ = ["Blockstore", "FilesystemBlockstore", "MemoryBlockstore", "ObjectStoreBlockstore"]


@runtime_checkable
class Blockstore(Protocol):
    """Blocks by multihash, plus the set of pinned roots."""

    async def has(self, cid: CID) -> bool: ...

    async def get(self, cid: CID) -> bytes:
        """The stored bytes (unverified); raise `BlockNotFoundError` if absent."""
        ...

    async def put(self, cid: CID, data: bytes) -> None:
        """Store a block; storing one that is already there is harmless."""
        ...

    async def discard(self, key: str) -> None:
        """Remove the block stored under `key` (see `block_key`)."""
        ...

    def block_keys(self) -> AsyncIterator[str]:
        """The key of every stored block."""
        ...

    async def pin(self, cid: CID) -> None: ...

    async def unpin(self, cid: CID) -> None: ...

    async def pins(self) -> list[CID]: ...


class MemoryBlockstore:
    """A `Blockstore` in a dict."""

    def __init__(self) -> None:
        self._blocks: dict[str, bytes] = {}
        self._pins: dict[str, CID] = {}
        self._lock = ProcessGcLock()

    def pin_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.pin_lock()

    def gc_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.gc_lock()

    async def has(self, cid: CID) -> bool:
        return block_key(cid) in self._blocks

    async def get(self, cid: CID) -> bytes:
        try:
            return self._blocks[block_key(cid)]
        except KeyError:
            raise BlockNotFoundError(str(cid)) from None

    async def put(self, cid: CID, data: bytes) -> None:
        self._blocks[block_key(cid)] = bytes(data)

    async def discard(self, key: str) -> None:
        self._blocks.pop(key, None)

    async def block_keys(self) -> AsyncIterator[str]:
        for key in list(self._blocks):
            yield key

    async def pin(self, cid: CID) -> None:
        self._pins[str(cid)] = cid

    async def unpin(self, cid: CID) -> None:
        self._pins.pop(str(cid), None)

    async def pins(self) -> list[CID]:
        return list(self._pins.values())


class FilesystemBlockstore:
    """A `Blockstore` in sharded directories; writes are atomic (temporary file + rename).

    Two writers adding the same block race harmlessly: each renames a complete copy of
    identical bytes over the same name.
    """

    def __init__(self, root: Path) -> None:
        self._blocks = root / "blocks"
        self._pins = root / "pins"
        self._lock = FileGcLock(root)

    def pin_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.pin_lock()

    def gc_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.gc_lock()

    def _path(self, key: str) -> Path:
        return self._blocks / key[-3:-1] / f"{key}.data"

    async def has(self, cid: CID) -> bool:
        return await asyncio.to_thread(self._path(block_key(cid)).is_file)

    async def get(self, cid: CID) -> bytes:
        try:
            return await asyncio.to_thread(self._path(block_key(cid)).read_bytes)
        except FileNotFoundError:
            raise BlockNotFoundError(str(cid)) from None

    async def put(self, cid: CID, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(block_key(cid)), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        if path.is_file():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    async def discard(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def block_keys(self) -> AsyncIterator[str]:
        for key in await asyncio.to_thread(self._list_keys):
            yield key

    def _list_keys(self) -> list[str]:
        if not self._blocks.is_dir():
            return []
        return [p.name.removesuffix(".data") for p in self._blocks.glob("*/*.data")]

    async def pin(self, cid: CID) -> None:
        await asyncio.to_thread(self._write, self._pins / str(cid), b"")

    async def unpin(self, cid: CID) -> None:
        await asyncio.to_thread((self._pins / str(cid)).unlink, missing_ok=True)

    async def pins(self) -> list[CID]:
        names = await asyncio.to_thread(
            lambda: [p.name for p in self._pins.iterdir()] if self._pins.is_dir() else []
        )
        return [parse_cid(name) for name in names if not name.startswith(".")]


class ObjectStoreBlockstore:
    """A `Blockstore` on a `provena.storage` object store (`blocks/KEY`, `pins/CID`).

    Its GC lock covers this process only: collect its garbage in the process that adds (or
    while nothing adds), as an object store has no lock another process would see.
    """

    def __init__(self, store: ObjectStore, *, prefix: str = "ipfs/") -> None:
        self._store = store
        self._prefix = prefix
        self._lock = ProcessGcLock()

    def pin_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.pin_lock()

    def gc_lock(self) -> AbstractAsyncContextManager[None]:
        return self._lock.gc_lock()

    async def has(self, cid: CID) -> bool:
        try:
            await self._store.head(f"{self._prefix}blocks/{block_key(cid)}")
        except ObjectNotFoundError:
            return False
        return True

    async def get(self, cid: CID) -> bytes:
        chunks = []
        try:
            async for piece in self._store.get(f"{self._prefix}blocks/{block_key(cid)}"):
                chunks.append(piece)
        except ObjectNotFoundError:
            raise BlockNotFoundError(str(cid)) from None
        return b"".join(chunks)

    async def put(self, cid: CID, data: bytes) -> None:
        if not await self.has(cid):
            await self._store.put(f"{self._prefix}blocks/{block_key(cid)}", bytes(data))

    async def discard(self, key: str) -> None:
        await self._store.delete(f"{self._prefix}blocks/{key}")

    async def block_keys(self) -> AsyncIterator[str]:
        start = len(self._prefix) + len("blocks/")
        async for info in self._store.list(f"{self._prefix}blocks/"):
            yield info.key[start:]

    async def pin(self, cid: CID) -> None:
        await self._store.put(f"{self._prefix}pins/{cid}", b"")

    async def unpin(self, cid: CID) -> None:
        await self._store.delete(f"{self._prefix}pins/{cid}")

    async def pins(self) -> list[CID]:
        start = len(self._prefix) + len("pins/")
        return [parse_cid(i.key[start:]) async for i in self._store.list(f"{self._prefix}pins/")]
