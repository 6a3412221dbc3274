"""The signed-in person's own ledger identity: see it, or enroll a key held in the browser."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from provena.api.deps import CurrentPrincipal, StateDep
from provena.api.ledger import primary_role
from provena.api.problems import Problem
from provena.api.writes import LedgerDep
from provena.db import KeyCustody
from provena.identity.wallet import WalletError

router = APIRouter(prefix="/api/v1/me/ledger-identity", tags=["users"])


class LedgerIdentityPublic(BaseModel):
    """Your current Fabric identity (never its key), and the id your next one will get."""

    enrolled: bool
    msp_id: str | None
    role: str | None
    custody: KeyCustody | None
    enrollment_id: str | None
    certificate_pem: str | None
    created_at: datetime | None
    next_enrollment_id: str = Field(
        description="The CN a certificate request for a browser-held key must carry"
    )


class BrowserKey(BaseModel):
    csr_pem: str = Field(description="A PEM PKCS#10 request for a P-256 key, CN = next id")


_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem} for code in (401, 403, 502, 503)
}


@router.get("", summary="Your ledger identity", responses=_RESPONSES)
async def read_ledger_identity(
    principal: CurrentPrincipal, state: StateDep, ledger: LedgerDep
) -> LedgerIdentityPublic:
    seen = await state.directory.record(principal)
    role = primary_role(principal)
    if role is None:
        raise WalletError("you hold no role, so you cannot act on the ledger")
    row = await ledger.wallet.current(seen.user_id)
    next_id = await ledger.wallet.next_enrollment_id(seen.user_id, role=role.value)
    return LedgerIdentityPublic(
        enrolled=row is not None,
        msp_id=row.msp_id if row else principal.msp_id,
        role=row.role if row else role.value,
        custody=row.custody if row else None,
        enrollment_id=row.enrollment_id if row else None,
        certificate_pem=row.certificate_pem if row else None,
        created_at=row.created_at if row else None,
        next_enrollment_id=next_id,
    )


@router.post(
    "",
    status_code=201,
    summary="Enroll a key you hold in your browser; the server will never sign for you",
    responses={**_RESPONSES, 422: {"model": Problem}},
)
async def enroll_browser_key(
    body: BrowserKey, principal: CurrentPrincipal, state: StateDep, ledger: LedgerDep
) -> LedgerIdentityPublic:
    seen = await state.directory.record(principal)
    role = primary_role(principal)
    await ledger.wallet.enroll_browser_key(
        seen.user_id,
        msp_id=principal.msp_id,
        role=role.value if role else None,
        csr_pem=body.csr_pem.encode(),
    )
    return await read_ledger_identity(principal, state, ledger)
