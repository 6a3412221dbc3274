"""Errors of `provena.storage`.

StorageError
├── InvalidKeyError        an object key that is empty, absolute or escapes its prefix
├── ObjectNotFoundError    no object under that key (404)
├── ObjectTooLargeError    an upload over the configured maximum; nothing was kept (413)
├── InvalidRangeError      a byte range outside the object (416)
├── StorageConfigError     the store cannot be built from its settings
└── BackendError           the object service failed or refused the request
"""

from __future__ import annotations

__all__ = [
    "BackendError",
    "InvalidKeyError",
    "InvalidRangeError",
    "ObjectNotFoundError",
    "ObjectTooLargeError",
    "StorageConfigError",
    "StorageError",
]


class StorageError(Exception):
    """Base of every error of `provena.storage`."""


class InvalidKeyError(StorageError, ValueError):
    """The object key cannot be used."""


class ObjectNotFoundError(StorageError, LookupError):
    """No object exists under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"object {key!r} not found")
        self.key = key


class ObjectTooLargeError(StorageError):
    """The upload exceeded the maximum object size; the partial upload was discarded."""

    def __init__(self, key: str, limit: int) -> None:
        super().__init__(f"object {key!r} exceeds the maximum size of {limit} bytes")
        self.key = key
        self.limit = limit


class InvalidRangeError(StorageError, ValueError):
    """The requested byte range does not fit the object."""


class StorageConfigError(StorageError, ValueError):
    """The store's configuration is incomplete or contradictory."""


class BackendError(StorageError):
    """The object storage service failed; the message carries its answer."""
