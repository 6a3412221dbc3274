"""What people ask of the shipments contract, as ledger writes.

As in `provena.certification.commands`, documents are named by CID and resolved to the
references the ledger anchors, and every input is checked with the contract's own models.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from provena.contracts.cbv import BizStep, Disposition
from provena.contracts.epcis import EpcisEventInput, TransformationInput
from provena.contracts.model import (
    CheckpointEvent,
    Destination,
    DocumentRef,
    Item,
    SensorReading,
    ShipmentInput,
)
from provena.tracking import epcis
from provena.transactions import Write

__all__ = [
    "CreateShipment",
    "ProposeTransfer",
    "RecordCheckpoint",
    "RejectTransfer",
    "accept",
    "checkpoint",
    "create",
    "deliver",
    "propose",
    "reject",
    "simple",
    "transform",
]

Cids = Annotated[list[str], Field(max_length=20)]
Sscc = Annotated[str, StringConstraints(pattern=r"^[0-9]{18}$")]
_EVENTS = TypeAdapter(list[EpcisEventInput])


def _events(events: Sequence[EpcisEventInput]) -> tuple[str, ...]:
    return (_EVENTS.dump_json(list(events)).decode(),)


def _now() -> datetime:
    return datetime.now(UTC)


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CreateShipment(_Request):
    """A shipment to create; items reference certificates by id, documents by CID."""

    id: str = Field(examples=["SHP-2026-0007"])
    items: Annotated[list[Item], Field(min_length=1, max_length=200)]
    origin: str
    destination: Destination
    documents: Cids = []
    sscc: Sscc | None = Field(
        None,
        description="The shipment's SSCC (18 digits with its check digit): the parent of its "
        "EPCIS packing event; without one the shipment is named by a Provena URN",
        examples=["095012340000000015"],
    )


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


def create(request: CreateShipment, documents: list[DocumentRef], owner_msp: str) -> Write:
    """The shipment, with its commissioning and packing events (ValueError: a bad SSCC)."""
    shipment = ShipmentInput(
        **request.model_dump(exclude={"documents", "sscc"}), documents=documents
    )
    events = epcis.created(shipment, owner_msp, _now(), sscc=request.sscc)
    args = (shipment.model_dump_json(),)
    return Write("Shipments", "CreateShipment", args, shipment.id, _events(events))


def propose(id: str, request: ProposeTransfer) -> Write:
    return Write("Shipments", "ProposeTransfer", (id, request.to_msp), id)


def reject(id: str, request: RejectTransfer) -> Write:
    return Write("Shipments", "RejectTransfer", (id, request.reason), id)


def simple(id: str, function: str) -> Write:
    """CancelTransfer (or any function whose shipment id is all it takes)."""
    return Write("Shipments", function, (id,), id)


def accept(id: str, parent: str, from_msp: str | None, to_msp: str) -> Write:
    """Accepting custody, observed as the hand-over from `from_msp` (if known) to `to_msp`."""
    events = epcis.accepted(id, parent, from_msp, to_msp, _now())
    return Write("Shipments", "AcceptTransfer", (id,), id, _events(events))


def deliver(id: str, parent: str, msp_id: str) -> Write:
    events = epcis.delivered(id, parent, msp_id, _now())
    return Write("Shipments", "ConfirmDelivery", (id,), id, _events(events))


def checkpoint(
    id: str, request: RecordCheckpoint, documents: list[DocumentRef], parent: str
) -> Write:
    event = CheckpointEvent(**request.model_dump(exclude={"documents"}), documents=documents)
    derived = _events(epcis.checkpoint(id, parent, event))
    return Write("Shipments", "RecordCheckpoint", (id, event.model_dump_json()), id, derived)


def transform(request: TransformationInput) -> Write:
    """Input lots processed into output lots, with the TransformationEvent that says so."""
    event = epcis.transformation(request, _now())
    args = (request.model_dump_json(),)
    return Write("Epcis", "RecordTransformation", args, request.id, (event.model_dump_json(),))
