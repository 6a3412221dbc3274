"""Public client configuration: what the web app needs before anyone signs in."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from provena import __version__
from provena.api.deps import SettingsDep

router = APIRouter(prefix="/api/v1", tags=["config"])


class OidcClientConfig(BaseModel):
    authority: str
    client_id: str
    scope: str


class ClientConfig(BaseModel):
    version: str
    profile: Literal["development", "production"]
    oidc: OidcClientConfig


@router.get("/config", summary="Configuration for browser clients")
async def client_config(settings: SettingsDep) -> ClientConfig:
    return ClientConfig(
        version=__version__,
        profile=settings.profile,
        oidc=OidcClientConfig(
            authority=settings.issuer_url,
            client_id=settings.oidc_client_id,
            scope=settings.oidc_scope,
        ),
    )
