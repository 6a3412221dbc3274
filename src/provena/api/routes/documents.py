"""Documents: upload bytes to get the `{cid, sha256, size, media_type, name}` to anchor.

An upload is bounded in size (`storage_max_object_size`: a larger Content-Length gets 413
before the body is read, a longer body 413 as it passes the limit), in time (its body must
keep coming, `upload_idle_timeout_seconds`, and end within `upload_timeout_seconds`, else
408) and in rate: each person may start `upload_rate_per_minute` uploads a minute, in bursts
of `upload_burst`, and gets 429 with Retry-After past that (counted in this process).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import BaseModel, Field

from provena.api.deps import StateDep, document_viewer, require_roles
from provena.api.problems import Problem
from provena.api.ratelimit import spend_token
from provena.db import Document
from provena.demo import Role
from provena.documents import DocumentTooLarge, InvalidDocument, Named, paced
from provena.documents.multipart import file_part, is_multipart
from provena.identity import Principal

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])
AnyRole = Annotated[Principal, Depends(require_roles(*Role))]


class DocumentPublic(BaseModel):
    cid: str
    sha256: str
    size: int
    media_type: str
    name: str | None = Field(
        description="The name the caller's organization gave it (an upload: the name given)"
    )
    cid_profile: str
    uploaded_at: datetime
    stores: list[str]


class DocumentsPublic(BaseModel):
    data: list[DocumentPublic]
    count: int


def _public(document: Document, name: str | None) -> DocumentPublic:
    return DocumentPublic(
        cid=document.cid,
        sha256=document.sha256,
        size=document.size,
        media_type=document.media_type,
        name=name,
        cid_profile=document.cid_profile,
        uploaded_at=document.uploaded_at,
        stores=[location.store for location in document.locations],
    )


_UPLOAD_BODY = {
    "required": True,
    "description": "The file: the raw bytes (with their Content-Type, any media type), or"
    " a form whose `file` part carries them with its filename and Content-Type.",
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
    },
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Upload a document (the request body is the file, raw or as a form)",
    responses={
        200: {"model": DocumentPublic, "description": "The same bytes were already stored"},
        400: {"model": Problem},
        401: {"model": Problem},
        408: {"model": Problem},
        413: {"model": Problem},
        429: {"model": Problem},
        503: {"model": Problem},
    },
    openapi_extra={"requestBody": _UPLOAD_BODY},
)
async def upload_document(
    request: Request,
    response: Response,
    principal: AnyRole,
    state: StateDep,
    name: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=255,
            description="The file's name (default: the form's filename; required for a raw body)",
        ),
    ] = None,
) -> DocumentPublic:
    settings = state.settings
    _spend_upload(request, principal, state)
    limit = settings.storage_max_object_size
    content_type = request.headers.get("content-type", "")
    source: AsyncIterator[bytes] = paced(
        request.stream(),
        idle=settings.upload_idle_timeout_seconds,
        total=settings.upload_timeout_seconds,
    )
    if is_multipart(content_type):
        part = await file_part(source, content_type, max_size=limit)
        name, content_type, source = name or part.filename, part.media_type, part.content
    else:
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise DocumentTooLarge(limit)
    if name is None:
        raise InvalidDocument("name the document: ?name=, or a form file part's filename")
    seen = await state.directory.record(principal)
    document, created = await state.documents.upload(
        source,
        name=name,
        media_type=content_type,
        uploaded_by=seen.user_id,
        msp_id=principal.msp_id,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return _public(document, name)


def _spend_upload(request: Request, principal: Principal, state: StateDep) -> None:
    """One upload of the caller's allowance, or 429 with the seconds to wait."""
    spend_token(
        request,
        buckets="upload_buckets",
        key=principal.subject,
        rate_per_minute=state.settings.upload_rate_per_minute,
        burst=state.settings.upload_burst,
        detail="too many uploads: try again later",
    )


@router.get(
    "",
    summary="The documents your organization uploaded (auditors: all), newest first",
    responses={401: {"model": Problem}},
)
async def list_documents(
    principal: AnyRole,
    state: StateDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1)] = 0,
) -> DocumentsPublic:
    viewer = await document_viewer(principal, state)
    documents = await state.documents.recent(viewer, limit=limit, offset=offset)
    return DocumentsPublic(data=[_named(d) for d in documents], count=len(documents))


def _named(named: Named) -> DocumentPublic:
    return _public(named.document, named.name)


@router.get(
    "/{cid}",
    summary="One document's record (404 unless your organization uploaded it)",
    responses={401: {"model": Problem}, 404: {"model": Problem}},
)
async def read_document(cid: str, principal: AnyRole, state: StateDep) -> DocumentPublic:
    return _named(await state.documents.get(cid, await document_viewer(principal, state)))


class DownloadUrl(BaseModel):
    url: str
    expires_in_seconds: int


@router.get(
    "/{cid}/url",
    summary="A time-limited download URL (object storage, pre-authenticated)",
    responses={401: {"model": Problem}, 404: {"model": Problem}},
)
async def document_url(
    cid: str,
    principal: AnyRole,
    state: StateDep,
    expires_in: Annotated[int, Query(ge=60, le=7 * 24 * 3600)] = 900,
) -> DownloadUrl:
    viewer = await document_viewer(principal, state)
    url = await state.documents.read_url(cid, viewer, expires_in=timedelta(seconds=expires_in))
    return DownloadUrl(url=url, expires_in_seconds=expires_in)
