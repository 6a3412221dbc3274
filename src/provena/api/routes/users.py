"""People known to Provena (recorded when they first call the API)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from provena import db
from provena.api.deps import SessionDep, require_roles
from provena.api.problems import Problem
from provena.demo import Role
from provena.identity import Principal

router = APIRouter(prefix="/api/v1", tags=["users"])


class UserPublic(BaseModel):
    subject: str
    email: str | None
    display_name: str | None
    msp_id: str | None
    roles: list[Role]
    last_seen_at: datetime


class UsersPublic(BaseModel):
    data: list[UserPublic]
    count: int


@router.get(
    "/users",
    summary="The people of the caller's organization (admins only)",
    responses={401: {"model": Problem}, 403: {"model": Problem}},
)
async def list_users(
    admin: Annotated[Principal, Depends(require_roles(Role.ADMIN))], session: SessionDep
) -> UsersPublic:
    users = await db.list_users(session, msp_id=admin.msp_id) if admin.msp_id else []
    data = [
        UserPublic(
            subject=u.oidc_subject,
            email=u.email,
            display_name=u.display_name,
            msp_id=u.msp_id,
            roles=[Role(r) for r in u.roles],
            last_seen_at=u.last_seen_at,
        )
        for u in users
    ]
    return UsersPublic(data=data, count=len(data))
