"""Shipment writes: create, custody transfers, checkpoints, delivery."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter

from provena.api.deps import SessionDep
from provena.api.writes import WRITE_RESPONSES, WriteAnswer, WriterDep
from provena.certification.commands import document_refs
from provena.tracking import commands

router = APIRouter(prefix="/api/v1/shipments", tags=["shipments"])

_BY_ID = {
    "cancel": "CancelTransfer",
    "accept": "AcceptTransfer",
}


@router.post(
    "",
    status_code=202,
    summary="Create a shipment (producers); items reference certificates",
    responses=WRITE_RESPONSES,
)
async def create_shipment(
    body: commands.CreateShipment, session: SessionDep, writer: WriterDep
) -> WriteAnswer:
    documents = await document_refs(session, body.documents)
    return await writer.send(commands.create(body, documents))


@router.post(
    "/{id}/transfer",
    status_code=202,
    summary="Propose handing custody to another organization (the custodian)",
    responses=WRITE_RESPONSES,
)
async def propose_transfer(
    id: str, body: commands.ProposeTransfer, writer: WriterDep
) -> WriteAnswer:
    return await writer.send(commands.propose(id, body))


@router.post(
    "/{id}/transfer/reject",
    status_code=202,
    summary="Refuse a proposed transfer (the proposed recipient)",
    responses=WRITE_RESPONSES,
)
async def reject_transfer(id: str, body: commands.RejectTransfer, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.reject(id, body))


@router.post(
    "/{id}/transfer/{action}",
    status_code=202,
    summary="Cancel (the custodian) or accept (the recipient) a proposed transfer",
    responses=WRITE_RESPONSES,
)
async def settle_transfer(
    id: str, action: Literal["cancel", "accept"], writer: WriterDep
) -> WriteAnswer:
    return await writer.send(commands.simple(id, _BY_ID[action]))


@router.post(
    "/{id}/checkpoints",
    status_code=202,
    summary="Record a checkpoint: business step, disposition, location, readings (custodian)",
    responses=WRITE_RESPONSES,
)
async def record_checkpoint(
    id: str, body: commands.RecordCheckpoint, session: SessionDep, writer: WriterDep
) -> WriteAnswer:
    documents = await document_refs(session, body.documents)
    return await writer.send(commands.checkpoint(id, body, documents))


@router.post(
    "/{id}/delivery",
    status_code=202,
    summary="Confirm delivery at the destination (its receiver)",
    responses=WRITE_RESPONSES,
)
async def confirm_delivery(id: str, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.simple(id, "ConfirmDelivery"))
