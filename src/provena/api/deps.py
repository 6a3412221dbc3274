"""FastAPI dependencies: settings, database sessions, the current principal, roles."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from provena.api.state import AppState
from provena.demo import Role
from provena.documents import Viewer
from provena.identity import Principal, TokenError
from provena.settings import Settings

__all__ = [
    "CurrentPrincipal",
    "SessionDep",
    "SettingsDep",
    "StateDep",
    "ViewerDep",
    "current_principal",
    "document_viewer",
    "require_roles",
]

_bearer = HTTPBearer(auto_error=False, description="An access token from the OIDC issuer")


async def _state(request: Request) -> AppState:
    state: AppState = request.app.state.provena
    return state


StateDep = Annotated[AppState, Depends(_state)]


async def _settings(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(_settings)]


async def _session(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.database.session() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(_session)]


async def current_principal(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller named by the bearer token; 401 without a valid one."""
    if credentials is None:
        raise TokenError("a bearer token is required")
    return await state.validator.validate(credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def document_viewer(principal: CurrentPrincipal, state: StateDep) -> Viewer:
    """Documents are seen by organization; auditors see every organization's."""
    seen = await state.directory.record(principal)
    return Viewer(seen.user_id, principal.msp_id, sees_all=Role.AUDITOR in principal.roles)


ViewerDep = Annotated[Viewer, Depends(document_viewer)]


def require_roles(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through only principals holding one of `roles` (else 403)."""

    async def check(principal: CurrentPrincipal) -> Principal:
        principal.require(*roles)
        return principal

    return check
