"""Chaincode event payloads: each carries everything a projection needs.

One event per transaction, named for what happened (`CertificateIssued`,
`TransferAccepted`, ...), whose payload is the changed record in full plus the detail
of the change, so the API's projections never read the ledger back.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from provena.contracts.epcis import EpcisEvent
from provena.contracts.fields import MspId, Text, Timestamp
from provena.contracts.model import (
    Accreditation,
    Certificate,
    Checkpoint,
    DocumentRef,
    Model,
    Registry,
    Shipment,
)

__all__ = [
    "AccreditationEvent",
    "CertificateEvent",
    "RegistryEvent",
    "ShipmentEvent",
    "Transfer",
    "TransferStatus",
]


class RegistryEvent(Model):
    registry: Registry


class AccreditationEvent(Model):
    accreditation: Accreditation
    scheme: str | None = None


class CertificateEvent(Model):
    certificate: Certificate
    document: DocumentRef | None = None


class TransferStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"
    CANCELLED = "CANCELLED"


class Transfer(Model):
    """One proposed hand-over of custody and how it ended."""

    seq: int
    from_msp: MspId
    to_msp: MspId
    status: TransferStatus
    reason: Text | None = None
    proposed_at: Timestamp
    resolved_at: Timestamp | None = None


class ShipmentEvent(Model):
    shipment: Shipment
    transfer: Transfer | None = None
    checkpoint: Checkpoint | None = None
    epcis: list[EpcisEvent] = Field(default_factory=list)
    duplicates: list[str] = Field(default_factory=list)
