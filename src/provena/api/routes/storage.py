"""Time-limited read URLs of the local object store (OCI and S3 serve their own)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import StreamingResponse

from provena.storage import LocalObjectStore, ObjectNotFoundError

__all__ = ["storage_router"]


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
            raise HTTPException(403, "the read URL is invalid or has expired")
        try:
            info = await store.head(key)
        except ObjectNotFoundError as exc:
            raise HTTPException(404, f"no object {key}") from exc
        headers = {"Content-Length": str(info.size), "Cache-Control": "private, no-store"}
        if disposition is not None:
            headers["Content-Disposition"] = disposition
        return StreamingResponse(
            store.get(key),
            media_type=content_type or info.content_type or "application/octet-stream",
            headers=headers,
        )

    return router
