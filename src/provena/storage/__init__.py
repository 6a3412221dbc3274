"""Object storage: one small async interface, three backends.

    store = LocalObjectStore(Path(".provena/objects"), max_size=...)
    await store.put("docs/report.pdf", stream)        # all or nothing
    async for piece in store.get("docs/report.pdf", start=0, end=1024): ...
    url = await store.read_url("docs/report.pdf", expires_in=timedelta(minutes=15))

`LocalObjectStore` (a directory; the default), `OciObjectStore` (OCI Object Storage through
the `oci` SDK: multipart uploads, pre-authenticated requests) and `S3ObjectStore` (any
S3-compatible endpoint, including OCI's Amazon S3 Compatibility API and MinIO).
`open_object_store` builds the one the settings name.
"""

from __future__ import annotations

from provena.storage.errors import (
    BackendError,
    InvalidKeyError,
    InvalidRangeError,
    ObjectNotFoundError,
    ObjectTooLargeError,
    StorageConfigError,
    StorageError,
)
from provena.storage.factory import open_object_store, open_oci_bucket
from provena.storage.local import LocalObjectStore
from provena.storage.objectstore import ByteSource, ObjectInfo, ObjectStore, check_key

__all__ = [
    "BackendError",
    "ByteSource",
    "InvalidKeyError",
    "InvalidRangeError",
    "LocalObjectStore",
    "ObjectInfo",
    "ObjectNotFoundError",
    "ObjectStore",
    "ObjectTooLargeError",
    "StorageConfigError",
    "StorageError",
    "check_key",
    "open_object_store",
    "open_oci_bucket",
]
