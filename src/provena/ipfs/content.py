"""`ContentStore`: add, read, pin and move DAGs, whether blocks live here or in Kubo.

    EmbeddedContentStore   importer + a local `Blockstore` (the default; no daemon)
    KuboContentStore       a Kubo node over its RPC API; every add is also computed
                           locally and must give the same CID (`CidMismatchError` if not)

Reads from either go through the verifying exporter.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol, runtime_checkable

import anyio

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.car import export_car, import_car
from provena.ipfs.cid import CID
from provena.ipfs.errors import CidMismatchError
from provena.ipfs.exporter import cat
from provena.ipfs.gclock import pin_lock
from provena.ipfs.importer import ImportResult, add_stream
from provena.ipfs.kubo import KuboBlockstore, KuboClient
from provena.ipfs.profile import DEFAULT_PROFILE, Profile

__all__ = ["ContentStore", "EmbeddedContentStore", "KuboContentStore"]

_SPOOL_PIECE = 1024 * 1024


@runtime_checkable
class ContentStore(Protocol):
    async def add(
        self, source: AsyncIterable[bytes], *, profile: Profile = DEFAULT_PROFILE, pin: bool = True
    ) -> ImportResult: ...

    def cat(
        self, cid: CID, *, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]: ...

    async def pin(self, cid: CID) -> None: ...

    async def unpin(self, cid: CID) -> None: ...

    def export_car(self, cid: CID) -> AsyncIterator[bytes]: ...

    async def import_car(self, car: AsyncIterable[bytes]) -> list[CID]: ...


class _BlockstoreReads:
    blockstore: Blockstore

    def cat(self, cid: CID, *, offset: int = 0, length: int | None = None) -> AsyncIterator[bytes]:
        return cat(self.blockstore, cid, offset=offset, length=length)

    async def pin(self, cid: CID) -> None:
        await self.blockstore.pin(cid)

    async def unpin(self, cid: CID) -> None:
        await self.blockstore.unpin(cid)

    def export_car(self, cid: CID) -> AsyncIterator[bytes]:
        return export_car(self.blockstore, cid)


class EmbeddedContentStore(_BlockstoreReads):
    """Content in a local blockstore."""

    def __init__(self, blockstore: Blockstore) -> None:
        self.blockstore = blockstore

    async def add(
        self, source: AsyncIterable[bytes], *, profile: Profile = DEFAULT_PROFILE, pin: bool = True
    ) -> ImportResult:
        async with pin_lock(self.blockstore):  # no GC between the first block and the pin
            result = await add_stream(source, profile=profile, blockstore=self.blockstore)
            if pin:
                await self.blockstore.pin(result.cid)
        return result

    async def import_car(self, car: AsyncIterable[bytes]) -> list[CID]:
        async with pin_lock(self.blockstore):
            return await import_car(self.blockstore, car)


class KuboContentStore(_BlockstoreReads):
    """Content in a Kubo node; CIDs double-checked by the local importer."""

    def __init__(self, client: KuboClient) -> None:
        self.client = client
        self.blockstore = KuboBlockstore(client)

    async def add(
        self, source: AsyncIterable[bytes], *, profile: Profile = DEFAULT_PROFILE, pin: bool = True
    ) -> ImportResult:
        # Spool to disk while computing the CID locally, then send the same bytes to Kubo.
        with tempfile.TemporaryFile() as spool:
            handle = anyio.wrap_file(spool)

            async def tee() -> AsyncIterator[bytes]:
                async for piece in source:
                    await handle.write(piece)
                    yield piece

            local = await add_stream(tee(), profile=profile)
            await handle.seek(0)

            async def replay() -> AsyncIterator[bytes]:
                while piece := await handle.read(_SPOOL_PIECE):
                    yield piece

            remote = await self.client.add(replay(), profile=profile, pin=pin)
        if str(remote) != str(local.cid):
            raise CidMismatchError(str(local.cid), str(remote))
        return local

    async def import_car(self, car: AsyncIterable[bytes]) -> list[CID]:
        return await self.client.dag_import(car)
