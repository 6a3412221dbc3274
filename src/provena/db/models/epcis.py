"""EPCIS 2.0 events from the ledger, what they name, and the capture jobs that send them.

`epcis_events` holds each event under its CBV 2.0 hash with the columns the standard's
queries filter on; `epcis_event_identifiers` lists every identifier an event names in a
role (`epc`, `parent`, `child`, `input`, `output`; `epcClass`, `childCls`, `inputCls`,
`outputCls` for the classes of quantity lists; `cert` for certificationInfo), which is
both the `MATCH_*` index and the graph trace and recall walk; `epcis_event_parties` lists
the organizations an event concerns (who may read it). Events are ordered as the ledger
committed them: block, then transaction id, then place in the transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from provena.db.base import LEDGER_ID_LENGTH, MSP_ID_LENGTH, Base, ProjectionMixin
from provena.db.types import JSON_DOCUMENT, utcnow

__all__ = [
    "EpcisBizTransaction",
    "EpcisCapture",
    "EpcisEvent",
    "EpcisEventIdentifier",
    "EpcisEventParty",
    "EpcisSubscription",
    "Recall",
    "RecallParty",
    "RecalledShipment",
]

HASH_LENGTH = 100
URI_LENGTH = 2048


class EpcisEvent(ProjectionMixin, Base):
    """An EPCIS event as the ledger holds it; `record_time` is the ledger's time."""

    __tablename__ = "epcis_events"
    __table_args__ = (
        *ProjectionMixin.checks(),
        CheckConstraint("event_index >= 0", name="event_index_nonnegative"),
        Index(None, "block_number", "tx_id", "event_index"),
        Index(None, "subject_kind", "subject_id"),
    )

    hash: Mapped[str] = mapped_column(String(HASH_LENGTH), primary_key=True)
    event_id: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    type: Mapped[str] = mapped_column(String(32), index=True)
    action: Mapped[str | None] = mapped_column(String(8))
    event_time: Mapped[datetime] = mapped_column(index=True)
    event_time_zone_offset: Mapped[str] = mapped_column(String(6))
    record_time: Mapped[datetime] = mapped_column(index=True)
    biz_step: Mapped[str | None] = mapped_column(String(URI_LENGTH), index=True)
    disposition: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    read_point: Mapped[str | None] = mapped_column(String(URI_LENGTH))
    biz_location: Mapped[str | None] = mapped_column(String(URI_LENGTH), index=True)
    subject_kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(LEDGER_ID_LENGTH))
    captured_by_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    event_index: Mapped[int]
    """Its place among the events its transaction stored."""
    hash_verified: Mapped[bool]
    """Whether the hash recomputed from the stored event equals the one it is stored under."""
    event: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT)


class EpcisEventIdentifier(ProjectionMixin, Base):
    """An identifier an event names, in one role."""

    __tablename__ = "epcis_event_identifiers"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("event_hash", "role", "identifier"),
        Index(None, "identifier", "role"),
    )

    event_hash: Mapped[str] = mapped_column(ForeignKey("epcis_events.hash", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    identifier: Mapped[str] = mapped_column(String(URI_LENGTH))
    quantity: Mapped[str | None] = mapped_column(String(40))
    uom: Mapped[str | None] = mapped_column(String(16))
    link: Mapped[str | None] = mapped_column(String(8))
    """`packs` in an AggregationEvent ADD, `makes` in a TransformationEvent: the edges trace
    follows, kept on the row so a step of the walk reads this table's index alone."""


class EpcisBizTransaction(ProjectionMixin, Base):
    """A business transaction an event refers to (`EQ_bizTransaction_<type>`)."""

    __tablename__ = "epcis_biz_transactions"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("event_hash", "type", "value"),
        Index(None, "type", "value"),
    )

    event_hash: Mapped[str] = mapped_column(ForeignKey("epcis_events.hash", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(URI_LENGTH))
    value: Mapped[str] = mapped_column(String(URI_LENGTH))


class EpcisEventParty(ProjectionMixin, Base):
    """An organization an event concerns: it may read the event."""

    __tablename__ = "epcis_event_parties"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("event_hash", "msp_id"),
        Index(None, "msp_id"),
    )

    event_hash: Mapped[str] = mapped_column(ForeignKey("epcis_events.hash", ondelete="CASCADE"))
    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))


class EpcisCapture(Base):
    """A capture job: a document's events on their way to the ledger."""

    __tablename__ = "epcis_captures"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    error_behaviour: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))
    """`running`, `succeeded` or `failed`."""
    event_count: Mapped[int]
    committed: Mapped[int] = mapped_column(default=0)
    stored: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    duplicates: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOCUMENT, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class EpcisSubscription(Base):
    """A standing query whose matching events go to a webhook, in ledger order.

    The position is the last block delivered and the hashes of that block already
    delivered, so events applied to the projection later within the same block are still
    delivered, and nothing twice while the receiver keeps answering 2xx.
    """

    __tablename__ = "epcis_subscriptions"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    sees_all: Mapped[bool] = mapped_column(default=False)
    """Created by an auditor: matches every organization's events."""
    query: Mapped[dict[str, Any]] = mapped_column(JSON_DOCUMENT)
    """`query`: the parsed query (`EventQuery.as_json`); `parameters`: as the subscriber gave it."""
    destination: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(128))
    block_number: Mapped[int] = mapped_column(BigInteger, default=-1)
    delivered: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)
    failures: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_delivered_at: Mapped[datetime | None]
    delivered_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Recall(ProjectionMixin, Base):
    """A recall as the ledger recorded it: the lots, and what it reached at that moment."""

    __tablename__ = "recalls"
    __table_args__ = (*ProjectionMixin.checks(),)

    id: Mapped[str] = mapped_column(String(LEDGER_ID_LENGTH), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    lots: Mapped[list[str]] = mapped_column(JSON_DOCUMENT)
    affected: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOCUMENT)
    shipments: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOCUMENT)
    organizations: Mapped[list[str]] = mapped_column(JSON_DOCUMENT)
    certificates: Mapped[list[str]] = mapped_column(JSON_DOCUMENT)
    recorded_by_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    recorded_at: Mapped[datetime] = mapped_column(index=True)
    event_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))


class RecallParty(ProjectionMixin, Base):
    """An organization a recall concerns: it is told, and may read the recall."""

    __tablename__ = "recall_parties"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("recall_id", "msp_id"),
        Index(None, "msp_id"),
    )

    recall_id: Mapped[str] = mapped_column(ForeignKey("recalls.id", ondelete="CASCADE"))
    msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))


class RecalledShipment(ProjectionMixin, Base):
    """A shipment a recall reached: the ledger's mark, for the shipment's own page."""

    __tablename__ = "recalled_shipments"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("recall_id", "shipment_id"),
        Index(None, "shipment_id"),
    )

    recall_id: Mapped[str] = mapped_column(ForeignKey("recalls.id", ondelete="CASCADE"))
    shipment_id: Mapped[str] = mapped_column(String(LEDGER_ID_LENGTH))
