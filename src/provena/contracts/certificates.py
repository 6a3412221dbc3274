"""Certificates: issued by accredited certifiers, suspended, reinstated or revoked by them.

ACTIVE ──Suspend──► SUSPENDED ──Reinstate──► ACTIVE
  │                     │
  └──────Revoke─────────┴──────► REVOKED (final)
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field

from provena.chaincode import Context, Contract, transaction
from provena.contracts.anchors import anchor, anchored_by
from provena.contracts.errors import AccessDenied, Conflict, NotFound
from provena.contracts.events import CertificateEvent
from provena.contracts.fields import Id, Text, Timestamp
from provena.contracts.ledger import Ledger
from provena.contracts.model import (
    Certificate,
    CertificateInput,
    CertificateStatus,
    DocumentRef,
    Model,
    StatusChange,
)
from provena.contracts.paging import PageOf, PageSize, page_of
from provena.contracts.registry import accreditation_of

__all__ = ["Anchor", "CertificateHistoryEntry", "CertificatesContract", "Verification", "load"]

CERTIFICATE = "provena.certificate"
BY_SUBJECT = "provena.cert~subject"
BY_ISSUER = "provena.cert~issuer"
BY_SCHEME = "provena.cert~scheme"
_INDEXES = {"subject": BY_SUBJECT, "issuer": BY_ISSUER, "scheme": BY_SCHEME}


class Validity(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"
    EXPIRED = "EXPIRED"
    NOT_YET_VALID = "NOT_YET_VALID"
    NOT_ISSUED = "NOT_ISSUED"


class Verification(Model):
    """A certificate's standing at one instant."""

    certificate_id: Id
    at: Timestamp
    status: Validity
    valid: bool
    certificate: Certificate


class Anchor(Model):
    kind: Literal["certificate", "shipment"]
    id: Id


class CertificateHistoryEntry(Model):
    tx_id: str
    timestamp: Timestamp
    certificate: Certificate


async def load(ledger: Ledger, id: str) -> Certificate:
    return await ledger.load(Certificate, CERTIFICATE, id, what="certificate")


class CertificatesContract(Contract):
    """Issuing, changing and verifying certificates."""

    name = "Certificates"

    @transaction
    async def IssueCertificate(self, ctx: Context, certificate: CertificateInput) -> Certificate:
        ledger = Ledger(ctx)
        caller = ledger.caller
        caller.require("certifier", what="issue certificates")
        accreditation = await accreditation_of(ledger, caller.msp_id)
        if accreditation is None or certificate.scheme not in accreditation.schemes:
            raise AccessDenied(f"{caller.msp_id} is not accredited for {certificate.scheme}")
        if await ledger.exists(CERTIFICATE, certificate.id):
            raise Conflict(f"certificate {certificate.id} already exists")
        now = ledger.now
        issued = Certificate(
            **certificate.model_dump(),
            issuer_msp=caller.msp_id,
            issuer_id=caller.id,
            issued_at=now,
            status=CertificateStatus.ACTIVE,
            status_log=[
                StatusChange(
                    status=CertificateStatus.ACTIVE, at=now, tx_id=ledger.tx_id, by=caller.id
                )
            ],
            updated_at=now,
            tx_id=ledger.tx_id,
        )
        await ledger.put(issued, CERTIFICATE, issued.id)
        await ledger.index(BY_SUBJECT, issued.subject.id, issued.id)
        await ledger.index(BY_ISSUER, issued.issuer_msp, issued.id)
        await ledger.index(BY_SCHEME, issued.scheme, issued.id)
        await anchor(ledger, issued.documents, "certificate", issued.id)
        ledger.emit("CertificateIssued", CertificateEvent(certificate=issued))
        return issued

    @transaction
    async def SuspendCertificate(self, ctx: Context, id: Id, reason: Text) -> Certificate:
        return await self._change(
            ctx, id, CertificateStatus.SUSPENDED, reason, {CertificateStatus.ACTIVE}
        )

    @transaction
    async def ReinstateCertificate(self, ctx: Context, id: Id, reason: Text) -> Certificate:
        return await self._change(
            ctx, id, CertificateStatus.ACTIVE, reason, {CertificateStatus.SUSPENDED}
        )

    @transaction
    async def RevokeCertificate(self, ctx: Context, id: Id, reason: Text) -> Certificate:
        allowed = {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}
        return await self._change(ctx, id, CertificateStatus.REVOKED, reason, allowed)

    @transaction
    async def AttachCertificateDocument(
        self, ctx: Context, id: Id, document: DocumentRef
    ) -> Certificate:
        ledger = Ledger(ctx)
        certificate = await self._as_issuer(ledger, id, "attach documents to")
        if certificate.status == CertificateStatus.REVOKED:
            raise Conflict(f"certificate {id} is revoked")
        if any(d.cid == document.cid for d in certificate.documents):
            raise Conflict(f"certificate {id} already holds {document.cid}")
        if len(certificate.documents) >= 20:
            raise Conflict(f"certificate {id} already holds 20 documents")
        updated = certificate.model_copy(
            update={
                "documents": [*certificate.documents, document],
                "updated_at": ledger.now,
                "tx_id": ledger.tx_id,
            }
        )
        await ledger.put(updated, CERTIFICATE, id)
        await anchor(ledger, [document], "certificate", id)
        ledger.emit("DocumentAttached", CertificateEvent(certificate=updated, document=document))
        return updated

    @transaction(evaluate=True)
    async def GetCertificate(self, ctx: Context, id: Id) -> Certificate:
        return await load(Ledger(ctx), id)

    @transaction(evaluate=True)
    async def VerifyCertificate(self, ctx: Context, id: Id, at: Timestamp) -> Verification:
        certificate = await load(Ledger(ctx), id)
        status = _status_at(certificate, at)
        return Verification(
            certificate_id=id,
            at=at,
            status=status,
            valid=status == Validity.ACTIVE,
            certificate=certificate,
        )

    @transaction(evaluate=True)
    async def FindByDocument(
        self, ctx: Context, cid_or_sha256: Annotated[str, Field(min_length=1, max_length=128)]
    ) -> list[Anchor]:
        found = await anchored_by(Ledger(ctx), cid_or_sha256)
        return [Anchor.model_validate({"kind": kind, "id": id}) for kind, id in found]

    @transaction(evaluate=True)
    async def ListCertificates(
        self,
        ctx: Context,
        by: Literal["subject", "issuer", "scheme"],
        value: Id,
        page_size: PageSize = 50,
        bookmark: Annotated[str, Field(max_length=512)] = "",
    ) -> PageOf[Certificate]:
        return await page_of(
            Ledger(ctx),
            Certificate,
            CERTIFICATE,
            _INDEXES[by],
            value,
            page_size=page_size,
            bookmark=bookmark,
        )

    @transaction(evaluate=True)
    async def GetCertificateHistory(self, ctx: Context, id: Id) -> list[CertificateHistoryEntry]:
        entries = await Ledger(ctx).history(CERTIFICATE, id)
        if not entries:
            raise NotFound(f"certificate {id}")
        return [
            CertificateHistoryEntry(
                tx_id=e.tx_id,
                timestamp=e.timestamp,
                certificate=Certificate.model_validate(e.value),
            )
            for e in entries
            if e.value is not None
        ]

    async def _as_issuer(self, ledger: Ledger, id: str, what: str) -> Certificate:
        certificate = await load(ledger, id)
        ledger.caller.require("certifier", msp_id=certificate.issuer_msp, what=f"{what} {id}")
        return certificate

    async def _change(
        self,
        ctx: Context,
        id: str,
        status: CertificateStatus,
        reason: str,
        allowed_from: set[CertificateStatus],
    ) -> Certificate:
        ledger = Ledger(ctx)
        certificate = await self._as_issuer(ledger, id, "change the status of")
        if certificate.status not in allowed_from:
            raise Conflict(f"certificate {id} is {certificate.status}; it cannot become {status}")
        change = StatusChange(
            status=status, reason=reason, at=ledger.now, tx_id=ledger.tx_id, by=ledger.caller.id
        )
        updated = certificate.model_copy(
            update={
                "status": status,
                "status_reason": reason,
                "status_log": [*certificate.status_log, change],
                "updated_at": ledger.now,
                "tx_id": ledger.tx_id,
            }
        )
        await ledger.put(updated, CERTIFICATE, id)
        name = {
            CertificateStatus.SUSPENDED: "CertificateSuspended",
            CertificateStatus.ACTIVE: "CertificateReinstated",
            CertificateStatus.REVOKED: "CertificateRevoked",
        }[status]
        ledger.emit(name, CertificateEvent(certificate=updated))
        return updated


def _status_at(certificate: Certificate, at: datetime) -> Validity:
    """The status in force at `at`: the last change made at or before it, then validity."""
    changes = [c for c in certificate.status_log if c.at <= at]
    if not changes:
        return Validity.NOT_ISSUED
    status = changes[-1].status
    if status != CertificateStatus.ACTIVE:
        return Validity(status.value)
    if at < certificate.valid_from:
        return Validity.NOT_YET_VALID
    if at >= certificate.valid_until:
        return Validity.EXPIRED
    return Validity.ACTIVE
