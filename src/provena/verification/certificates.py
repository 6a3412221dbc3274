"""Verifying a certificate at an instant: status from its status log, the issuer's
accreditation then, its documents and the ledger proof of its last change.

The projection keeps the certificate's latest state but not its status log; the feed row the
projection wrote for the same transaction carries the whole ledger record, so one query reads
both. Should that feed row be gone, the record is read from the ledger (`GetCertificate`).
Accreditations have no projection: the feed's `accreditation.*` rows carry each change with
its ledger time, so the accreditation in force at any instant is the last change before it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.model import Certificate as CertificateRecord
from provena.contracts.model import CertificateStatus
from provena.db import Certificate, FeedEvent, Organization
from provena.verification.errors import RecordNotFound
from provena.verification.models import (
    AccreditationView,
    CertificateVerification,
    DocumentView,
    IssuerView,
    StatusChangeView,
    SubjectView,
    Validity,
    public_proof,
)
from provena.verification.reader import LedgerReader

__all__ = ["accreditation_at", "status_at", "verify_certificate"]

_ACCREDITATION_KINDS = ("accreditation.granted", "accreditation.withdrawn")


def status_at(certificate: CertificateRecord, at: datetime) -> Validity:
    """The status in force at `at`: the last change at or before it, then the validity period."""
    changes = [change for change in certificate.status_log if change.at <= at]
    if not changes:
        return "NOT_ISSUED"
    status = changes[-1].status
    if status != CertificateStatus.ACTIVE:
        return "REVOKED" if status == CertificateStatus.REVOKED else "SUSPENDED"
    if at < certificate.valid_from:
        return "NOT_YET_VALID"
    if at >= certificate.valid_until:
        return "EXPIRED"
    return "ACTIVE"


async def accreditation_at(
    session: AsyncSession, msp_id: str, at: datetime
) -> AccreditationView | None:
    """The accreditation of `msp_id` in force at `at`, from the feed's accreditation changes."""
    return _in_force(await _accreditations(session, msp_id), at)


async def _accreditations(session: AsyncSession, msp_id: str) -> list[AccreditationView]:
    """Every accreditation change of `msp_id`, in feed order (one query for any instants)."""
    query = (
        select(FeedEvent.payload)
        .where(
            FeedEvent.kind.in_(_ACCREDITATION_KINDS),
            FeedEvent.payload["accreditation"]["msp_id"].as_string() == msp_id,
        )
        .order_by(FeedEvent.id)
    )
    return [
        AccreditationView(
            schemes=accreditation["schemes"],
            since=datetime.fromisoformat(accreditation["updated_at"]),
            tx_id=accreditation["tx_id"],
        )
        for accreditation in (payload["accreditation"] for payload in await session.scalars(query))
    ]


def _in_force(changes: list[AccreditationView], at: datetime) -> AccreditationView | None:
    """The last change (in feed order) that took effect at or before `at`."""
    found = None
    for change in changes:
        if change.since <= at:
            found = change
    return found


async def _record(
    session: AsyncSession, reader: LedgerReader, id: str
) -> tuple[Certificate, CertificateRecord, str | None]:
    query = (
        select(Certificate, FeedEvent.payload, Organization.name)
        .outerjoin(
            FeedEvent,
            and_(FeedEvent.tx_id == Certificate.tx_id, FeedEvent.kind.like("certificate.%")),
        )
        .outerjoin(Organization, Organization.msp_id == Certificate.issuer_msp_id)
        .where(Certificate.id == id)
    )
    row = (await session.execute(query)).first()
    if row is None:
        raise RecordNotFound(f"no certificate {id}")
    certificate, payload, issuer_name = row
    if payload is not None:
        record = CertificateRecord.model_validate(payload["certificate"])
    else:
        record = CertificateRecord.model_validate(
            await reader.evaluate("Certificates", "GetCertificate", id)
        )
    return certificate, record, issuer_name


async def verify_certificate(
    session: AsyncSession, reader: LedgerReader, id: str, at: datetime
) -> CertificateVerification:
    """Certificate `id` as a verifier sees it at `at`."""
    row, record, issuer_name = await _record(session, reader, id)
    status = status_at(record, at)
    accreditations = await _accreditations(session, record.issuer_msp)
    at_issue = _in_force(accreditations, record.issued_at)
    then = _in_force(accreditations, at)
    proof = await reader.proof(row.tx_id, row.block_number)
    return CertificateVerification(
        certificate_id=record.id,
        at=at,
        status=status,
        valid=status == "ACTIVE",
        scheme=record.scheme,
        subject=SubjectView(**record.subject.model_dump(mode="json")),
        scope=record.scope,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        issued_at=record.issued_at,
        current_status=record.status.value,
        status_log=[
            StatusChangeView(status=c.status.value, reason=c.reason, at=c.at, tx_id=c.tx_id)
            for c in record.status_log
        ],
        issuer=IssuerView(
            msp_id=record.issuer_msp,
            name=issuer_name,
            accredited_at_issue=at_issue is not None and record.scheme in at_issue.schemes,
            accredited_at=then is not None and record.scheme in then.schemes,
            accreditation_at=then,
        ),
        documents=[DocumentView(**d.model_dump(mode="json")) for d in record.documents],
        proof=public_proof(proof),
    )
