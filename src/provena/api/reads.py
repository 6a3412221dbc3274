"""What the read endpoints answer: pages with opaque cursors, and the records' views.

A cursor is the last row's sort key (its time and id), base64url-encoded: opaque to clients,
stable under inserts (a new row sorts before every cursor, so no page repeats or skips one).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from provena.api.problems import Problem
from provena.db import Certificate, LedgerTransaction, Shipment
from provena.verification import InvalidQuery
from provena.verification.history import HistoryEntry
from provena.verification.models import (
    CheckpointView,
    CustodyView,
    DocumentView,
    LedgerProof,
    SubjectView,
)

__all__ = [
    "READ_RESPONSES",
    "CertificateDetail",
    "CertificateSummary",
    "Cursor",
    "Limit",
    "Page",
    "ShipmentDetail",
    "ShipmentSummary",
    "TransactionView",
    "TransferView",
    "decode_cursor",
    "page_of",
]

READ_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": Problem} for code in (400, 401, 404, 422, 503)
}

T = TypeVar("T")
R = TypeVar("R")

Limit = Annotated[int, Query(ge=1, le=200, description="Rows per page (default 50)")]
Cursor = Annotated[str | None, Query(max_length=512, description="`next_cursor` of a page")]


class Page(BaseModel, Generic[T]):
    data: list[T]
    next_cursor: str | None


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    try:
        moment, id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(moment), str(id)
    except (binascii.Error, ValueError, TypeError) as exc:
        raise InvalidQuery("the cursor is not one this API handed out") from exc


def _encode(moment: datetime, id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([moment.isoformat(), id]).encode()).decode()


def page_of(
    rows: Sequence[R], limit: int, key: Callable[[R], tuple[datetime, str]], view: Callable[[R], T]
) -> Page[T]:
    """The first `limit` of `rows` (fetched `limit + 1`, to know whether more follow)."""
    shown = rows[:limit]
    more = len(rows) > limit
    return Page(
        data=[view(r) for r in shown], next_cursor=_encode(*key(shown[-1])) if more else None
    )


class CertificateSummary(BaseModel):
    id: str
    scheme: str
    subject: SubjectView
    scope: str
    valid_from: datetime
    valid_until: datetime
    status: str
    status_reason: str | None
    issuer_msp_id: str
    issued_at: datetime
    tx_id: str
    block_number: int

    @classmethod
    def of(cls, row: Certificate) -> CertificateSummary:
        return cls(
            id=row.id,
            scheme=row.scheme,
            subject=SubjectView(
                kind=row.subject_kind.value,
                id=row.subject_id,
                name=row.subject_name,
                msp_id=row.subject_msp_id,
            ),
            scope=row.scope,
            valid_from=row.valid_from,
            valid_until=row.valid_until,
            status=row.status.value,
            status_reason=row.status_reason,
            issuer_msp_id=row.issuer_msp_id,
            issued_at=row.issued_at,
            tx_id=row.tx_id,
            block_number=row.block_number,
        )


class CertificateDetail(CertificateSummary):
    metadata_cid: str | None
    documents: list[DocumentView]
    proof: LedgerProof
    history: list[HistoryEntry]


class ShipmentSummary(BaseModel):
    id: str
    status: str
    owner_msp_id: str
    custodian_msp_id: str
    pending_transfer_to_msp_id: str | None
    origin: str
    destination_msp_id: str
    destination_location: str | None
    created_at: datetime
    tx_id: str
    block_number: int

    @classmethod
    def of(cls, row: Shipment) -> ShipmentSummary:
        return cls(
            id=row.id,
            status=row.status.value,
            owner_msp_id=row.owner_msp_id,
            custodian_msp_id=row.custodian_msp_id,
            pending_transfer_to_msp_id=row.pending_transfer_to_msp_id,
            origin=row.origin,
            destination_msp_id=row.destination_msp_id,
            destination_location=row.destination_location,
            created_at=row.created_at,
            tx_id=row.tx_id,
            block_number=row.block_number,
        )


class ItemDetail(BaseModel):
    sku: str
    gtin: str | None
    description: str
    quantity: str
    unit: str
    lot: str | None
    certificate_ids: list[str]


class TransferView(BaseModel):
    seq: int
    from_msp_id: str
    to_msp_id: str
    status: str
    reason: str | None
    proposed_at: datetime
    resolved_at: datetime | None
    tx_id: str


class ShipmentDetail(ShipmentSummary):
    items: list[ItemDetail]
    documents: list[DocumentView]
    custody: list[CustodyView]
    transfers: list[TransferView]
    checkpoints: list[CheckpointView]
    proof: LedgerProof
    history: list[HistoryEntry]
    recalls: list[str] = Field(description="The recalls that reached this shipment")


class TransactionView(BaseModel):
    tx_id: str
    function: str
    record_id: str | None
    status: str
    validation_code: str | None
    block_number: int | None
    submitter_msp_id: str
    signer: str | None
    submitted_at: datetime
    committed_at: datetime | None

    @classmethod
    def of(cls, row: LedgerTransaction) -> TransactionView:
        return cls(
            tx_id=row.tx_id,
            function=row.function,
            record_id=row.record_id,
            status=row.status.value,
            validation_code=row.validation_code,
            block_number=row.block_number,
            submitter_msp_id=row.submitter_msp_id,
            signer=row.signer,
            submitted_at=row.submitted_at,
            committed_at=row.committed_at,
        )
