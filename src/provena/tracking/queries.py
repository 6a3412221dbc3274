"""Reading shipments from the projection: filtered, searched and paged newest first.

A shipment concerns its owner, every organization that has held it, its destination and
any organization it is being offered to; each of them lists and reads it, auditors see all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from provena.db import (
    CustodyTransfer,
    CustodyTransferStatus,
    EpcisEvent,
    EpcisEventIdentifier,
    Shipment,
    ShipmentStatus,
)
from provena.db.pages import contains_any, newest_first
from provena.documents import Viewer
from provena.tracking import epcis

__all__ = ["ShipmentFilter", "get_shipment", "list_shipments", "shipment_parent"]


@dataclass(frozen=True, slots=True)
class ShipmentFilter:
    status: ShipmentStatus | None = None
    holder: str | None = None
    """The custodian's MSP id."""
    origin: str | None = None
    """Text searched in the origin."""
    destination: str | None = None
    offered_to: str | None = None
    """The MSP id a transfer of the shipment is proposed to."""
    q: str | None = None
    """Text searched in the id, the origin and the destination's location."""


def _visible(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.sees_all:
        return true()
    if viewer.msp_id is None:
        return Shipment.id.is_(None)
    msp = viewer.msp_id
    held = exists().where(
        CustodyTransfer.shipment_id == Shipment.id,
        CustodyTransfer.to_msp_id == msp,
        CustodyTransfer.status == CustodyTransferStatus.ACCEPTED,
    )
    return or_(
        Shipment.owner_msp_id == msp,
        Shipment.custodian_msp_id == msp,
        Shipment.destination_msp_id == msp,
        Shipment.pending_transfer_to_msp_id == msp,
        held,
    )


def _filtered(query: Select[Shipment], f: ShipmentFilter) -> Select[Shipment]:
    if f.status is not None:
        query = query.where(Shipment.status == f.status)
    if f.holder is not None:
        query = query.where(Shipment.custodian_msp_id == f.holder)
    if f.destination is not None:
        query = query.where(Shipment.destination_msp_id == f.destination)
    if f.offered_to is not None:
        query = query.where(Shipment.pending_transfer_to_msp_id == f.offered_to)
    if f.origin:
        query = query.where(Shipment.origin.icontains(f.origin, autoescape=True))
    if f.q:
        query = query.where(
            contains_any(f.q, Shipment.id, Shipment.origin, Shipment.destination_location)
        )
    return query


async def list_shipments(
    session: AsyncSession,
    viewer: Viewer,
    filters: ShipmentFilter,
    *,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[Shipment]:
    """Up to `limit` shipments newest first (created_at, then id), after the keyset `after`."""
    query = _filtered(select(Shipment).where(_visible(viewer)), filters)
    page = newest_first(query, Shipment.created_at, Shipment.id, after=after, limit=limit)
    return list((await session.scalars(page)).all())


async def get_shipment(session: AsyncSession, viewer: Viewer | None, id: str) -> Shipment | None:
    """The shipment with its items, documents, transfers and checkpoints, if `viewer` may see
    it (`None`: a public verifier, who may)."""
    query = select(Shipment).where(Shipment.id == id)
    if viewer is not None:
        query = query.where(_visible(viewer))
    query = query.options(
        selectinload(Shipment.items),
        selectinload(Shipment.documents),
        selectinload(Shipment.transfers),
        selectinload(Shipment.checkpoints),
    )
    return (await session.scalars(query)).one_or_none()


async def shipment_parent(session: AsyncSession, id: str) -> str:
    """The identifier the shipment's EPCIS events observe: the parent it was packed into."""
    query = (
        select(EpcisEventIdentifier.identifier)
        .join(EpcisEvent, EpcisEvent.hash == EpcisEventIdentifier.event_hash)
        .where(
            EpcisEvent.subject_kind == "shipment",
            EpcisEvent.subject_id == id,
            EpcisEvent.type == "AggregationEvent",
            EpcisEventIdentifier.role == "parent",
        )
        .limit(1)
    )
    return await session.scalar(query) or epcis.shipment_parent(id)
