"""IPFS content: UnixFS DAGs built exactly as Kubo and Helia build them, stored and served verified.

    result = await add_stream(stream, profile=UNIXFS_V1_2025, blockstore=store)
    async for piece in cat(store, result.cid, offset=0, length=1024): ...
    app.include_router(gateway_router(store))          # GET /ipfs/{cid}[/{path}]

The importer follows the IPIP-499 profiles (`unixfs-v1-2025`, Provena's default, and
`unixfs-v0-2015`, Kubo's classic one), overridable flag by flag as `ipfs add` allows, so
the CID recorded on the ledger is the CID any IPFS node computes for the same bytes.
Blocks live in a `Blockstore` (files, an object store, or memory); every read verifies
each block's hash. `EmbeddedContentStore` and `KuboContentStore` put it behind one
`ContentStore` interface; `PinningServiceClient` speaks the IPFS Pinning Service API.
"""

from __future__ import annotations

from provena.ipfs.blockstore import (
    Blockstore,
    FilesystemBlockstore,
    MemoryBlockstore,
    ObjectStoreBlockstore,
)
from provena.ipfs.car import CarReader, export_car, import_car
from provena.ipfs.cid import CID, parse_cid
from provena.ipfs.content import ContentStore, EmbeddedContentStore, KuboContentStore
from provena.ipfs.errors import (
    BlockError,
    BlockNotFoundError,
    CarError,
    CidMismatchError,
    CorruptBlockError,
    InvalidCidError,
    IpfsError,
    PathError,
    ProfileError,
    RemoteError,
)
from provena.ipfs.exporter import Entry, cat, resolve, stat, walk
from provena.ipfs.factory import open_blockstore, open_content_store
from provena.ipfs.gateway import gateway_router
from provena.ipfs.gc import GcResult, collect_garbage, verify_dag
from provena.ipfs.importer import ImportResult, add_bytes, add_files, add_stream
from provena.ipfs.kubo import KuboBlockstore, KuboClient
from provena.ipfs.pinning import PinningServiceClient, PinStatus
from provena.ipfs.profile import (
    DEFAULT_PROFILE,
    PROFILES,
    UNIXFS_V0_2015,
    UNIXFS_V1_2025,
    Profile,
    resolve_profile,
)

__all__ = [
    "CID",
    "DEFAULT_PROFILE",
    "PROFILES",
    "UNIXFS_V0_2015",
    "UNIXFS_V1_2025",
    "BlockError",
    "BlockNotFoundError",
    "Blockstore",
    "CarError",
    "CarReader",
    "CidMismatchError",
    "ContentStore",
    "CorruptBlockError",
    "EmbeddedContentStore",
    "Entry",
    "FilesystemBlockstore",
    "GcResult",
    "ImportResult",
    "InvalidCidError",
    "IpfsError",
    "KuboBlockstore",
    "KuboClient",
    "KuboContentStore",
    "MemoryBlockstore",
    "ObjectStoreBlockstore",
    "PathError",
    "PinStatus",
    "PinningServiceClient",
    "Profile",
    "ProfileError",
    "RemoteError",
    "add_bytes",
    "add_files",
    "add_stream",
    "cat",
    "collect_garbage",
    "export_car",
    "gateway_router",
    "import_car",
    "open_blockstore",
    "open_content_store",
    "parse_cid",
    "resolve",
    "resolve_profile",
    "stat",
    "verify_dag",
    "walk",
]
