"""The network as this API sees it: channel, height, organizations, chaincode, recent blocks
and their transactions with validation codes, and which backends serve this deployment."""

from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlalchemy import select

from provena.api.deps import CurrentPrincipal, SessionDep, SettingsDep
from provena.api.reads import READ_RESPONSES
from provena.api.writes import LedgerDep
from provena.db import Organization
from provena.verification.network import (
    Backends,
    BlockView,
    ChaincodeView,
    backends,
    chaincode_view,
    recent_blocks,
)

router = APIRouter(prefix="/api/v1/network", tags=["network"])


class OrganizationView(BaseModel):
    msp_id: str
    name: str
    kind: str


class NetworkView(BaseModel):
    channel: str
    height: int
    organizations: list[OrganizationView]
    chaincode: ChaincodeView
    blocks: list[BlockView]
    backends: Backends


@router.get(
    "",
    summary="The channel, its recent blocks and this deployment's backends",
    responses=READ_RESPONSES,
)
async def read_network(
    _: CurrentPrincipal,
    session: SessionDep,
    settings: SettingsDep,
    ledger: LedgerDep,
    blocks: int = Query(default=10, ge=1, le=50, description="How many recent blocks"),
) -> NetworkView:
    organizations = await session.scalars(select(Organization).order_by(Organization.msp_id))
    height, recent = await recent_blocks(ledger.reads, blocks)
    return NetworkView(
        channel=settings.ledger_channel,
        height=height,
        organizations=[
            OrganizationView(msp_id=o.msp_id, name=o.name, kind=o.kind.value) for o in organizations
        ],
        chaincode=await chaincode_view(ledger.reads, settings.ledger_chaincode),
        blocks=recent,
        backends=backends(settings),
    )
