"""Documents: uploads stored by content (IPFS CID) and in object storage, with a record.

The ledger anchors `{cid, sha256, size, media_type, name}`; this package produces them.
"""

from provena.documents.errors import (
    DocumentError,
    DocumentNotFound,
    DocumentTooLarge,
    InvalidDocument,
)
from provena.documents.service import DocumentService, Named, Viewer

__all__ = [
    "DocumentError",
    "DocumentNotFound",
    "DocumentService",
    "DocumentTooLarge",
    "InvalidDocument",
    "Named",
    "Viewer",
]
