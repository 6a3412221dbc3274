"""Verifying a certificate at an instant: status from its status log, the issuer's
accreditation then, its documents and the ledger proof of its last change.

The projection keeps the certificate's latest state but not its status log; the feed row the
projection wrote for the same transaction carries the whole ledger record, so one query reads
both. Should that feed row be gone, the record is read from the ledger (`GetCertificate`).
Accreditations have no projection: the feed's `accreditation.*` rows carry each change with
its ledger time, so the accreditation in force at any instant is the last change before it.

All of that is read again only when the certificate's transaction, its issuer's name or the
newest accreditation change differ from what a `CertificateCache` kept (one small query,
which concurrent verifications share when the cache has `coalesced_versions`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.model import Certificate as CertificateRecord
from provena.contracts.model import CertificateStatus
from provena.db import Certificate, Database, FeedEvent, Organization
from provena.verification.cache import CachedCertificate, CertificateCache, CertificateVersion
from provena.verification.coalesce import CoalescedReads
from provena.verification.errors import RecordNotFound
from provena.verification.models import (
    AccreditationView,
    CertificateVerification,
    DocumentView,
    IssuerView,
    PublicProof,
    StatusChangeView,
    SubjectView,
    Validity,
    public_proof,
)
from provena.verification.reader import LedgerReader

__all__ = [
    "accreditation_at",
    "certificate_versions",
    "coalesced_versions",
    "status_at",
    "verify_certificate",
]

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
) -> tuple[Certificate, CertificateRecord]:
    query = (
        select(Certificate, FeedEvent.payload)
        .outerjoin(
            FeedEvent,
            and_(FeedEvent.tx_id == Certificate.tx_id, FeedEvent.kind.like("certificate.%")),
        )
        .where(Certificate.id == id)
    )
    row = (await session.execute(query)).first()
    if row is None:
        raise RecordNotFound(f"no certificate {id}")
    certificate, payload = row
    if payload is not None:
        record = CertificateRecord.model_validate(payload["certificate"])
    else:
        record = CertificateRecord.model_validate(
            await reader.evaluate("Certificates", "GetCertificate", id)
        )
    return certificate, record


async def certificate_versions(
    session: AsyncSession, ids: Collection[str]
) -> dict[str, CertificateVersion]:
    """The marks of certificates `ids` that tell whether a kept answer still holds (the
    certificates that exist; one query for all)."""
    newest_accreditation = (
        select(func.coalesce(func.max(FeedEvent.id), 0))
        .where(FeedEvent.kind.in_(_ACCREDITATION_KINDS))
        .scalar_subquery()
    )
    query = (
        select(
            Certificate.id,
            Certificate.tx_id,
            Certificate.block_number,
            Organization.name,
            newest_accreditation,
        )
        .outerjoin(Organization, Organization.msp_id == Certificate.issuer_msp_id)
        .where(Certificate.id.in_(list(ids)))
    )
    return {
        id: CertificateVersion(tx_id, block_number, issuer_name, int(seen))
        for id, tx_id, block_number, issuer_name, seen in await session.execute(query)
    }


def coalesced_versions(database: Database) -> CoalescedReads[str, CertificateVersion]:
    """Version reads for a `CertificateCache`: concurrent verifications share queries."""

    async def read(ids: list[str]) -> dict[str, CertificateVersion]:
        async with database.session() as session:
            return await certificate_versions(session, ids)

    return CoalescedReads(read)


async def _version(session: AsyncSession, id: str, cache: CertificateCache) -> CertificateVersion:
    if cache.versions is not None:
        version = await cache.versions.read(id)
    else:
        version = (await certificate_versions(session, [id])).get(id)
    if version is None:
        raise RecordNotFound(f"no certificate {id}")
    return version


async def _cached(
    session: AsyncSession, reader: LedgerReader, id: str, cache: CertificateCache
) -> tuple[CachedCertificate, list[AccreditationView]]:
    version = await _version(session, id, cache)
    entry = cache.certificate(id, version)
    if entry is None:
        row, record = await _record(session, reader, id)
        proof: PublicProof = public_proof(await reader.proof(row.tx_id, row.block_number))
        entry = CachedCertificate(
            version=version,
            record=record,
            subject=SubjectView(**record.subject.model_dump(mode="json")),
            status_log=[
                StatusChangeView(status=c.status.value, reason=c.reason, at=c.at, tx_id=c.tx_id)
                for c in record.status_log
            ],
            documents=[DocumentView(**d.model_dump(mode="json")) for d in record.documents],
            proof=proof,
        )
        cache.keep_certificate(id, entry)
    msp_id = entry.record.issuer_msp
    accreditations = cache.accreditations(msp_id, version.accreditations_seen)
    if accreditations is None:
        accreditations = await _accreditations(session, msp_id)
        cache.keep_accreditations(msp_id, version.accreditations_seen, accreditations)
    return entry, accreditations


async def verify_certificate(
    session: AsyncSession,
    reader: LedgerReader,
    id: str,
    at: datetime,
    *,
    cache: CertificateCache | None = None,
) -> CertificateVerification:
    """Certificate `id` as a verifier sees it at `at`; `cache` keeps what it read for the
    next request (without one, everything is read afresh)."""
    entry, accreditations = await _cached(session, reader, id, cache or CertificateCache())
    record = entry.record
    status = status_at(record, at)
    at_issue = _in_force(accreditations, record.issued_at)
    then = _in_force(accreditations, at)
    return CertificateVerification(
        certificate_id=record.id,
        at=at,
        status=status,
        valid=status == "ACTIVE",
        scheme=record.scheme,
        subject=entry.subject,
        scope=record.scope,
        valid_from=record.valid_from,
        valid_until=record.valid_until,
        issued_at=record.issued_at,
        current_status=record.status.value,
        status_log=entry.status_log,
        issuer=IssuerView(
            msp_id=record.issuer_msp,
            name=entry.version.issuer_name,
            accredited_at_issue=at_issue is not None and record.scheme in at_issue.schemes,
            accredited_at=then is not None and record.scheme in then.schemes,
            accreditation_at=then,
        ),
        documents=entry.documents,
        proof=entry.proof,
    )
