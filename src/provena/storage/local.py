"""`LocalObjectStore`: objects as files under one directory (the default backend).

Writes go to a hidden temporary file beside the target and are renamed into place once
complete, so a reader sees the whole object or none; a failed or oversized upload
deletes its temporary file. Read URLs are signed with HMAC-SHA256 and checked by
`verify_read_url`, since a plain directory has no server of its own to enforce expiry.

A file has no content type, so `put` keeps it in a hidden sidecar beside the object::

    <root>/docs/report                  the object's bytes
    <root>/docs/.content-type-report    "application/pdf"
    <root>/docs/.partial-k3j2…          an upload (object or sidecar) still being written

The sidecar is complete and renamed into place before the object is, so a new object is
never visible without its type; it is removed with the object, and an object stored
without a type loses any old sidecar. Hidden names are neither listed nor addressable
by a key. Objects without a sidecar fall back to a type guessed from the key.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import hashlib
import hmac
import json
import mimetypes
import os
import secrets
import stat as stat_module
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

from provena.storage.errors import InvalidKeyError, ObjectNotFoundError, StorageConfigError
from provena.storage.objectstore import (
    ByteSource,
    ObjectInfo,
    check_key,
    check_range,
    limit_size,
)

__all__ = ["LocalObjectStore"]

_READ_SIZE = 1024 * 1024
_TEMP_PREFIX = ".partial-"
_TYPE_PREFIX = ".content-type-"
_HIDDEN = (_TEMP_PREFIX, _TYPE_PREFIX)


class LocalObjectStore:
    """An `ObjectStore` on a local directory."""

    def __init__(
        self,
        root: Path,
        *,
        max_size: int | None = None,
        url_base: str = "http://127.0.0.1:8000/storage",
        url_secret: bytes | None = None,
    ) -> None:
        self._root = root.resolve()
        self._max_size = max_size
        self._url_base = url_base.rstrip("/")
        self._secret = url_secret or secrets.token_bytes(32)
        if len(self._secret) < 16:
            raise StorageConfigError("the read URL secret must be at least 16 bytes")

    def _path(self, key: str) -> Path:
        path = (self._root / check_key(key)).resolve()
        if not path.is_relative_to(self._root):
            raise InvalidKeyError(f"object key {key!r} escapes the store")
        if any(part.startswith(_HIDDEN) for part in path.relative_to(self._root).parts):
            raise InvalidKeyError(f"object key {key!r} names one of the store's own files")
        return path

    @staticmethod
    def _type_path(path: Path) -> Path:
        return path.with_name(_TYPE_PREFIX + path.name)

    async def put(
        self, key: str, source: ByteSource, *, content_type: str | None = None
    ) -> ObjectInfo:
        path = self._path(key)
        await asyncio.to_thread(path.parent.mkdir, parents=True, exist_ok=True)
        temps: list[str] = []
        digest = hashlib.md5(usedforsecurity=False)
        try:
            fd, temp = await asyncio.to_thread(self._temp, path, temps)
            with os.fdopen(fd, "wb") as out:
                async for piece in limit_size(source, key, self._max_size):
                    digest.update(piece)
                    await asyncio.to_thread(out.write, piece)
            await asyncio.to_thread(self._set_type, path, content_type, temps)
            await asyncio.to_thread(os.replace, temp, path)
        except BaseException:
            for name in temps:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(name)
            raise
        return await self._info(key, path, etag=digest.hexdigest(), content_type=content_type)

    @staticmethod
    def _temp(path: Path, temps: builtins.list[str]) -> tuple[int, str]:
        """A new hidden file beside `path`, noted in `temps` for cleanup."""
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=_TEMP_PREFIX)
        temps.append(temp)
        return fd, temp

    def _set_type(self, path: Path, content_type: str | None, temps: builtins.list[str]) -> None:
        """Put the sidecar of the object about to be renamed to `path` in place (or remove it)."""
        if content_type is None:
            self._type_path(path).unlink(missing_ok=True)
            return
        fd, temp = self._temp(path, temps)
        with os.fdopen(fd, "wb") as out:
            out.write(content_type.encode())
        os.replace(temp, self._type_path(path))

    def _read_type(self, path: Path) -> str | None:
        try:
            return self._type_path(path).read_text()
        except FileNotFoundError:
            return None

    async def get(
        self, key: str, *, start: int = 0, end: int | None = None
    ) -> AsyncIterator[bytes]:
        path = self._path(key)
        check_range(start, end)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFoundError(key) from exc
        with handle:
            size = os.fstat(handle.fileno()).st_size
            check_range(start, end, size)
            remaining = (size if end is None else min(end, size)) - start
            handle.seek(start)
            while remaining > 0:
                piece = await asyncio.to_thread(handle.read, min(_READ_SIZE, remaining))
                if not piece:
                    break
                remaining -= len(piece)
                yield piece

    async def head(self, key: str) -> ObjectInfo:
        path = self._path(key)
        content_type = await asyncio.to_thread(self._read_type, path)
        return await self._info(key, path, content_type=content_type)

    async def _info(
        self, key: str, path: Path, *, etag: str | None = None, content_type: str | None = None
    ) -> ObjectInfo:
        try:
            stat = await asyncio.to_thread(path.stat)
        except (FileNotFoundError, NotADirectoryError) as exc:
            raise ObjectNotFoundError(key) from exc
        if not stat_module.S_ISREG(stat.st_mode):
            raise ObjectNotFoundError(key)
        return ObjectInfo(
            key=key,
            size=stat.st_size,
            etag=etag or f"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}",
            content_type=content_type or mimetypes.guess_type(key)[0],
            last_modified=datetime.fromtimestamp(stat.st_mtime, UTC),
        )

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(path.unlink, missing_ok=True)
        await asyncio.to_thread(self._type_path(path).unlink, missing_ok=True)

    async def list(self, prefix: str = "") -> AsyncIterator[ObjectInfo]:
        keys = await asyncio.to_thread(self._keys, prefix)
        for key in keys:
            try:
                yield await self.head(key)
            except ObjectNotFoundError:
                continue  # deleted between the listing and now

    def _keys(self, prefix: str) -> builtins.list[str]:
        keys = []
        for folder, _dirs, files in os.walk(self._root):
            base = Path(folder).relative_to(self._root).as_posix()
            for name in files:
                key = name if base == "." else f"{base}/{name}"
                if not name.startswith(_HIDDEN) and key.startswith(prefix):
                    keys.append(key)
        return sorted(keys)

    async def read_url(
        self,
        key: str,
        *,
        expires_in: timedelta,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        """The URL names the response headers as S3's presigned URLs do, and signs them with
        the key and the expiry, so a holder cannot change how the object is served."""
        await self.head(key)
        expires = int(time.time() + expires_in.total_seconds())
        query = {"expires": str(expires)}
        if content_type is not None:
            query["response-content-type"] = content_type
        if content_disposition is not None:
            query["response-content-disposition"] = content_disposition
        query["signature"] = self._sign(key, expires, content_type, content_disposition)
        return f"{self._url_base}/{quote(key)}?{urlencode(query, quote_via=quote)}"

    def verify_read_url(
        self,
        key: str,
        expires: int,
        signature: str,
        *,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> bool:
        """Whether a read URL's signature is genuine and it has not expired."""
        expected = self._sign(key, expires, content_type, content_disposition)
        return hmac.compare_digest(expected, signature) and time.time() < expires

    def _sign(
        self,
        key: str,
        expires: int,
        content_type: str | None = None,
        content_disposition: str | None = None,
    ) -> str:
        # A JSON array keeps the fields apart, and an absent override (null) apart from "".
        message = json.dumps([key, expires, content_type, content_disposition]).encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    async def aclose(self) -> None:
        return None
