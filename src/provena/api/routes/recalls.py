"""Recalls: preview what recalling lots reaches, record it on the ledger, read and export it.

A recall is computed over every event, whoever may read them, since every holder must be
told; what it reveals is what a recall needs: the shipments holding the lots, who holds
them, and the certificates involved.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select

from provena.api.deps import SessionDep, ViewerDep, require_roles
from provena.api.problems import Problem
from provena.api.reads import READ_RESPONSES
from provena.api.routes.epcis import JSON_LD, event_out
from provena.api.writes import WRITE_RESPONSES, WriteAnswer, WriterDep
from provena.db import EpcisEvent, EpcisEventIdentifier, Recall
from provena.demo import Role
from provena.tracking import recall as recalls
from provena.tracking.epcis import CONTEXT

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/recalls", tags=["recalls"])
Lots = Annotated[list[str], Query(alias="lot", min_length=1, max_length=100)]


class AffectedView(BaseModel):
    id: str
    kind: str
    depth: int = Field(description="Steps downstream of the lots recalled")
    shipment_id: str | None = None
    holder_msp_id: str | None = None


class ShipmentAffected(BaseModel):
    id: str
    status: str
    custodian_msp_id: str
    owner_msp_id: str
    destination_msp_id: str


class RecallPreview(BaseModel):
    """What recalling the lots reaches now."""

    lots: list[str]
    affected: list[AffectedView]
    shipments: list[ShipmentAffected]
    organizations: list[str] = Field(description="The organizations to notify")
    certificates: list[str]


class RecallRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,64}$", examples=["RCL-2026-0001"])
    lots: list[str] = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=2000)


class RecalledShipment(BaseModel):
    id: str
    holder_msp_id: str | None


class RecallView(BaseModel):
    id: str
    reason: str
    lots: list[str]
    affected: list[AffectedView]
    shipments: list[RecalledShipment]
    organizations: list[str]
    certificates: list[str]
    event_id: str
    recorded_by_msp_id: str
    recorded_at: datetime
    tx_id: str
    block_number: int


class RecallList(BaseModel):
    data: list[RecallView]


def _view(row: Recall) -> RecallView:
    return RecallView(
        id=row.id,
        reason=row.reason,
        lots=row.lots,
        affected=[AffectedView.model_validate(a) for a in row.affected],
        shipments=[RecalledShipment.model_validate(s) for s in row.shipments],
        organizations=row.organizations,
        certificates=row.certificates,
        event_id=row.event_hash,
        recorded_by_msp_id=row.recorded_by_msp_id,
        recorded_at=row.recorded_at,
        tx_id=row.tx_id,
        block_number=row.block_number,
    )


_RECALLERS = Depends(require_roles(Role.PRODUCER, Role.CERTIFIER, Role.ADMIN))
_RECALLER_RESPONSES: dict[int | str, dict[str, object]] = {
    **READ_RESPONSES,
    403: {"model": Problem},
}


@router.get(
    "/preview",
    summary="What recalling these lots reaches: shipments, holders, organizations, certificates",
    responses=_RECALLER_RESPONSES,
    dependencies=[_RECALLERS],
)
async def preview(session: SessionDep, lots: Lots) -> RecallPreview:
    found = await recalls.preview(session, lots)
    return RecallPreview.model_validate(found, from_attributes=True)


@router.post(
    "",
    status_code=202,
    summary="Record a recall on the ledger; its holders are told live",
    responses=WRITE_RESPONSES,
    dependencies=[_RECALLERS],
)
async def record(body: RecallRequest, session: SessionDep, writer: WriterDep) -> WriteAnswer:
    if await session.get(Recall, body.id) is not None:
        raise HTTPException(409, f"recall {body.id} already exists")
    found = await recalls.preview(session, body.lots)
    return await writer.send(recalls.record(body.id, body.reason, found))


@router.get(
    "",
    summary="Recalls that concern your organization (auditors: all), newest first",
    responses=READ_RESPONSES,
)
async def list_recalls(session: SessionDep, viewer: ViewerDep) -> RecallList:
    rows = await session.scalars(
        select(Recall)
        .where(recalls.visible_recalls(viewer))
        .order_by(Recall.recorded_at.desc())
        .limit(200)
    )
    return RecallList(data=[_view(row) for row in rows])


async def _recall(session: SessionDep, viewer: ViewerDep, id: str) -> Recall:
    row = await session.scalar(
        select(Recall).where(Recall.id == id, recalls.visible_recalls(viewer))
    )
    if row is None:
        raise HTTPException(404, f"no recall {id} that you may see")
    return row


RecallDep = Annotated[Recall, Depends(_recall)]


@router.get("/{id}", summary="One recall", responses=READ_RESPONSES)
async def read_recall(row: RecallDep) -> RecallView:
    return _view(row)


@router.get(
    "/{id}/export.csv", summary="The recall's lots and units as CSV", responses=READ_RESPONSES
)
async def export_csv(row: RecallDep) -> Response:
    return Response(
        recalls.csv_export(row),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{row.id}.csv"'},
    )


@router.get(
    "/{id}/export.jsonld",
    summary="The recall as an EPCIS document: its event and those leading to what it reached",
    responses=READ_RESPONSES,
)
async def export_epcis(row: RecallDep, session: SessionDep) -> Response:
    reached = [a["id"] for a in row.affected]
    hashes = select(EpcisEventIdentifier.event_hash).where(
        EpcisEventIdentifier.identifier.in_(reached), EpcisEventIdentifier.link.is_not(None)
    )
    events = await session.scalars(
        select(EpcisEvent)
        .where(or_(EpcisEvent.hash == row.event_hash, EpcisEvent.hash.in_(hashes)))
        .order_by(EpcisEvent.block_number, EpcisEvent.tx_id, EpcisEvent.event_index)
    )
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": row.recorded_at.isoformat(),
        "epcisBody": {"eventList": [event_out(event) for event in events]},
    }
    return Response(
        json.dumps(document),
        media_type=JSON_LD,
        headers={"Content-Disposition": f'attachment; filename="{row.id}.jsonld"'},
    )
