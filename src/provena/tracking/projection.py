"""Shipment events onto shipments, their items, documents, custody transfers and checkpoints."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.epcis import Capture, TransformationEvent
from provena.contracts.events import ShipmentEvent, Transfer
from provena.contracts.model import Checkpoint as CheckpointRecord
from provena.contracts.model import Shipment as ShipmentRecord
from provena.db import Checkpoint, CustodyTransfer, Shipment, ShipmentDocument, ShipmentItem
from provena.events import Announcement, upsert
from provena.fabric import ChaincodeEvent
from provena.tracking import epcis_rows, recall

__all__ = ["EVENTS", "apply"]

_KINDS = {
    "ShipmentCreated": "shipment.created",
    "TransferProposed": "transfer.proposed",
    "TransferAccepted": "transfer.accepted",
    "TransferRejected": "transfer.rejected",
    "TransferCancelled": "transfer.cancelled",
    "ShipmentDelivered": "shipment.delivered",
    "CheckpointRecorded": "checkpoint.recorded",
}
_EPCIS_KINDS = {
    "EpcisEventsCaptured": "epcis.captured",
    "TransformationRecorded": "transformation.recorded",
    "RecallRecorded": "recall.recorded",
}
EVENTS = frozenset(_KINDS) | frozenset(_EPCIS_KINDS)
"""The chaincode event names this projection applies."""


async def apply(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
    """Write what `event` (one of `EVENTS`) changed, in `session`'s transaction."""
    if event.event_name in _EPCIS_KINDS:
        return await _apply_epcis(session, event)
    kind = _KINDS[event.event_name]
    payload: dict[str, Any] = json.loads(event.payload)
    change = ShipmentEvent.model_validate(payload)
    shipment = change.shipment
    source = {"tx_id": event.transaction_id, "block_number": event.block_number}
    await upsert(session, Shipment, _shipment_row(shipment) | source)
    if event.event_name == "ShipmentCreated":
        for position, item in enumerate(shipment.items):
            row = item.model_dump(mode="json") | {"shipment_id": shipment.id, "position": position}
            await upsert(session, ShipmentItem, row | source)
        for position, document in enumerate(shipment.documents):
            row = document.model_dump() | {"shipment_id": shipment.id, "position": position}
            await upsert(session, ShipmentDocument, row | source)
    if change.transfer is not None:
        await upsert(session, CustodyTransfer, _transfer_row(shipment.id, change.transfer) | source)
    if change.checkpoint is not None:
        await upsert(session, Checkpoint, _checkpoint_row(change.checkpoint) | source)
    audience = _audience(change)
    await epcis_rows.store(
        session,
        change.epcis,
        block_number=event.block_number,
        tx_id=event.transaction_id,
        audience=audience,
    )
    return Announcement(kind, payload, audience)


async def _apply_epcis(session: AsyncSession, event: ChaincodeEvent) -> Announcement:
    """Captured events and transformations: the events, and a summary to their parties."""
    payload: dict[str, Any] = json.loads(event.payload)
    if event.event_name == "RecallRecorded":
        return await recall.apply(session, payload, event.block_number, event.transaction_id)
    if event.event_name == "TransformationRecorded":
        recorded = TransformationEvent.model_validate(payload)
        capture = recorded.capture
        summary: dict[str, Any] = {
            "transformation": recorded.transformation.model_dump(mode="json")
        }
    else:
        capture = Capture.model_validate(payload)
        summary = {}
    await epcis_rows.store(
        session, capture.events, block_number=event.block_number, tx_id=event.transaction_id
    )
    audience = sorted({record.captured_by_msp for record in capture.events})
    summary |= {"stored": [r.hash for r in capture.events], "duplicates": capture.duplicates}
    return Announcement(_EPCIS_KINDS[event.event_name], summary, audience)


def _shipment_row(shipment: ShipmentRecord) -> dict[str, Any]:
    pending = shipment.pending_transfer
    return {
        "id": shipment.id,
        "owner_msp_id": shipment.owner_msp,
        "custodian_msp_id": shipment.custodian_msp,
        "status": shipment.status.value,
        "pending_transfer_to_msp_id": None if pending is None else pending.to_msp,
        "origin": shipment.origin,
        "destination_msp_id": shipment.destination.msp_id,
        "destination_location": shipment.destination.location,
        "created_at": shipment.created_at,
    }


def _transfer_row(shipment_id: str, transfer: Transfer) -> dict[str, Any]:
    return {
        "shipment_id": shipment_id,
        "seq": transfer.seq,
        "from_msp_id": transfer.from_msp,
        "to_msp_id": transfer.to_msp,
        "status": transfer.status.value,
        "reason": transfer.reason,
        "proposed_at": transfer.proposed_at,
        "resolved_at": transfer.resolved_at,
    }


def _checkpoint_row(checkpoint: CheckpointRecord) -> dict[str, Any]:
    recorded = checkpoint.event.model_dump(mode="json")
    return {
        "shipment_id": checkpoint.shipment_id,
        "seq": checkpoint.seq,
        "event_time": checkpoint.event.event_time,
        "event_time_zone_offset": checkpoint.event.event_time_zone_offset,
        "biz_step": recorded["biz_step"],
        "disposition": recorded["disposition"],
        "read_point": checkpoint.event.read_point,
        "biz_location": checkpoint.event.biz_location,
        "sensor_readings": recorded["sensor_readings"],
        "documents": recorded["documents"],
        "event_hash": checkpoint.event_hash,
        "recorded_by_msp_id": checkpoint.recorded_by_msp,
        "recorded_at": checkpoint.recorded_at,
    }


def _audience(change: ShipmentEvent) -> list[str]:
    """Everyone the shipment concerns: owner, custodians so far, destination, recipient."""
    shipment = change.shipment
    audience = {shipment.owner_msp, shipment.custodian_msp, shipment.destination.msp_id}
    audience.update(record.msp_id for record in shipment.custody)
    if shipment.pending_transfer is not None:
        audience.add(shipment.pending_transfer.to_msp)
    if change.transfer is not None:
        audience.update((change.transfer.from_msp, change.transfer.to_msp))
    return sorted(audience)
