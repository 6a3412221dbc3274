"""Verifying a shipment: who held it and since when, its checkpoints, and the proof of its
last change. The custody chain is the owner from creation, then each accepted transfer."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from provena.db import CustodyTransferStatus, Shipment
from provena.tracking.queries import get_shipment
from provena.verification.errors import RecordNotFound
from provena.verification.models import (
    CheckpointView,
    CustodyView,
    DocumentView,
    ItemView,
    ShipmentVerification,
    public_proof,
)
from provena.verification.reader import LedgerReader

__all__ = ["checkpoint_views", "custody_chain", "verify_shipment"]


def custody_chain(shipment: Shipment) -> list[CustodyView]:
    """Every custodian in order: the owner from creation, then each accepted transfer."""
    chain = [CustodyView(msp_id=shipment.owner_msp_id, since=shipment.created_at, tx_id="")]
    for transfer in shipment.transfers:
        if transfer.status == CustodyTransferStatus.ACCEPTED and transfer.resolved_at:
            chain.append(
                CustodyView(
                    msp_id=transfer.to_msp_id, since=transfer.resolved_at, tx_id=transfer.tx_id
                )
            )
    return chain


def checkpoint_views(shipment: Shipment) -> list[CheckpointView]:
    return [
        CheckpointView(
            seq=c.seq,
            event_time=c.event_time,
            event_time_zone_offset=c.event_time_zone_offset,
            biz_step=c.biz_step,
            disposition=c.disposition,
            read_point=c.read_point,
            biz_location=c.biz_location,
            sensor_readings=c.sensor_readings,
            documents=[DocumentView(**d) for d in c.documents],
            event_hash=c.event_hash,
            recorded_by_msp_id=c.recorded_by_msp_id,
            recorded_at=c.recorded_at,
            tx_id=c.tx_id,
        )
        for c in shipment.checkpoints
    ]


async def verify_shipment(
    session: AsyncSession, reader: LedgerReader, id: str
) -> ShipmentVerification:
    """Shipment `id` as a verifier sees it."""
    shipment = await get_shipment(session, None, id)
    if shipment is None:
        raise RecordNotFound(f"no shipment {id}")
    proof = await reader.proof(shipment.tx_id, shipment.block_number)
    return ShipmentVerification(
        shipment_id=shipment.id,
        status=shipment.status.value,
        origin=shipment.origin,
        destination_msp_id=shipment.destination_msp_id,
        destination_location=shipment.destination_location,
        owner_msp_id=shipment.owner_msp_id,
        custodian_msp_id=shipment.custodian_msp_id,
        created_at=shipment.created_at,
        custody=custody_chain(shipment),
        items=[
            ItemView(
                sku=i.sku,
                gtin=i.gtin,
                description=i.description,
                lot=i.lot,
                certificate_ids=i.certificate_ids,
            )
            for i in shipment.items
        ],
        checkpoints=checkpoint_views(shipment),
        documents=[_document(d) for d in shipment.documents],
        proof=public_proof(proof),
    )


def _document(row: object) -> DocumentView:
    return DocumentView.model_validate(row, from_attributes=True)
