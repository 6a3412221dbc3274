"""Documents: uploads stored by content (IPFS CID) and in object storage, with a record.

The ledger anchors `{cid, sha256, size, media_type, name}`; this package produces them.
"""

from provena.documents.errors import (
    DocumentError,
    DocumentNotFound,
    DocumentTooLarge,
    InvalidDocument,
    UploadTimedOut,
)
from provena.documents.pacing import paced
from provena.documents.service import DocumentService, Named, Viewer

__all__ = [
    "DocumentError",
    "DocumentNotFound",
    "DocumentService",
    "DocumentTooLarge",
    "InvalidDocument",
    "Named",
    "UploadTimedOut",
    "Viewer",
    "paced",
]
