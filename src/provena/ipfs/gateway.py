"""The trustless gateway: `GET`/`HEAD /ipfs/{cid}[/{path}]`, after the IPFS gateway specs.

    Accept / ?format=                  response
    application/vnd.ipld.raw / raw     the block named by the path, as stored
    application/vnd.ipld.car / car     the DAG (or, with dag-scope=block, one block) as CAR v1
    anything else                      the file's bytes: Range, sniffed Content-Type

Every block is verified against its CID before a byte of it is sent. Content addressed
by CID never changes, so responses carry a strong `ETag` and `immutable` caching, and a
matching `If-None-Match` gets 304. Errors are raised as `HTTPException`s so the API's
problem-details handlers render them: 400 for a bad CID or path, 404 for unknown content.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.car import car_header, car_section, export_car
from provena.ipfs.cid import CID, parse_cid
from provena.ipfs.errors import BlockNotFoundError, CorruptBlockError, InvalidCidError, PathError
from provena.ipfs.exporter import cat, load_block, resolve, stat
from provena.ipfs.sniff import sniff_content_type

__all__ = ["CAR_MEDIA_TYPE", "RAW_MEDIA_TYPE", "gateway_router"]

RAW_MEDIA_TYPE = "application/vnd.ipld.raw"
CAR_MEDIA_TYPE = "application/vnd.ipld.car"
_IMMUTABLE = "public, max-age=29030400, immutable"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")

Format = Literal["raw", "car"]
T = TypeVar("T")


def gateway_router(blockstore: Blockstore) -> APIRouter:
    """A router serving the content of `blockstore` under `/ipfs`."""
    router = APIRouter(prefix="/ipfs", tags=["ipfs"])

    async def get_content(
        request: Request,
        cid: str,
        path: str = "",
        format: Annotated[Format | None, Query()] = None,
        dag_scope: Annotated[Literal["all", "entity", "block"], Query(alias="dag-scope")] = "all",
    ) -> Response:
        root = _parse(cid)
        target = await _resolve(blockstore, root, path)
        wanted = format or _from_accept(request.headers.get("accept", ""))
        headers = {
            "Cache-Control": _IMMUTABLE,
            "X-Ipfs-Path": f"/ipfs/{cid}/{path}".rstrip("/"),
            "X-Ipfs-Roots": str(target),
            "X-Content-Type-Options": "nosniff",
            "Vary": "Accept",
        }
        if wanted == "raw":
            headers["ETag"] = f'"{target}.raw"'
        elif wanted == "car":
            headers["ETag"] = f'"{target}.car.{dag_scope}"'
        else:
            headers["ETag"] = f'"{target}"'
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        head_only = request.method == "HEAD"
        if wanted == "raw":
            block = await _guard(load_block(blockstore, target))
            headers["Content-Disposition"] = f'attachment; filename="{target}.bin"'
            body = b"" if head_only else block
            return Response(body, media_type=RAW_MEDIA_TYPE, headers=headers | _length(len(block)))
        if wanted == "car":
            headers["Content-Disposition"] = f'attachment; filename="{target}.car"'
            media = f"{CAR_MEDIA_TYPE}; version=1; order=dfs; dups=n"
            if head_only:
                return Response(media_type=media, headers=headers)
            if dag_scope == "block":
                block = await _guard(load_block(blockstore, target))
                section = car_header([target]) + car_section(target, block)
                return Response(section, media_type=media, headers=headers)
            return await _stream(export_car(blockstore, target), media, headers)
        return await _file_response(request, blockstore, target, path, headers)

    for method in ("GET", "HEAD"):
        router.add_api_route(
            "/{cid}",
            get_content,
            methods=[method],
            summary=f"{method} content by CID: raw block, CAR or file",
            operation_id=f"{method.lower()}_ipfs_content",
        )
        router.add_api_route(
            "/{cid}/{path:path}", get_content, methods=[method], include_in_schema=False
        )
    return router


async def _file_response(
    request: Request, blockstore: Blockstore, cid: CID, path: str, headers: dict[str, str]
) -> Response:
    entry = await _guard(stat(blockstore, cid))
    if entry.kind == "directory":
        raise HTTPException(
            501, f"{cid} is a directory; request it with ?format=car or a path to a file"
        )
    head = b"".join([piece async for piece in _guard_stream(cat(blockstore, cid, length=512))])
    headers["Accept-Ranges"] = "bytes"
    media_type = sniff_content_type(head, path.rsplit("/", 1)[-1] or None)
    start, end, status = 0, entry.size, 200
    range_header = request.headers.get("range")
    if range_header is not None:
        start, end = _parse_range(range_header, entry.size)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{entry.size}"
    headers |= _length(end - start)
    if request.method == "HEAD":
        return Response(status_code=status, media_type=media_type, headers=headers)
    return await _stream(
        cat(blockstore, cid, offset=start, length=end - start), media_type, headers, status
    )


def _length(size: int) -> dict[str, str]:
    return {"Content-Length": str(size)}


def _parse(text: str) -> CID:
    try:
        return parse_cid(text)
    except InvalidCidError as exc:
        raise HTTPException(400, str(exc)) from exc


async def _resolve(blockstore: Blockstore, root: CID, path: str) -> CID:
    if not path.strip("/"):
        return root
    return await _guard(resolve(blockstore, root, path))


def _from_accept(accept: str) -> Format | None:
    for part in accept.split(","):
        media = part.split(";", 1)[0].strip().lower()
        if media == RAW_MEDIA_TYPE:
            return "raw"
        if media == CAR_MEDIA_TYPE:
            return "car"
    return None


def _parse_range(header: str, size: int) -> tuple[int, int]:
    match = _RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        raise HTTPException(
            416, f"unsupported Range {header!r}", {"Content-Range": f"bytes */{size}"}
        )
    first, last = match.groups()
    if first == "":
        start, end = max(0, size - int(last)), size
    else:
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
    if start >= size or end <= start:
        raise HTTPException(
            416,
            f"Range {header!r} is outside the file's {size} bytes",
            {"Content-Range": f"bytes */{size}"},
        )
    return start, end


async def _guard(work: Awaitable[T]) -> T:
    try:
        return await work
    except PathError as exc:
        raise HTTPException(404, str(exc)) from exc
    except BlockNotFoundError as exc:
        raise HTTPException(404, f"no content for {exc.cid} here") from exc
    except CorruptBlockError as exc:
        raise HTTPException(502, str(exc)) from exc
    except InvalidCidError as exc:
        raise HTTPException(400, str(exc)) from exc


async def _guard_stream(pieces: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    while True:
        piece = await _guard(anext(pieces, None))
        if piece is None:
            return
        yield piece


async def _stream(
    pieces: AsyncIterator[bytes], media_type: str, headers: dict[str, str], status: int = 200
) -> Response:
    """Start streaming once the first piece is verified, so early errors still get a status."""
    guarded = _guard_stream(pieces)
    first = await anext(guarded, b"")

    async def body() -> AsyncIterator[bytes]:
        yield first
        async for piece in guarded:
            yield piece

    return StreamingResponse(body(), status_code=status, media_type=media_type, headers=headers)
