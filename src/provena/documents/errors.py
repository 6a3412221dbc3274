"""Errors of `provena.documents`.

DocumentError
├── InvalidDocument    a bad name or media type, or no content (400)
├── DocumentTooLarge   over the configured maximum; nothing was kept (413)
├── UploadTimedOut     the body stalled, or took too long to arrive; nothing was kept (408)
└── DocumentNotFound   no document with that CID (404)
"""

from __future__ import annotations

__all__ = [
    "DocumentError",
    "DocumentNotFound",
    "DocumentTooLarge",
    "InvalidDocument",
    "UploadTimedOut",
]


class DocumentError(Exception):
    """Base of every documents error."""


class InvalidDocument(DocumentError, ValueError):
    """The upload's name, media type or (empty) content cannot be accepted."""


class DocumentTooLarge(DocumentError):
    """The upload is larger than the configured maximum."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the document is larger than the {limit}-byte maximum")
        self.limit = limit


class UploadTimedOut(DocumentError):
    """The upload's body sent nothing for too long, or did not end in time."""


class DocumentNotFound(DocumentError, LookupError):
    """No document has this CID."""
