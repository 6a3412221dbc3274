"""Certificates: writes (issue, attach a document, suspend, reinstate, revoke) and reads
(the organization's list, and one certificate with its ledger proof and full history)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Request

from provena.api.deps import SessionDep, StateDep, ViewerDep
from provena.api.problems import Problem
from provena.api.reads import (
    READ_RESPONSES,
    CertificateDetail,
    CertificateSummary,
    Cursor,
    Limit,
    Page,
    decode_cursor,
    page_of,
)
from provena.api.writes import WRITE_RESPONSES, LedgerDep, WriteAnswer, WriterDep
from provena.certification import commands
from provena.certification.queries import CertificateFilter, get_certificate, list_certificates
from provena.db import CertificateStatus, SubjectKind
from provena.documents import InvalidDocument
from provena.documents.multipart import TextField, form_parts, is_multipart
from provena.verification import RecordNotFound, certificate_history
from provena.verification.models import DocumentView, signed_proof

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])


@router.post(
    "",
    status_code=202,
    summary="Issue a certificate (certifiers of an accredited body)",
    responses=WRITE_RESPONSES,
)
async def issue_certificate(
    body: commands.IssueCertificate, state: StateDep, viewer: ViewerDep, writer: WriterDep
) -> WriteAnswer:
    documents = await commands.document_refs(state.documents, viewer, body.documents)
    return await writer.send(commands.issue(body, documents))


_FORM_BODY = {
    "required": True,
    "description": "The certificate as JSON in the `certificate` field, and its documents as "
    "`file` parts (each stored like an upload, then anchored after those named by CID).",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "certificate": {"$ref": "#/components/schemas/IssueCertificate"},
                    "file": {"type": "array", "items": {"type": "string", "format": "binary"}},
                },
                "required": ["certificate"],
            },
            "encoding": {"certificate": {"contentType": "application/json"}},
        }
    },
}


@router.post(
    "/form",
    status_code=202,
    summary="Issue a certificate with its documents uploaded in the same request",
    responses={**WRITE_RESPONSES, 413: {"model": Problem}},
    openapi_extra={"requestBody": _FORM_BODY},
)
async def issue_certificate_with_documents(
    request: Request, state: StateDep, viewer: ViewerDep, writer: WriterDep
) -> WriteAnswer:
    content_type = request.headers.get("content-type", "")
    if not is_multipart(content_type):
        raise InvalidDocument("send multipart/form-data: a `certificate` field and `file` parts")
    certificate: str | None = None
    uploaded: list[str] = []
    limit = state.settings.storage_max_object_size
    async for part in form_parts(request.stream(), content_type, max_size=limit):
        if isinstance(part, TextField):
            if part.field == "certificate":
                certificate = part.value
            continue
        document, _ = await state.documents.upload(
            part.content,
            name=part.filename or "document",
            media_type=part.media_type,
            uploaded_by=viewer.user_id,
            msp_id=viewer.msp_id,
        )
        uploaded.append(document.cid)
    if certificate is None:
        raise InvalidDocument("the form has no `certificate` field")
    body = commands.IssueCertificate.model_validate_json(certificate)
    cids = list(dict.fromkeys([*body.documents, *uploaded]))
    documents = await commands.document_refs(state.documents, viewer, cids)
    return await writer.send(commands.issue(body, documents))


@router.post(
    "/{id}/documents",
    status_code=202,
    summary="Attach an uploaded document to a certificate (its issuer)",
    responses=WRITE_RESPONSES,
)
async def attach_certificate_document(
    id: str, body: commands.AttachDocument, state: StateDep, viewer: ViewerDep, writer: WriterDep
) -> WriteAnswer:
    (document,) = await commands.document_refs(state.documents, viewer, [body.cid])
    return await writer.send(commands.attach_document(id, document))


@router.post(
    "/{id}/{action}",
    status_code=202,
    summary="Suspend, reinstate or revoke a certificate (its issuer)",
    responses=WRITE_RESPONSES,
)
async def change_certificate_status(
    id: str,
    action: Literal["suspend", "reinstate", "revoke"],
    body: commands.StatusChange,
    writer: WriterDep,
) -> WriteAnswer:
    return await writer.send(commands.change_status(id, action, body))


@router.get(
    "",
    summary="Certificates your organization issued or holds (auditors: all), newest first",
    responses=READ_RESPONSES,
)
async def list_certificates_page(
    session: SessionDep,
    viewer: ViewerDep,
    status: CertificateStatus | None = None,
    scheme: str | None = Query(default=None, max_length=128),
    issuer: str | None = Query(default=None, max_length=64, description="The issuer's MSP id"),
    subject_kind: SubjectKind | None = None,
    subject_id: str | None = Query(default=None, max_length=255),
    q: str | None = Query(
        default=None, max_length=200, description="Text in the subject's name or id, or the scope"
    ),
    expiring_before: datetime | None = Query(default=None, description="valid_until before this"),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[CertificateSummary]:
    filters = CertificateFilter(
        status=status,
        scheme=scheme,
        issuer=issuer,
        subject_kind=subject_kind,
        subject_id=subject_id,
        q=q,
        expiring_before=expiring_before,
    )
    rows = await list_certificates(
        session, viewer, filters, after=decode_cursor(cursor), limit=limit + 1
    )
    return page_of(rows, limit, lambda r: (r.issued_at, r.id), CertificateSummary.of)


@router.get(
    "/{id}",
    summary="One certificate: documents, ledger proof and every transaction that changed it",
    responses=READ_RESPONSES,
)
async def read_certificate(
    id: str, session: SessionDep, viewer: ViewerDep, ledger: LedgerDep
) -> CertificateDetail:
    row = await get_certificate(session, viewer, id)
    if row is None:
        raise RecordNotFound(f"no certificate {id} that you may see")
    proof = await ledger.reads.proof(row.tx_id, row.block_number)
    return CertificateDetail(
        **CertificateSummary.of(row).model_dump(),
        metadata_cid=row.metadata_cid,
        documents=[DocumentView.model_validate(d, from_attributes=True) for d in row.documents],
        proof=signed_proof(proof),
        history=await certificate_history(ledger.reads, id),
    )
