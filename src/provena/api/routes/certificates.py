"""Certificate writes: issue, attach a document, suspend, reinstate, revoke."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from provena.api.deps import SessionDep
from provena.api.writes import WRITE_RESPONSES, WriteAnswer, WriterDep
from provena.certification import commands

router = APIRouter(prefix="/api/v1/certificates", tags=["certificates"])


@router.post(
    "",
    status_code=202,
    summary="Issue a certificate (certifiers of an accredited body)",
    responses=WRITE_RESPONSES,
)
async def issue_certificate(
    body: commands.IssueCertificate, session: SessionDep, writer: WriterDep
) -> WriteAnswer:
    documents = await commands.document_refs(session, body.documents)
    return await writer.send(commands.issue(body, documents))


@router.post(
    "/{id}/documents",
    status_code=202,
    summary="Attach an uploaded document to a certificate (its issuer)",
    responses=WRITE_RESPONSES,
)
async def attach_certificate_document(
    id: str, body: commands.AttachDocument, session: SessionDep, writer: WriterDep
) -> WriteAnswer:
    (document,) = await commands.document_refs(session, [body.cid])
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
