"""The signed-in user."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from provena.api.deps import CurrentPrincipal, StateDep
from provena.api.problems import Problem
from provena.demo import OrgKind, Role

router = APIRouter(prefix="/api/v1", tags=["users"])


class OrganizationPublic(BaseModel):
    msp_id: str
    name: str
    kind: OrgKind


class Me(BaseModel):
    subject: str
    email: str | None
    display_name: str | None
    roles: list[Role]
    organization: OrganizationPublic | None


@router.get(
    "/me",
    summary="The signed-in user, their organization and roles",
    responses={401: {"model": Problem}, 403: {"model": Problem}},
)
async def read_me(principal: CurrentPrincipal, state: StateDep) -> Me:
    """Records the user on first sight and on every change of their profile or roles."""
    org = (await state.directory.record(principal)).organization
    return Me(
        subject=principal.subject,
        email=principal.email,
        display_name=principal.display_name,
        roles=sorted(principal.roles),
        organization=OrganizationPublic(msp_id=org.msp_id, name=org.name, kind=org.kind)
        if org
        else None,
    )
