"""The ledger's records and the inputs that create them.

Inputs are what callers send; records are what the contract stores (inputs plus what
only the contract may set: owners, statuses, who and when). Every model forbids
unknown fields, and records serialise canonically (RFC 8785), so endorsements from
different organizations are byte-identical.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self

import rfc8785
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from provena.contracts.cbv import BizStep, Disposition
from provena.contracts.fields import (
    Cid,
    Decimal,
    Id,
    MediaType,
    MspId,
    Name,
    PositiveSize,
    Sha256,
    ShortText,
    Text,
    Timestamp,
)

__all__ = [
    "Accreditation",
    "Certificate",
    "CertificateInput",
    "CertificateStatus",
    "Checkpoint",
    "CheckpointEvent",
    "CustodyRecord",
    "Destination",
    "DocumentRef",
    "Item",
    "Model",
    "PendingTransfer",
    "Registry",
    "SensorReading",
    "Shipment",
    "ShipmentInput",
    "ShipmentStatus",
    "StatusChange",
    "Subject",
    "SubjectKind",
]


class Model(BaseModel):
    """Strict, immutable, canonically serialised."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)

    def canonical(self) -> bytes:
        """RFC 8785 JSON: sorted keys, no whitespace, one spelling per value."""
        return rfc8785.dumps(self.model_dump(mode="json"))


def _unique(values: list[str], what: str) -> None:
    if len(set(values)) != len(values):
        raise ValueError(f"{what} must not repeat")


class DocumentRef(Model):
    """A document anchored on the ledger: its bytes live in IPFS and object storage."""

    cid: Cid
    sha256: Sha256
    size: PositiveSize
    media_type: MediaType
    name: Name


Documents = Annotated[list[DocumentRef], Field(max_length=20)]


class SubjectKind(StrEnum):
    ORGANIZATION = "organization"
    FACILITY = "facility"
    PRODUCT = "product"
    LOT = "lot"


class Subject(Model):
    """What a certificate is about."""

    kind: SubjectKind
    id: Id
    name: ShortText
    msp_id: MspId | None = None


class CertificateStatus(StrEnum):
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REVOKED = "REVOKED"


class CertificateInput(Model):
    """What a certifier submits to issue a certificate."""

    id: Id
    scheme: Id
    subject: Subject
    scope: Text
    valid_from: Timestamp
    valid_until: Timestamp
    documents: Documents = []
    metadata_cid: Cid | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.valid_from >= self.valid_until:
            raise ValueError("valid_from must be before valid_until")
        _unique([d.cid for d in self.documents], "document CIDs")
        return self


class StatusChange(Model):
    """One step in a certificate's life, kept in the record so status-at-time needs no history."""

    status: CertificateStatus
    reason: Text | None = None
    at: Timestamp
    tx_id: str
    by: str


class Certificate(CertificateInput):
    """A certificate as the ledger holds it."""

    issuer_msp: MspId
    issuer_id: str
    issued_at: Timestamp
    status: CertificateStatus
    status_reason: Text | None = None
    status_log: list[StatusChange]
    updated_at: Timestamp
    tx_id: str


class Registry(Model):
    """Who governs accreditation: set once, by an admin."""

    governance_msps: Annotated[list[MspId], Field(min_length=1, max_length=20)]
    bootstrapped_at: Timestamp
    bootstrapped_by: str
    tx_id: str


class Accreditation(Model):
    """The schemes an organization may certify under."""

    msp_id: MspId
    schemes: Annotated[list[Id], Field(max_length=100)]
    updated_at: Timestamp
    tx_id: str


Gtin = Annotated[str, StringConstraints(pattern=r"^([0-9]{8}|[0-9]{12,14})$")]
Unit = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,16}$")]


class Item(Model):
    """A line of a shipment."""

    sku: Id
    gtin: Gtin | None = None
    description: ShortText
    quantity: Decimal
    unit: Unit
    lot: Id | None = None
    certificate_ids: Annotated[list[Id], Field(max_length=20)] = []

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.gtin is not None and not _gtin_check_digit_ok(self.gtin):
            raise ValueError(f"GTIN {self.gtin} has a wrong check digit")
        if self.quantity.startswith("-") or self.quantity.strip("0.") == "":
            raise ValueError("quantity must be greater than zero")
        _unique(self.certificate_ids, "certificate ids")
        return self


def _gtin_check_digit_ok(gtin: str) -> bool:
    digits = [int(c) for c in gtin]
    body = reversed(digits[:-1])
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(body))
    return (10 - total % 10) % 10 == digits[-1]


class Destination(Model):
    msp_id: MspId
    location: ShortText


class ShipmentInput(Model):
    """What a producer submits to create a shipment."""

    id: Id
    items: Annotated[list[Item], Field(min_length=1, max_length=200)]
    origin: ShortText
    destination: Destination
    documents: Documents = []

    @model_validator(mode="after")
    def _check(self) -> Self:
        _unique([d.cid for d in self.documents], "document CIDs")
        return self


class ShipmentStatus(StrEnum):
    CREATED = "CREATED"
    TRANSFER_PROPOSED = "TRANSFER_PROPOSED"
    IN_TRANSIT = "IN_TRANSIT"
    DELIVERED = "DELIVERED"


class PendingTransfer(Model):
    seq: int
    to_msp: MspId
    proposed_by: str
    proposed_at: Timestamp
    tx_id: str
    previous_status: ShipmentStatus


class CustodyRecord(Model):
    """One custodian in the chain, from when it took custody."""

    msp_id: MspId
    since: Timestamp
    tx_id: str


class Shipment(ShipmentInput):
    """A shipment as the ledger holds it."""

    owner_msp: MspId
    custodian_msp: MspId
    status: ShipmentStatus
    pending_transfer: PendingTransfer | None = None
    custody: list[CustodyRecord]
    checkpoint_count: int = 0
    transfer_count: int = 0
    created_at: Timestamp
    created_by: str
    delivered_at: Timestamp | None = None
    updated_at: Timestamp
    tx_id: str


class SensorReading(Model):
    """A measurement, as in EPCIS 2.0 sensorReport: a type, an exact value and a unit."""

    type: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9:._-]{0,63}$")]
    value: Decimal
    uom: Unit


Location = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9._:/#-]{1,256}$")]
ZoneOffset = Annotated[str, StringConstraints(pattern=r"^[+-](0[0-9]|1[0-4]):[0-5][0-9]$")]


class CheckpointEvent(Model):
    """A checkpoint shaped like a GS1 EPCIS 2.0 ObjectEvent (CBV 2.0 vocabularies)."""

    event_time: Timestamp
    event_time_zone_offset: ZoneOffset
    biz_step: BizStep
    disposition: Disposition
    read_point: Location
    biz_location: Location | None = None
    sensor_readings: Annotated[list[SensorReading], Field(max_length=50)] = []
    documents: Documents = []


class Checkpoint(Model):
    """A recorded checkpoint: the event, its hash, and who recorded it when."""

    shipment_id: Id
    seq: int
    event: CheckpointEvent
    event_hash: Sha256
    recorded_by_msp: MspId
    recorded_by: str
    recorded_at: Timestamp
    tx_id: str
