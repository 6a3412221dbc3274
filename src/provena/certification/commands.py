"""What people ask of the certification contracts, as ledger writes.

Requests name documents by CID (from an earlier upload by the same organization); the
commands resolve each to the `{cid, sha256, size, media_type, name}` the ledger anchors,
and check every input with the contracts' own models, so a request the contract would
refuse for its shape is refused here first, with the same rules.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from provena.contracts.model import CertificateInput, DocumentRef, Subject
from provena.documents import DocumentService, Viewer
from provena.transactions import Write

__all__ = [
    "AccreditCertifier",
    "AttachDocument",
    "BootstrapRegistry",
    "IssueCertificate",
    "StatusChange",
    "accredit",
    "attach_document",
    "bootstrap",
    "change_status",
    "document_refs",
    "issue",
    "withdraw",
]

Cids = Annotated[list[str], Field(max_length=20)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IssueCertificate(_Request):
    """A certificate to issue; documents by the CIDs of earlier uploads."""

    id: str = Field(examples=["CERT-2026-0042"])
    scheme: str = Field(examples=["EU-ORGANIC"])
    subject: Subject
    scope: str
    valid_from: datetime
    valid_until: datetime
    documents: Cids = []
    metadata_cid: str | None = None


class StatusChange(_Request):
    reason: str = Field(min_length=1, max_length=2000)


class AttachDocument(_Request):
    cid: str


class BootstrapRegistry(_Request):
    governance_msps: Annotated[list[str], Field(min_length=1, max_length=20)]


class AccreditCertifier(_Request):
    msp_id: str
    schemes: Annotated[list[str], Field(min_length=1, max_length=100)]


async def document_refs(
    documents: DocumentService, viewer: Viewer, cids: list[str]
) -> list[DocumentRef]:
    """The ledger references of documents the viewer's organization uploaded, in the order
    given, each under the name it has for that organization (DocumentNotFound otherwise)."""
    refs = []
    for cid in cids:
        named = await documents.get(cid, viewer)
        doc = named.document
        refs.append(
            DocumentRef(
                cid=doc.cid,
                sha256=doc.sha256,
                size=doc.size,
                media_type=doc.media_type,
                name=named.name or doc.name or doc.cid,
            )
        )
    return refs


def _json(model: BaseModel | list[str]) -> str:
    if isinstance(model, list):
        return json.dumps(model)
    return model.model_dump_json()


def issue(request: IssueCertificate, documents: list[DocumentRef]) -> Write:
    certificate = CertificateInput(**request.model_dump(exclude={"documents"}), documents=documents)
    return Write("Certificates", "IssueCertificate", (_json(certificate),), certificate.id)


_STATUS_FUNCTIONS = {
    "suspend": "SuspendCertificate",
    "reinstate": "ReinstateCertificate",
    "revoke": "RevokeCertificate",
}


def change_status(
    id: str, action: Literal["suspend", "reinstate", "revoke"], change: StatusChange
) -> Write:
    return Write("Certificates", _STATUS_FUNCTIONS[action], (id, change.reason), id)


def attach_document(id: str, document: DocumentRef) -> Write:
    return Write("Certificates", "AttachCertificateDocument", (id, _json(document)), id)


def bootstrap(request: BootstrapRegistry) -> Write:
    return Write("Registry", "Bootstrap", (_json(request.governance_msps),))


def accredit(request: AccreditCertifier) -> Write:
    return Write("Registry", "AccreditCertifier", (request.msp_id, _json(request.schemes)))


def withdraw(msp_id: str, scheme: str) -> Write:
    return Write("Registry", "WithdrawAccreditation", (msp_id, scheme))
