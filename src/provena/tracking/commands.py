"""What people ask of the shipments contract, as ledger writes.

As in `provena.certification.commands`, documents are named by CID and resolved to the
references the ledger anchors, and every input is checked with the contract's own models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from provena.contracts.cbv import BizStep, Disposition
from provena.contracts.model import (
    CheckpointEvent,
    Destination,
    DocumentRef,
    Item,
    SensorReading,
    ShipmentInput,
)
from provena.transactions import Write

__all__ = [
    "CreateShipment",
    "ProposeTransfer",
    "RecordCheckpoint",
    "RejectTransfer",
    "checkpoint",
    "create",
    "propose",
    "reject",
    "simple",
]

Cids = Annotated[list[str], Field(max_length=20)]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateShipment(_Request):
    """A shipment to create; items reference certificates by id, documents by CID."""

    id: str = Field(examples=["SHP-2026-0007"])
    items: Annotated[list[Item], Field(min_length=1, max_length=200)]
    origin: str
    destination: Destination
    documents: Cids = []


class ProposeTransfer(_Request):
    to_msp: str = Field(examples=["CarrierMSP"])


class RejectTransfer(_Request):
    reason: str = Field(min_length=1, max_length=2000)


class RecordCheckpoint(_Request):
    """A checkpoint, shaped like an EPCIS 2.0 ObjectEvent with CBV 2.0 vocabularies."""

    event_time: datetime
    event_time_zone_offset: str = Field(examples=["+01:00"])
    biz_step: BizStep
    disposition: Disposition
    read_point: str
    biz_location: str | None = None
    sensor_readings: Annotated[list[SensorReading], Field(max_length=50)] = []
    documents: Cids = []


def create(request: CreateShipment, documents: list[DocumentRef]) -> Write:
    shipment = ShipmentInput(**request.model_dump(exclude={"documents"}), documents=documents)
    return Write("Shipments", "CreateShipment", (shipment.model_dump_json(),), shipment.id)


def propose(id: str, request: ProposeTransfer) -> Write:
    return Write("Shipments", "ProposeTransfer", (id, request.to_msp), id)


def reject(id: str, request: RejectTransfer) -> Write:
    return Write("Shipments", "RejectTransfer", (id, request.reason), id)


def simple(id: str, function: str) -> Write:
    """CancelTransfer, AcceptTransfer or ConfirmDelivery: the shipment id is all they take."""
    return Write("Shipments", function, (id,), id)


def checkpoint(id: str, request: RecordCheckpoint, documents: list[DocumentRef]) -> Write:
    event = CheckpointEvent(**request.model_dump(exclude={"documents"}), documents=documents)
    return Write("Shipments", "RecordCheckpoint", (id, event.model_dump_json()), id)
