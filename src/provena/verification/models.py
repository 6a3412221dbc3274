"""What verification answers: the public facts of a record, and no one's personal data.

Public answers name organizations (MSP ids), never people: no user ids, enrollment ids or
emails. The signed-in detail views add the creator's certificate subject to each proof.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from provena.verification.proofs import Proof

__all__ = [
    "AccreditationView",
    "Anchor",
    "CertificateVerification",
    "CheckpointView",
    "CustodyView",
    "DocumentView",
    "FileVerification",
    "IssuerView",
    "ItemView",
    "LedgerProof",
    "PublicProof",
    "ShipmentVerification",
    "StatusChangeView",
    "SubjectView",
    "Validity",
    "public_proof",
    "signed_proof",
]

Validity = Literal["ACTIVE", "SUSPENDED", "REVOKED", "EXPIRED", "NOT_YET_VALID", "NOT_ISSUED"]


class PublicProof(BaseModel):
    """Where the ledger committed the transaction, and which organizations vouched for it."""

    tx_id: str
    block_number: int
    validation_code: str
    timestamp: datetime | None
    creator_msp_id: str
    endorsers: list[str] = Field(description="MSP ids of the endorsing organizations")
    function: str | None


class LedgerProof(PublicProof):
    """A proof with the creator's identity, for signed-in members of the network."""

    creator_subject: str | None = Field(description="The creator certificate's subject")
    creator_enrollment_id: str | None


def public_proof(proof: Proof) -> PublicProof:
    return PublicProof(
        tx_id=proof.tx_id,
        block_number=proof.block_number,
        validation_code=proof.validation_code,
        timestamp=proof.timestamp,
        creator_msp_id=proof.creator_msp_id,
        endorsers=list(proof.endorsers),
        function=proof.function,
    )


def signed_proof(proof: Proof) -> LedgerProof:
    return LedgerProof(
        **public_proof(proof).model_dump(),
        creator_subject=proof.creator_subject,
        creator_enrollment_id=proof.creator_enrollment_id,
    )


class DocumentView(BaseModel):
    cid: str
    sha256: str
    size: int
    media_type: str
    name: str


class SubjectView(BaseModel):
    kind: str
    id: str
    name: str
    msp_id: str | None


class StatusChangeView(BaseModel):
    status: str
    reason: str | None
    at: datetime
    tx_id: str


class AccreditationView(BaseModel):
    schemes: list[str]
    since: datetime
    tx_id: str


class IssuerView(BaseModel):
    msp_id: str
    name: str | None = Field(description="The organization's name, when it is registered here")
    accredited_at_issue: bool = Field(description="Accredited for the scheme when it issued")
    accredited_at: bool = Field(description="Accredited for the scheme at the instant asked")
    accreditation_at: AccreditationView | None


class CertificateVerification(BaseModel):
    """A certificate's standing at one instant, with what makes it checkable."""

    certificate_id: str
    at: datetime
    status: Validity
    valid: bool = Field(description="Active, in its validity period, at the instant asked")
    scheme: str
    subject: SubjectView
    scope: str
    valid_from: datetime
    valid_until: datetime
    issued_at: datetime
    current_status: str
    status_log: list[StatusChangeView]
    issuer: IssuerView
    documents: list[DocumentView]
    proof: PublicProof


class CustodyView(BaseModel):
    msp_id: str
    since: datetime
    tx_id: str


class ItemView(BaseModel):
    sku: str
    gtin: str | None
    description: str
    lot: str | None
    certificate_ids: list[str]


class CheckpointView(BaseModel):
    seq: int
    event_time: datetime
    event_time_zone_offset: str
    biz_step: str
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    sensor_readings: list[dict[str, object]]
    documents: list[DocumentView]
    event_hash: str
    recorded_by_msp_id: str
    recorded_at: datetime
    tx_id: str


class ShipmentVerification(BaseModel):
    """A shipment's custody chain and checkpoints, as the ledger recorded them."""

    shipment_id: str
    status: str
    origin: str
    destination_msp_id: str
    destination_location: str | None
    owner_msp_id: str
    custodian_msp_id: str
    created_at: datetime
    custody: list[CustodyView]
    items: list[ItemView]
    checkpoints: list[CheckpointView]
    documents: list[DocumentView]
    proof: PublicProof


class Anchor(BaseModel):
    """One record that anchors a document."""

    kind: Literal["certificate", "shipment", "checkpoint"]
    id: str
    seq: int | None = Field(default=None, description="The checkpoint's number")
    document: DocumentView
    verify_url: str
    tx_id: str
    block_number: int


class FileVerification(BaseModel):
    sha256: str | None
    cid: str | None
    size: int | None = Field(default=None, description="Bytes received, for an upload")
    anchored: bool
    anchors: list[Anchor]
