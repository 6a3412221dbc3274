"""Administration reads: who governs the registry, the accreditations, the people and their
ledger identities.

The governors are the admins of the organizations the registry was bootstrapped with; they
and auditors may read these pages, everyone else is refused (403). Writes to the registry
stay at `/api/v1/registry` and are checked by the chaincode itself.

Accreditations have no projection: the feed's `registry.*` and `accreditation.*` rows carry
each ledger change, in commit order, so a scheme's grant and withdrawal times are read there.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from provena import db
from provena.api.deps import CurrentPrincipal, SessionDep
from provena.api.problems import Problem
from provena.demo import Role
from provena.identity import PermissionDenied, Principal

router = APIRouter(prefix="/api/v1/admin", tags=["admin"])

_RESPONSES: dict[int | str, dict[str, Any]] = {code: {"model": Problem} for code in (401, 403)}
_ACCREDITATION_KINDS = ("accreditation.granted", "accreditation.withdrawn")


class AdminAccess(BaseModel):
    governance_msps: list[str] = Field(description="Who governs the registry; empty before it")
    governs: bool = Field(description="The caller may accredit and withdraw (an admin of one)")
    may_read: bool = Field(description="The caller may read the administration pages")


async def _governance_msps(session: AsyncSession) -> list[str]:
    query = select(db.FeedEvent.payload).where(db.FeedEvent.kind == "registry.bootstrapped")
    payload = (await session.scalars(query.order_by(db.FeedEvent.id).limit(1))).first()
    return list(payload["registry"]["governance_msps"]) if payload else []


def _access(principal: Principal, governance_msps: list[str]) -> AdminAccess:
    governs = Role.ADMIN in principal.roles and principal.msp_id in governance_msps
    return AdminAccess(
        governance_msps=governance_msps,
        governs=governs,
        may_read=governs or Role.AUDITOR in principal.roles,
    )


async def _reader(principal: CurrentPrincipal, session: SessionDep) -> Principal:
    """Governors and auditors; 403 for everyone else."""
    if not _access(principal, await _governance_msps(session)).may_read:
        raise PermissionDenied("only the registry's governors and auditors may read this")
    return principal


AdminReader = Annotated[Principal, Depends(_reader)]


@router.get("/access", summary="What the caller may do in administration", responses=_RESPONSES)
async def read_access(principal: CurrentPrincipal, session: SessionDep) -> AdminAccess:
    return _access(principal, await _governance_msps(session))


async def _organization_names(session: AsyncSession) -> dict[str, str]:
    rows = await session.execute(select(db.Organization.msp_id, db.Organization.name))
    return {msp_id: name for msp_id, name in rows}


class SchemeAccreditation(BaseModel):
    scheme: str
    since: datetime = Field(description="Ledger time of the grant in force (or last withdrawn)")
    withdrawn_at: datetime | None
    tx_id: str = Field(description="The transaction of the scheme's last change")


class AccreditationPublic(BaseModel):
    msp_id: str
    organization_name: str | None
    schemes: list[SchemeAccreditation] = Field(description="Accredited first, then withdrawn")


class AccreditationsPublic(BaseModel):
    data: list[AccreditationPublic]
    count: int


def _schemes(changes: Sequence[dict[str, Any]]) -> list[SchemeAccreditation]:
    """Each scheme's grant and withdrawal from one organization's changes, in ledger order
    (each change carries the whole list of schemes in force after it)."""
    schemes: dict[str, SchemeAccreditation] = {}
    for change in changes:
        at, tx_id = datetime.fromisoformat(change["updated_at"]), change["tx_id"]
        now = set(change["schemes"])
        for scheme in now:
            known = schemes.get(scheme)
            if known is None or known.withdrawn_at is not None:
                schemes[scheme] = SchemeAccreditation(
                    scheme=scheme, since=at, withdrawn_at=None, tx_id=tx_id
                )
        for scheme, known in list(schemes.items()):
            if scheme not in now and known.withdrawn_at is None:
                schemes[scheme] = known.model_copy(update={"withdrawn_at": at, "tx_id": tx_id})
    return sorted(schemes.values(), key=lambda s: (s.withdrawn_at is not None, s.scheme))


@router.get(
    "/accreditations",
    summary="Certification bodies accredited on the ledger, with withdrawn schemes",
    responses=_RESPONSES,
)
async def list_accreditations(_: AdminReader, session: SessionDep) -> AccreditationsPublic:
    query = (
        select(db.FeedEvent.payload)
        .where(db.FeedEvent.kind.in_(_ACCREDITATION_KINDS))
        .order_by(db.FeedEvent.id)
    )
    changes: dict[str, list[dict[str, Any]]] = {}
    for payload in await session.scalars(query):
        accreditation = payload["accreditation"]
        changes.setdefault(accreditation["msp_id"], []).append(accreditation)
    names = await _organization_names(session)
    data = [
        AccreditationPublic(
            msp_id=msp_id, organization_name=names.get(msp_id), schemes=_schemes(changes[msp_id])
        )
        for msp_id in sorted(changes)
    ]
    return AccreditationsPublic(data=data, count=len(data))


class PersonIdentity(BaseModel):
    msp_id: str
    enrollment_id: str
    role: str
    custody: db.KeyCustody = Field(description="Who holds the private key")
    created_at: datetime
    revoked_at: datetime | None


class PersonPublic(BaseModel):
    subject: str
    email: str | None
    display_name: str | None
    msp_id: str | None
    organization_name: str | None
    roles: list[Role]
    last_seen_at: datetime
    ledger_identities: list[PersonIdentity] = Field(description="Newest first")


class PeoplePublic(BaseModel):
    data: list[PersonPublic]
    count: int


async def _identities(session: AsyncSession) -> dict[uuid.UUID, list[PersonIdentity]]:
    """Every person's identities, newest first: certificates and custody, never key material."""
    row = db.LedgerIdentity
    query = select(
        row.user_id,
        row.msp_id,
        row.enrollment_id,
        row.role,
        row.custody,
        row.created_at,
        row.revoked_at,
    ).order_by(row.created_at.desc())
    found: dict[uuid.UUID, list[PersonIdentity]] = {}
    for (
        user_id,
        msp_id,
        enrollment_id,
        role,
        custody,
        created_at,
        revoked_at,
    ) in await session.execute(query):
        found.setdefault(user_id, []).append(
            PersonIdentity(
                msp_id=msp_id,
                enrollment_id=enrollment_id,
                role=role,
                custody=custody,
                created_at=created_at,
                revoked_at=revoked_at,
            )
        )
    return found


@router.get(
    "/people",
    summary="Everyone the API has seen, with their ledger identities",
    responses=_RESPONSES,
)
async def list_people(_: AdminReader, session: SessionDep) -> PeoplePublic:
    identities = await _identities(session)
    names = await _organization_names(session)
    data = [
        PersonPublic(
            subject=u.oidc_subject,
            email=u.email,
            display_name=u.display_name,
            msp_id=u.msp_id,
            organization_name=names.get(u.msp_id or ""),
            roles=[Role(r) for r in u.roles],
            last_seen_at=u.last_seen_at,
            ledger_identities=identities.get(u.id, []),
        )
        for u in await db.list_users(session)
    ]
    return PeoplePublic(data=data, count=len(data))
