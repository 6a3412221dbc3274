"""The object-store interface every backend implements, and the rules all of them share.

Keys are relative, slash-separated names (`blocks/CIQ...`, `uploads/2024/report.pdf`);
`check_key` refuses anything that could escape a directory or a prefix. Uploads come
from async byte streams and are all-or-nothing: a stream that fails, or grows past
`max_size`, leaves no object behind and no half-written one visible.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from provena.storage.errors import InvalidKeyError, InvalidRangeError, ObjectTooLargeError

__all__ = [
    "ByteSource",
    "ObjectInfo",
    "ObjectStore",
    "check_key",
    "check_range",
    "limit_size",
]

#: What `put` accepts: the whole body, or an async stream of pieces.
ByteSource = bytes | AsyncIterable[bytes]


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    key: str
    size: int
    etag: str | None = None
    content_type: str | None = None
    last_modified: datetime | None = None


@runtime_checkable
class ObjectStore(Protocol):
    """An object store: whole-object writes, ranged streaming reads, prefix listing."""

    async def put(
        self, key: str, source: ByteSource, *, content_type: str | None = None
    ) -> ObjectInfo:
        """Store `source` under `key` atomically; raise `ObjectTooLargeError` over the limit."""
        ...

    def get(self, key: str, *, start: int = 0, end: int | None = None) -> AsyncIterator[bytes]:
        """Stream bytes `start` to `end` (exclusive; default the end of the object)."""
        ...

    async def head(self, key: str) -> ObjectInfo:
        """The object's size and metadata; raise `ObjectNotFoundError` if there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; removing a missing object is not an error."""
        ...

    def list(self, prefix: str = "") -> AsyncIterator[ObjectInfo]:
        """Every object whose key starts with `prefix`, in key order."""
        ...

    async def read_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        """A URL that lets anyone holding it read the object until it expires, answered with
        `content_type` and `content_disposition` when given (else the stored type, and no
        disposition); OCI's pre-authenticated requests carry no such overrides."""
        ...

    async def aclose(self) -> None:
        """Release connections."""
        ...


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative object name; raise `InvalidKeyError` otherwise."""
    if not key or len(key.encode()) > 1024:
        raise InvalidKeyError("object keys must be 1 to 1024 bytes long")
    if "\x00" in key or "\\" in key:
        raise InvalidKeyError(f"object key {key!r} contains a forbidden character")
    parts = key.split("/")
    if key.startswith("/") or any(part in ("", ".", "..") for part in parts):
        raise InvalidKeyError(f"object key {key!r} is not a clean relative path")
    return key


def check_range(start: int, end: int | None, size: int | None = None) -> None:
    """Refuse a byte range that is negative, reversed, or starts past the object's end."""
    if start < 0 or (end is not None and end < start):
        raise InvalidRangeError(f"invalid byte range {start}-{end}")
    if size is not None and start > size:
        raise InvalidRangeError(f"range start {start} is past the object's end ({size} bytes)")


async def limit_size(source: ByteSource, key: str, max_size: int | None) -> AsyncIterator[bytes]:
    """Yield `source` piece by piece, raising `ObjectTooLargeError` once it passes `max_size`."""
    total = 0
    pieces: AsyncIterable[bytes] = _single(source) if isinstance(source, bytes) else source
    async for piece in pieces:
        total += len(piece)
        if max_size is not None and total > max_size:
            raise ObjectTooLargeError(key, max_size)
        yield piece


async def _single(data: bytes) -> AsyncIterator[bytes]:
    yield data
