"""Time-limited read URLs of the local object store (OCI and S3 serve their own).

The app's origin serves these downloads, so every answer is inert as the gateway's are
(`Content-Security-Policy: sandbox`, `nosniff`; documents' URLs also name an attachment).
An object stored under its SHA-256 (`sha256/<hex>`, as documents are) is hashed before a
byte of it leaves: bytes that changed on disk get a 502 and a log line, never the body.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from provena.ipfs.sandbox import SANDBOX_HEADERS
from provena.storage import LocalObjectStore, ObjectNotFoundError

__all__ = ["storage_router"]

_BY_HASH = re.compile(r"^sha256/([0-9a-f]{64})$")
log = logging.getLogger(__name__)


def storage_router(store: LocalObjectStore) -> APIRouter:
    """`GET /storage/{key}?expires=…&signature=…`, as `LocalObjectStore.read_url` makes them."""
    router = APIRouter(tags=["storage"], include_in_schema=False)

    @router.get("/storage/{key:path}")
    async def read_object(
        key: str,
        expires: Annotated[int, Query()],
        signature: Annotated[str, Query()],
        content_type: Annotated[str | None, Query(alias="response-content-type")] = None,
        disposition: Annotated[str | None, Query(alias="response-content-disposition")] = None,
    ) -> StreamingResponse:
        signed = {"content_type": content_type, "content_disposition": disposition}
        if not store.verify_read_url(key, expires, signature, **signed):
            raise HTTPException(403, "the read URL is invalid or has expired", SANDBOX_HEADERS)
        try:
            info = await store.head(key)
            await _check_hash(store, key)
        except ObjectNotFoundError as exc:
            raise HTTPException(404, f"no object {key}", SANDBOX_HEADERS) from exc
        headers = {
            "Content-Length": str(info.size),
            "Cache-Control": "private, no-store",
            **SANDBOX_HEADERS,
        }
        if disposition is not None:
            headers["Content-Disposition"] = disposition
        return StreamingResponse(
            store.get(key),
            media_type=content_type or info.content_type or "application/octet-stream",
            headers=headers,
        )

    return router


async def _check_hash(store: LocalObjectStore, key: str) -> None:
    """Raise 502 if the object named by its SHA-256 no longer has that hash."""
    named = _BY_HASH.match(key)
    if named is None:
        return
    digest = hashlib.sha256()
    async for piece in store.get(key):
        digest.update(piece)
    if digest.hexdigest() != named.group(1):
        log.error("object %s is corrupt: its bytes hash to %s", key, digest.hexdigest())
        raise HTTPException(502, f"object {key} is corrupt", SANDBOX_HEADERS)
