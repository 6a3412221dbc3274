"""Shipments: writes (create, custody transfers, checkpoints, delivery) and reads (the
organization's list, and one shipment with its custody, proof and full history)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import select

from provena.api.deps import SessionDep, StateDep, ViewerDep
from provena.api.reads import (
    READ_RESPONSES,
    Cursor,
    ItemDetail,
    Limit,
    Page,
    ShipmentDetail,
    ShipmentSummary,
    TransferView,
    decode_cursor,
    page_of,
)
from provena.api.writes import WRITE_RESPONSES, LedgerDep, WriteAnswer, WriterDep
from provena.certification.commands import document_refs
from provena.db import RecalledShipment, Shipment, ShipmentStatus
from provena.documents import Viewer
from provena.tracking import commands
from provena.tracking.queries import (
    ShipmentFilter,
    get_shipment,
    list_shipments,
    shipment_parent,
)
from provena.verification import RecordNotFound, shipment_history
from provena.verification.models import DocumentView, signed_proof
from provena.verification.shipments import checkpoint_views, custody_chain

router = APIRouter(prefix="/api/v1/shipments", tags=["shipments"])


def _member(viewer: Viewer) -> str:
    if viewer.msp_id is None:
        raise HTTPException(403, "you belong to no organization")
    return viewer.msp_id


@router.post(
    "",
    status_code=202,
    summary="Create a shipment (producers); items reference certificates",
    responses=WRITE_RESPONSES,
)
async def create_shipment(
    body: commands.CreateShipment, state: StateDep, viewer: ViewerDep, writer: WriterDep
) -> WriteAnswer:
    documents = await document_refs(state.documents, viewer, body.documents)
    try:
        write = commands.create(body, documents, _member(viewer))
    except ValueError as exc:  # an SSCC with a wrong check digit
        raise HTTPException(422, f"sscc: {exc}") from exc
    return await writer.send(write)


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
    id: str,
    action: Literal["cancel", "accept"],
    session: SessionDep,
    viewer: ViewerDep,
    writer: WriterDep,
) -> WriteAnswer:
    if action == "cancel":
        return await writer.send(commands.simple(id, "CancelTransfer"))
    shipment = await session.get(Shipment, id)
    from_msp = None if shipment is None else shipment.custodian_msp_id
    parent = await shipment_parent(session, id)
    return await writer.send(commands.accept(id, parent, from_msp, _member(viewer)))


@router.post(
    "/{id}/checkpoints",
    status_code=202,
    summary="Record a checkpoint: business step, disposition, location, readings (custodian)",
    responses=WRITE_RESPONSES,
)
async def record_checkpoint(
    id: str,
    body: commands.RecordCheckpoint,
    state: StateDep,
    session: SessionDep,
    viewer: ViewerDep,
    writer: WriterDep,
) -> WriteAnswer:
    documents = await document_refs(state.documents, viewer, body.documents)
    parent = await shipment_parent(session, id)
    return await writer.send(commands.checkpoint(id, body, documents, parent))


@router.post(
    "/{id}/delivery",
    status_code=202,
    summary="Confirm delivery at the destination (its receiver)",
    responses=WRITE_RESPONSES,
)
async def confirm_delivery(
    id: str, session: SessionDep, viewer: ViewerDep, writer: WriterDep
) -> WriteAnswer:
    parent = await shipment_parent(session, id)
    return await writer.send(commands.deliver(id, parent, _member(viewer)))


@router.get(
    "",
    summary="Shipments your organization owns, holds, held, receives or is offered (auditors: "
    "all), newest first",
    responses=READ_RESPONSES,
)
async def list_shipments_page(
    session: SessionDep,
    viewer: ViewerDep,
    status: ShipmentStatus | None = None,
    holder: str | None = Query(default=None, max_length=64, description="The custodian's MSP id"),
    origin: str | None = Query(default=None, max_length=200, description="Text in the origin"),
    destination: str | None = Query(default=None, max_length=64, description="An MSP id"),
    offered_to: str | None = Query(
        default=None, max_length=64, description="The MSP id a transfer is proposed to"
    ),
    q: str | None = Query(
        default=None, max_length=200, description="Text in the id, origin or destination"
    ),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[ShipmentSummary]:
    filters = ShipmentFilter(
        status=status,
        holder=holder,
        origin=origin,
        destination=destination,
        offered_to=offered_to,
        q=q,
    )
    rows = await list_shipments(
        session, viewer, filters, after=decode_cursor(cursor), limit=limit + 1
    )
    return page_of(rows, limit, lambda r: (r.created_at, r.id), ShipmentSummary.of)


@router.get(
    "/{id}",
    summary="One shipment: items, documents, custody, transfers, checkpoints, proof, history",
    responses=READ_RESPONSES,
)
async def read_shipment(
    id: str, session: SessionDep, viewer: ViewerDep, ledger: LedgerDep
) -> ShipmentDetail:
    row = await get_shipment(session, viewer, id)
    if row is None:
        raise RecordNotFound(f"no shipment {id} that you may see")
    proof = await ledger.reads.proof(row.tx_id, row.block_number)
    return ShipmentDetail(
        **ShipmentSummary.of(row).model_dump(),
        items=[ItemDetail.model_validate(i, from_attributes=True) for i in row.items],
        documents=[DocumentView.model_validate(d, from_attributes=True) for d in row.documents],
        custody=custody_chain(row),
        transfers=[TransferView.model_validate(t, from_attributes=True) for t in row.transfers],
        checkpoints=checkpoint_views(row),
        proof=signed_proof(proof),
        history=await shipment_history(ledger.reads, id),
        recalls=list(
            await session.scalars(
                select(RecalledShipment.recall_id)
                .where(RecalledShipment.shipment_id == id)
                .order_by(RecalledShipment.recall_id)
            )
        ),
    )
