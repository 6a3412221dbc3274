"""The trustless gateway: `GET`/`HEAD /ipfs/{cid}[/{path}]`, after the IPFS gateway specs.

    Accept / ?format=                  response
    application/vnd.ipld.raw / raw     the block named by the path, as stored
    application/vnd.ipld.car / car     the DAG (or, with dag-scope=block, one block) as CAR v1
    anything else                      the file's bytes: one Range (see `ranges`), sniffed type

Every block is verified against its CID before a byte of it is sent. Content addressed
by CID never changes, so responses carry a strong `ETag` and `immutable` caching, and a
matching `If-None-Match` gets 304. Every response, errors included, is sandboxed, and only
passive media types render inline (see `sandbox`), because the gateway may share its origin
with the web app. Errors are raised as `HTTPException`s so the API's problem-details handlers
render them: 400 for a bad CID, path or parameter, 404 for unknown content, 502 for a corrupt
block. A block that fails after the response has started aborts it: the connection closes
before the announced length (or the last chunk), so no client takes it for the whole file.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from fastapi.routing import APIRoute

from provena.ipfs.blockstore import Blockstore
from provena.ipfs.car import car_header, car_section, export_car
from provena.ipfs.cid import CID, parse_cid
from provena.ipfs.errors import BlockNotFoundError, CorruptBlockError, InvalidCidError, PathError
from provena.ipfs.exporter import cat, load_block, resolve, stat
from provena.ipfs.ranges import ByteRange, parse_range
from provena.ipfs.sandbox import SANDBOX_HEADERS, attachment, disposition_headers
from provena.ipfs.sniff import sniff_content_type

__all__ = ["CAR_MEDIA_TYPE", "RAW_MEDIA_TYPE", "gateway_router"]

RAW_MEDIA_TYPE = "application/vnd.ipld.raw"
CAR_MEDIA_TYPE = "application/vnd.ipld.car"
_CAR_RESPONSE_TYPE = f"{CAR_MEDIA_TYPE}; version=1; order=dfs; dups=n"
_IMMUTABLE = "public, max-age=29030400, immutable"
_SNIFF_BYTES = 512
_OTHER_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_BYTES = {"*/*": {"schema": {"type": "string", "format": "binary"}}}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The raw block, the CAR, or the file", "content": _BYTES},
    206: {"description": "One range of the file", "content": _BYTES},
    304: {"description": "Not modified: `If-None-Match` named this ETag"},
    400: {"description": "Not a CID, path or parameter this gateway reads", **_PROBLEM},
    404: {"description": "No such content here", **_PROBLEM},
    416: {"description": "The Range selects nothing of the file", **_PROBLEM},
    501: {"description": "A directory asked for as a file", **_PROBLEM},
    502: {"description": "A stored block does not match its CID", **_PROBLEM},
}

Format = Literal["raw", "car"]
T = TypeVar("T")
log = logging.getLogger(__name__)


class _SandboxedRoute(APIRoute):
    """A gateway route whose every answer carries `SANDBOX_HEADERS`, failures included."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def sandboxed(request: Request) -> Response:
            try:
                response = await handler(request)
            except HTTPException as exc:
                headers = {**(exc.headers or {}), **SANDBOX_HEADERS}
                raise HTTPException(exc.status_code, exc.detail, headers) from exc
            except RequestValidationError as exc:
                problems = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in exc.errors())
                raise HTTPException(400, problems, SANDBOX_HEADERS) from exc
            except Exception as exc:
                log.exception("%s failed", _described(request))
                raise HTTPException(500, "an unexpected error occurred", SANDBOX_HEADERS) from exc
            response.headers.update(SANDBOX_HEADERS)
            return response

        return sandboxed


def gateway_router(blockstore: Blockstore) -> APIRouter:
    """A router serving the content of `blockstore` under `/ipfs`."""
    router = APIRouter(prefix="/ipfs", tags=["ipfs"], route_class=_SandboxedRoute)

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
            "X-Ipfs-Path": quote(f"/ipfs/{cid}/{path}".rstrip("/")),
            "X-Ipfs-Roots": str(target),
            "Vary": "Accept",
            "ETag": _etag(target, wanted, dag_scope),
        }
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
        if wanted == "raw":
            headers["Content-Disposition"] = attachment(f"{target}.bin")
            block = await _guard(load_block(blockstore, target))
            return _whole(request, block, RAW_MEDIA_TYPE, headers)
        if wanted == "car":
            headers["Content-Disposition"] = attachment(f"{target}.car")
            if dag_scope == "block":
                block = await _guard(load_block(blockstore, target))
                section = car_header([target]) + car_section(target, block)
                return _whole(request, section, _CAR_RESPONSE_TYPE, headers)
            if request.method == "HEAD":
                await _guard(load_block(blockstore, target))
                return _bodiless(200, _CAR_RESPONSE_TYPE, headers)
            return await _stream(
                request, export_car(blockstore, target), _CAR_RESPONSE_TYPE, headers
            )
        return await _file_response(request, blockstore, target, path, headers)

    async def refuse_method() -> Response:
        raise HTTPException(405, "the gateway only answers GET and HEAD", {"Allow": "GET, HEAD"})

    for method in ("GET", "HEAD"):
        router.add_api_route(
            "/{cid}",
            get_content,
            methods=[method],
            summary=f"{method} content by CID: raw block, CAR or file",
            operation_id=f"{method.lower()}_ipfs_content",
            response_class=Response,
            responses=_RESPONSES,
        )
        router.add_api_route(
            "/{cid}/{path:path}", get_content, methods=[method], include_in_schema=False
        )
    for template in ("/{cid}", "/{cid}/{path:path}"):
        router.add_api_route(
            template, refuse_method, methods=_OTHER_METHODS, include_in_schema=False
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
    head = await _guard(_leading_bytes(blockstore, cid))
    name = path.rstrip("/").rsplit("/", 1)[-1] or None
    media_type = sniff_content_type(head, name)
    headers["Accept-Ranges"] = "bytes"
    headers |= disposition_headers(media_type, name or _default_name(cid, media_type))
    start, end, status = 0, entry.size, 200
    wanted = _requested_range(request, headers["ETag"])
    if wanted is not None:
        span = wanted.within(entry.size)
        if span is None:
            raise HTTPException(
                416,
                f"Range {request.headers['range']!r} selects nothing of the file's "
                f"{entry.size} bytes",
                {"Content-Range": f"bytes */{entry.size}"},
            )
        (start, end), status = span, 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{entry.size}"
    headers["Content-Length"] = str(end - start)
    if request.method == "HEAD":
        return _bodiless(status, media_type, headers)
    pieces = cat(blockstore, cid, offset=start, length=end - start)
    return await _stream(request, pieces, media_type, headers, status)


async def _leading_bytes(blockstore: Blockstore, cid: CID) -> bytes:
    return b"".join([piece async for piece in cat(blockstore, cid, length=_SNIFF_BYTES)])


def _requested_range(request: Request, etag: str) -> ByteRange | None:
    """The range to serve: none without a valid `Range`, or if `If-Range` names other content."""
    header = request.headers.get("range")
    if header is None or request.headers.get("if-range", etag) != etag:
        return None
    return parse_range(header)


def _default_name(cid: CID, media_type: str) -> str:
    """A download name for content reached by bare CID: the CID, with the type's extension."""
    extension = mimetypes.guess_extension(media_type.split(";", 1)[0].strip()) or ""
    return f"{cid}{extension}"


def _described(request: Request) -> str:
    """The request for a log line, its path percent-encoded so it cannot forge lines."""
    return f"{request.method} {quote(request.scope['path'])}"


def _etag(target: CID, wanted: Format | None, dag_scope: str) -> str:
    if wanted == "raw":
        return f'"{target}.raw"'
    if wanted == "car":
        return f'"{target}.car.{dag_scope}"'
    return f'"{target}"'


def _whole(request: Request, body: bytes, media_type: str, headers: dict[str, str]) -> Response:
    """`body` in one piece, or for HEAD only its headers and length."""
    headers["Content-Length"] = str(len(body))
    if request.method == "HEAD":
        return _bodiless(200, media_type, headers)
    return Response(body, media_type=media_type, headers=headers)


def _bodiless(status: int, media_type: str, headers: dict[str, str]) -> Response:
    """A HEAD answer: GET's headers, and a `Content-Length` only where GET would have one."""
    response = Response(status_code=status, media_type=media_type, headers=headers)
    if "Content-Length" not in headers:
        del response.headers["content-length"]
    return response


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


async def _guard(work: Awaitable[T]) -> T:
    try:
        return await work
    except PathError as exc:
        raise HTTPException(404, str(exc)) from exc
    except BlockNotFoundError as exc:
        raise HTTPException(404, f"no content for {exc.cid} here") from exc
    except CorruptBlockError as exc:
        log.error("refusing corrupt content: %s", exc)
        raise HTTPException(502, str(exc)) from exc
    except InvalidCidError as exc:
        raise HTTPException(400, str(exc)) from exc


async def _stream(
    request: Request,
    pieces: AsyncIterator[bytes],
    media_type: str,
    headers: dict[str, str],
    status: int = 200,
) -> Response:
    """Start streaming once the first piece is verified, so early errors still get a status.

    A later failure can no longer change the status, so it is logged with the request and
    re-raised: the server then drops the connection short of the body's announced end.
    """
    first = await _guard(anext(pieces, b""))

    async def body() -> AsyncIterator[bytes]:
        sent = len(first)
        yield first
        try:
            async for piece in pieces:
                yield piece
                sent += len(piece)
        except Exception as exc:
            log.error("aborting %s after %d bytes: %s", _described(request), sent, exc)
            raise

    return StreamingResponse(body(), status_code=status, media_type=media_type, headers=headers)
