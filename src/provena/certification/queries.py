"""Reading certificates from the projection: filtered, searched and paged newest first.

Who sees what: a certificate concerns its issuer and its subject's organization, so each of
them lists it and reads it; auditors see every certificate. Anyone may still *verify* a
certificate by id (`provena.verification`): that answer is the public fact, this one is the
organization's working view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from provena.db import Certificate, CertificateStatus, SubjectKind
from provena.db.pages import contains_any, newest_first
from provena.documents import Viewer

__all__ = ["CertificateFilter", "expiring_between", "get_certificate", "list_certificates"]


@dataclass(frozen=True, slots=True)
class CertificateFilter:
    status: CertificateStatus | None = None
    scheme: str | None = None
    issuer: str | None = None
    subject_kind: SubjectKind | None = None
    subject_id: str | None = None
    q: str | None = None
    """Text searched in the subject's name and id and in the scope."""
    expiring_before: datetime | None = None


def _visible(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_all:
        return true()
    if viewer.msp_id is None:
        return Certificate.id.is_(None)  # nobody's certificate
    return or_(
        Certificate.issuer_msp_id == viewer.msp_id, Certificate.subject_msp_id == viewer.msp_id
    )


def _filtered(query: Select[Certificate], f: CertificateFilter) -> Select[Certificate]:
    if f.status is not None:
        query = query.where(Certificate.status == f.status)
    if f.scheme is not None:
        query = query.where(Certificate.scheme == f.scheme)
    if f.issuer is not None:
        query = query.where(Certificate.issuer_msp_id == f.issuer)
    if f.subject_kind is not None:
        query = query.where(Certificate.subject_kind == f.subject_kind)
    if f.subject_id is not None:
        query = query.where(Certificate.subject_id == f.subject_id)
    if f.expiring_before is not None:
        query = query.where(Certificate.valid_until < f.expiring_before)
    if f.q:
        query = query.where(
            contains_any(f.q, Certificate.subject_name, Certificate.subject_id, Certificate.scope)
        )
    return query


async def list_certificates(
    session: AsyncSession,
    viewer: Viewer,
    filters: CertificateFilter,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Certificate]:
    """Up to `limit` certificates newest first (issued_at, then id), after the keyset `after`."""
    query = _filtered(select(Certificate).where(_visible(viewer)), filters)
    page = newest_first(query, Certificate.issued_at, Certificate.id, after=after, limit=limit)
    return list((await session.scalars(page)).all())


async def get_certificate(session: AsyncSession, viewer: Viewer, id: str) -> Certificate | None:
    """The certificate with its documents, if `viewer` may see it."""
    query = (
        select(Certificate)
        .where(Certificate.id == id, _visible(viewer))
        .options(selectinload(Certificate.documents))
    )
    return (await session.scalars(query)).one_or_none()


async def expiring_between(
    session: AsyncSession, start: datetime, end: datetime
) -> list[Certificate]:
    """Every certificate not revoked whose validity ends in [`start`, `end`), soonest first.

    Expiry is not a status change on the ledger: a certificate is EXPIRED at any instant at
    or after its `valid_until` (the contract's `VerifyCertificate` decides so), so this reads
    the projection's `valid_until` and writes nothing."""
    query = (
        select(Certificate)
        .where(
            Certificate.status != CertificateStatus.REVOKED,
            Certificate.valid_until >= start,
            Certificate.valid_until < end,
        )
        .order_by(Certificate.valid_until, Certificate.id)
    )
    return list((await session.scalars(query)).all())
