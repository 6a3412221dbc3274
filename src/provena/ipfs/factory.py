"""`open_blockstore` and `open_content_store`: what the settings ask for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from provena.ipfs.blockstore import Blockstore, FilesystemBlockstore, ObjectStoreBlockstore
from provena.ipfs.content import ContentStore, EmbeddedContentStore, KuboContentStore
from provena.ipfs.kubo import KuboClient
from provena.storage import ObjectStore

if TYPE_CHECKING:
    from provena.settings import Settings

__all__ = ["open_blockstore", "open_content_store"]


def open_blockstore(settings: Settings, object_store: ObjectStore | None = None) -> Blockstore:
    """Blocks in `DATA_DIR/ipfs`, or under `ipfs/` in the object store."""
    if settings.ipfs_blockstore == "object_store":
        if object_store is None:
            raise ValueError("an object-store blockstore needs the object store")
        return ObjectStoreBlockstore(object_store)
    return FilesystemBlockstore(settings.data_dir / "ipfs")


def open_content_store(settings: Settings, blockstore: Blockstore) -> ContentStore:
    """Kubo if `PROVENA_IPFS_KUBO_URL` is set, else the embedded store on `blockstore`."""
    if settings.ipfs_kubo_url:
        return KuboContentStore(KuboClient(settings.ipfs_kubo_url))
    return EmbeddedContentStore(blockstore)
