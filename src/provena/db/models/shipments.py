"""Projection of shipments from the ledger: items, documents, custody and checkpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from provena.db.base import (
    LEDGER_ID_LENGTH,
    MSP_ID_LENGTH,
    Base,
    DocumentRefMixin,
    ProjectionMixin,
    enum_type,
    hex_check,
)
from provena.db.enums import CustodyTransferStatus, ShipmentStatus
from provena.db.types import JSON_DOCUMENT, DecimalString

__all__ = ["Checkpoint", "CustodyTransfer", "Shipment", "ShipmentDocument", "ShipmentItem"]


class Shipment(ProjectionMixin, Base):
    """A shipment as the ledger last recorded it; `created_at` is the ledger's time."""

    __tablename__ = "shipments"
    __table_args__ = (*ProjectionMixin.checks(),)

    id: Mapped[str] = mapped_column(String(LEDGER_ID_LENGTH), primary_key=True)
    owner_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    custodian_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    status: Mapped[ShipmentStatus] = mapped_column(
        enum_type(ShipmentStatus, name="status"), index=True
    )
    pending_transfer_to_msp_id: Mapped[str | None] = mapped_column(String(MSP_ID_LENGTH))
    origin: Mapped[str] = mapped_column(Text)
    destination_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    destination_location: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    items: Mapped[list[ShipmentItem]] = relationship(
        back_populates="shipment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="ShipmentItem.position",
    )
    documents: Mapped[list[ShipmentDocument]] = relationship(
        back_populates="shipment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="ShipmentDocument.position",
    )
    transfers: Mapped[list[CustodyTransfer]] = relationship(
        back_populates="shipment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="CustodyTransfer.seq",
    )
    checkpoints: Mapped[list[Checkpoint]] = relationship(
        back_populates="shipment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="raise_on_sql",
        order_by="Checkpoint.seq",
    )


class ShipmentItem(ProjectionMixin, Base):
    """One line of a shipment. `quantity` is an exact decimal string, as on the ledger."""

    __tablename__ = "shipment_items"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("shipment_id", "position"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
        CheckConstraint(
            "quantity <> '' AND ltrim(quantity, '0123456789.') = ''", name="quantity_decimal"
        ),
        CheckConstraint(
            "length(gtin) IN (8, 12, 13, 14) AND ltrim(gtin, '0123456789') = ''",
            name="gtin_digits",
        ),
    )

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    position: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    gtin: Mapped[str | None] = mapped_column(String(14))
    description: Mapped[str] = mapped_column(Text)
    quantity: Mapped[str] = mapped_column(DecimalString())
    unit: Mapped[str] = mapped_column(String(32))
    lot: Mapped[str | None] = mapped_column(String(64), index=True)
    certificate_ids: Mapped[list[str]] = mapped_column(JSON_DOCUMENT, default=list)

    shipment: Mapped[Shipment] = relationship(back_populates="items", lazy="raise_on_sql")


class ShipmentDocument(DocumentRefMixin, ProjectionMixin, Base):
    """A document attached to a shipment, in the ledger's order."""

    __tablename__ = "shipment_documents"
    __table_args__ = (
        *DocumentRefMixin.checks(),
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("shipment_id", "position"),
        UniqueConstraint("shipment_id", "cid"),
        CheckConstraint("position >= 0", name="position_nonnegative"),
    )

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    position: Mapped[int]

    shipment: Mapped[Shipment] = relationship(back_populates="documents", lazy="raise_on_sql")


class CustodyTransfer(ProjectionMixin, Base):
    """One proposed hand-over of custody, numbered from 0 within its shipment."""

    __tablename__ = "custody_transfers"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("shipment_id", "seq"),
        CheckConstraint("seq >= 0", name="seq_nonnegative"),
        CheckConstraint(
            "(status = 'PROPOSED') = (resolved_at IS NULL)", name="resolved_unless_proposed"
        ),
    )

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    seq: Mapped[int]
    from_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    to_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH), index=True)
    status: Mapped[CustodyTransferStatus] = mapped_column(
        enum_type(CustodyTransferStatus, name="status")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    proposed_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]

    shipment: Mapped[Shipment] = relationship(back_populates="transfers", lazy="raise_on_sql")


class Checkpoint(ProjectionMixin, Base):
    """An event recorded along a shipment's way (an EPCIS-style ObjectEvent).

    `event_time` is stored in UTC; `event_time_zone_offset` keeps the offset the event
    was recorded in ("+02:00"), as EPCIS requires, so local time can be shown again.
    """

    __tablename__ = "checkpoints"
    __table_args__ = (
        *ProjectionMixin.checks(),
        PrimaryKeyConstraint("shipment_id", "seq"),
        CheckConstraint("seq >= 0", name="seq_nonnegative"),
        CheckConstraint(
            "event_time_zone_offset LIKE '+__:__' OR event_time_zone_offset LIKE '-__:__'",
            name="event_time_zone_offset_format",
        ),
        CheckConstraint(hex_check("event_hash"), name="event_hash_hex"),
    )

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"))
    seq: Mapped[int]
    event_time: Mapped[datetime]
    event_time_zone_offset: Mapped[str] = mapped_column(String(6))
    biz_step: Mapped[str] = mapped_column(String(255))
    disposition: Mapped[str | None] = mapped_column(String(255))
    read_point: Mapped[str | None] = mapped_column(Text)
    biz_location: Mapped[str | None] = mapped_column(Text)
    sensor_readings: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOCUMENT, default=list)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON_DOCUMENT, default=list)
    event_hash: Mapped[str] = mapped_column(String(64))
    recorded_by_msp_id: Mapped[str] = mapped_column(String(MSP_ID_LENGTH))
    recorded_at: Mapped[datetime]

    shipment: Mapped[Shipment] = relationship(back_populates="checkpoints", lazy="raise_on_sql")
