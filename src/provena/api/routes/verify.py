"""Public verification, signed out: certificates (now or at an instant), shipments, files.

Short URLs for QR codes (`/v/c/{id}`, `/v/s/{id}`) answer JSON to clients that accept it
and redirect browsers to the web app's verify page. Every route here is rate limited per
client IP (`verify_rate_per_minute`, `verify_burst`): past the limit, 429 with Retry-After.
An uploaded file is hashed as it streams in and never stored.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from provena.api.deps import SessionDep, SettingsDep, StateDep
from provena.api.problems import Problem
from provena.api.ratelimit import spend_token
from provena.api.writes import LedgerDep
from provena.verification import (
    CertificateCache,
    InvalidQuery,
    anchors_of,
    check_cid,
    check_sha256,
    coalesced_versions,
    verify_certificate,
    verify_shipment,
)
from provena.verification.models import (
    CertificateVerification,
    FileVerification,
    ShipmentVerification,
)

__all__ = ["router", "short_router"]

_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem} for code in (400, 404, 413, 422, 429, 503)
}


async def _limited(request: Request, state: StateDep) -> None:
    """One token of the caller's bucket, or 429 with the seconds to wait."""
    spend_token(
        request,
        buckets="verify_buckets",
        key=request.client.host if request.client else "unknown",
        rate_per_minute=state.settings.verify_rate_per_minute,
        burst=state.settings.verify_burst,
        detail="too many verification requests",
    )


async def _certificates(request: Request, state: StateDep) -> CertificateCache:
    """The process's certificate cache (made on first use, like the rate limit's buckets)."""
    cache: CertificateCache | None = getattr(request.app.state, "verify_certificates", None)
    if cache is None:
        cache = CertificateCache(versions=coalesced_versions(state.database))
        request.app.state.verify_certificates = cache
    return cache


CacheDep = Annotated[CertificateCache, Depends(_certificates)]

router = APIRouter(
    prefix="/api/v1/verify",
    tags=["verify"],
    dependencies=[Depends(_limited)],
    responses=_RESPONSES,
)
short_router = APIRouter(tags=["verify"], dependencies=[Depends(_limited)], responses=_RESPONSES)

AtQuery = Annotated[
    datetime | None,
    Query(description="An RFC 3339 instant (with its offset); default now"),
]


def _instant(at: datetime | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    if at.tzinfo is None:
        raise InvalidQuery("at must carry its UTC offset (RFC 3339)")
    return at.astimezone(UTC)


@router.get("/certificates/{id}", summary="Does this certificate hold, now or at an instant?")
async def verify_certificate_by_id(
    id: str, session: SessionDep, ledger: LedgerDep, cache: CacheDep, at: AtQuery = None
) -> CertificateVerification:
    return await verify_certificate(session, ledger.reads, id, _instant(at), cache=cache)


@router.get("/shipments/{id}", summary="A shipment's custody chain and checkpoints")
async def verify_shipment_by_id(
    id: str, session: SessionDep, ledger: LedgerDep
) -> ShipmentVerification:
    return await verify_shipment(session, ledger.reads, id)


@router.get("/files", summary="Which records anchor the file with this SHA-256 or CID?")
async def verify_file_by_hash(
    request: Request,
    session: SessionDep,
    sha256: str | None = Query(default=None, max_length=64),
    cid: str | None = Query(default=None, max_length=128),
) -> FileVerification:
    if sha256 is None and cid is None:
        raise InvalidQuery("name the file by sha256 or cid, or upload it")
    sha = check_sha256(sha256) if sha256 is not None else None
    content = check_cid(cid) if cid is not None else None
    anchors = await anchors_of(session, sha256=sha, cid=content, verify_base=_verify_base(request))
    return FileVerification(sha256=sha, cid=content, anchored=bool(anchors), anchors=anchors)


@router.post(
    "/files",
    summary="Upload a file (raw body, or the first part of a multipart form) to find what "
    "anchors it; the file is hashed as it arrives and not kept",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                },
            }
        }
    },
)
async def verify_file_upload(
    request: Request, session: SessionDep, settings: SettingsDep
) -> FileVerification:
    sha, size = await _hash_body(request, settings.storage_max_object_size)
    anchors = await anchors_of(session, sha256=sha, cid=None, verify_base=_verify_base(request))
    return FileVerification(
        sha256=sha, cid=None, size=size, anchored=bool(anchors), anchors=anchors
    )


def _verify_base(request: Request) -> str:
    return str(request.url_for("verify_certificate_by_id", id="x").path).rsplit("/", 2)[0]


async def _hash_body(request: Request, limit: int) -> tuple[str, int]:
    """SHA-256 and size of the upload, streamed: the raw body, or a form's first part."""
    digest = hashlib.sha256()
    size = 0
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    parser = None
    if content_type == b"multipart/form-data":
        boundary = options.get(b"boundary")
        if not boundary:
            raise InvalidQuery("a multipart upload needs its boundary")
        part = 0

        def begin() -> None:
            nonlocal part
            part += 1

        def data(chunk: bytes, start: int, end: int) -> None:
            nonlocal size
            if part == 1:
                digest.update(chunk[start:end])
                size += end - start

        parser = MultipartParser(boundary, {"on_part_begin": begin, "on_part_data": data})
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit + 64 * 1024:
            raise HTTPException(413, f"the file is larger than {limit} bytes")
        if parser is None:
            digest.update(chunk)
            size += len(chunk)
        else:
            _parse(parser, chunk)
    if parser is not None:
        _parse(parser, None)
    return digest.hexdigest(), size


def _parse(parser: MultipartParser, chunk: bytes | None) -> None:
    """Feed `chunk` to the form's parser (None: the body has ended); a malformed form is a
    400."""
    try:
        if chunk is None:
            parser.finalize()
        else:
            parser.write(chunk)
    except MultipartParseError as exc:
        raise InvalidQuery(f"malformed multipart/form-data body: {exc}") from exc


def _wants_json(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


@short_router.get(
    "/v/c/{id}",
    summary="Short URL of a certificate (QR codes): JSON, or a redirect to the verify page",
    response_model=CertificateVerification,
    responses={303: {"description": "To the web app's verify page"}},
)
async def short_certificate(
    id: str,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    cache: CacheDep,
) -> Response:
    if not _wants_json(request):
        return RedirectResponse(f"{settings.base_url}/verify/certificates/{id}", 303)
    answer = await verify_certificate(session, ledger.reads, id, datetime.now(UTC), cache=cache)
    return Response(answer.model_dump_json(), media_type="application/json")


@short_router.get(
    "/v/s/{id}",
    summary="Short URL of a shipment (QR codes): JSON, or a redirect to the verify page",
    response_model=ShipmentVerification,
    responses={303: {"description": "To the web app's verify page"}},
)
async def short_shipment(
    id: str, request: Request, session: SessionDep, settings: SettingsDep, ledger: LedgerDep
) -> Response:
    if not _wants_json(request):
        return RedirectResponse(f"{settings.base_url}/verify/shipments/{id}", 303)
    answer = await verify_shipment(session, ledger.reads, id)
    return Response(answer.model_dump_json(), media_type="application/json")
