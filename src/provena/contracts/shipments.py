"""Shipments: created by producers, handed from custodian to custodian, delivered.

    CREATED ──Propose──► TRANSFER_PROPOSED ──Accept──► IN_TRANSIT ──Propose──► ...
       ▲                   │  Reject / Cancel              │
       └───────────────────┘  (back to where it was)      └─ custodian is the destination
                                                              ──ConfirmDelivery──► DELIVERED

Only the current custodian proposes, cancels and records checkpoints; only a custody
role (producer, carrier, receiver) of the proposed organization accepts or rejects.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from provena.chaincode import Context, Contract, transaction
from provena.contracts.anchors import anchor
from provena.contracts.certificates import load as load_certificate
from provena.contracts.epcis import Capture, EpcisEventInput, store_events
from provena.contracts.errors import Conflict, InvalidInput
from provena.contracts.events import ShipmentEvent, Transfer, TransferStatus
from provena.contracts.fields import Id, MspId, Text, Timestamp, format_timestamp
from provena.contracts.ledger import Caller, Ledger
from provena.contracts.model import (
    Certificate,
    CertificateStatus,
    Checkpoint,
    CheckpointEvent,
    CustodyRecord,
    Item,
    Model,
    PendingTransfer,
    Shipment,
    ShipmentInput,
    ShipmentStatus,
    SubjectKind,
)
from provena.contracts.paging import PageOf, PageSize, page_of

__all__ = ["ShipmentHistory", "ShipmentHistoryEntry", "ShipmentsContract"]

SHIPMENT = "provena.shipment"
CHECKPOINT = "provena.checkpoint"
BY_CUSTODIAN = "provena.ship~custodian"
BY_OWNER = "provena.ship~owner"
BY_STATUS = "provena.ship~status"
_INDEXES = {"custodian": BY_CUSTODIAN, "owner": BY_OWNER, "status": BY_STATUS}
CUSTODY_ROLES = ("producer", "carrier", "receiver")
#: The EPCIS events each fact is recorded with: commissioning and packing for a new
#: shipment, observations for hand-overs, checkpoints and delivery.
_CREATE = (("ObjectEvent", "ADD"), ("AggregationEvent", "ADD"))
_OBSERVE = (("ObjectEvent", "OBSERVE"),)
Events = Annotated[list[EpcisEventInput], Field(max_length=20)]


def _event(shipment: Shipment, capture: Capture, **change: object) -> ShipmentEvent:
    return ShipmentEvent(
        shipment=shipment, epcis=capture.events, duplicates=capture.duplicates, **change
    )


class ShipmentHistoryEntry(Model):
    tx_id: str
    timestamp: Timestamp
    shipment: Shipment


class ShipmentHistory(Model):
    """Every change of the shipment, and its checkpoints, in ledger order."""

    shipment: Shipment
    changes: list[ShipmentHistoryEntry]
    checkpoints: list[Checkpoint]


async def _load(ledger: Ledger, id: str) -> Shipment:
    return await ledger.load(Shipment, SHIPMENT, id, what="shipment")


def _covers(certificate: Certificate, item: Item, owner_msp: str) -> bool:
    subject = certificate.subject
    match subject.kind:
        case SubjectKind.LOT:
            return item.lot is not None and subject.id == item.lot
        case SubjectKind.PRODUCT:
            return subject.id in (item.sku, item.gtin)
        case SubjectKind.ORGANIZATION | SubjectKind.FACILITY:
            return owner_msp in (subject.msp_id, subject.id)
    return False


class ShipmentsContract(Contract):
    """Creating shipments, moving custody and recording checkpoints."""

    name = "Shipments"

    @transaction
    async def CreateShipment(
        self, ctx: Context, shipment: ShipmentInput, epcis: Events | None = None
    ) -> Shipment:
        ledger = Ledger(ctx)
        caller = ledger.caller
        caller.require("producer", what="create shipments")
        if await ledger.exists(SHIPMENT, shipment.id):
            raise Conflict(f"shipment {shipment.id} already exists")
        if shipment.destination.msp_id == caller.msp_id:
            raise InvalidInput("the destination must be another organization")
        for item in shipment.items:
            await self._check_certificates(ledger, item, caller.msp_id)
        now = ledger.now
        created = Shipment(
            **shipment.model_dump(),
            owner_msp=caller.msp_id,
            custodian_msp=caller.msp_id,
            status=ShipmentStatus.CREATED,
            custody=[CustodyRecord(msp_id=caller.msp_id, since=now, tx_id=ledger.tx_id)],
            created_at=now,
            created_by=caller.id,
            updated_at=now,
            tx_id=ledger.tx_id,
        )
        await self._save(ledger, created, previous=None)
        await anchor(ledger, created.documents, "shipment", created.id)
        capture = await store_events(ledger, epcis or [], ("shipment", created.id), shapes=_CREATE)
        ledger.emit("ShipmentCreated", _event(created, capture))
        return created

    @transaction
    async def ProposeTransfer(self, ctx: Context, id: Id, to_msp: MspId) -> Shipment:
        ledger = Ledger(ctx)
        shipment = await self._as_custodian(ledger, id, "propose a transfer of")
        if shipment.status not in (ShipmentStatus.CREATED, ShipmentStatus.IN_TRANSIT):
            raise Conflict(f"shipment {id} is {shipment.status}; it cannot be transferred")
        if to_msp == shipment.custodian_msp:
            raise InvalidInput(f"{to_msp} already holds shipment {id}")
        pending = PendingTransfer(
            seq=shipment.transfer_count,
            to_msp=to_msp,
            proposed_by=ledger.caller.id,
            proposed_at=ledger.now,
            tx_id=ledger.tx_id,
            previous_status=shipment.status,
        )
        updated = self._update(
            ledger,
            shipment,
            status=ShipmentStatus.TRANSFER_PROPOSED,
            pending_transfer=pending,
            transfer_count=shipment.transfer_count + 1,
        )
        await self._save(ledger, updated, previous=shipment)
        transfer = self._transfer(shipment.custodian_msp, pending, TransferStatus.PROPOSED)
        ledger.emit("TransferProposed", ShipmentEvent(shipment=updated, transfer=transfer))
        return updated

    @transaction
    async def CancelTransfer(self, ctx: Context, id: Id) -> Shipment:
        ledger = Ledger(ctx)
        shipment = await self._as_custodian(ledger, id, "cancel the transfer of")
        return await self._close(ledger, shipment, TransferStatus.CANCELLED, None)

    @transaction
    async def RejectTransfer(self, ctx: Context, id: Id, reason: Text) -> Shipment:
        ledger = Ledger(ctx)
        shipment = await self._as_recipient(ledger, id, "reject")
        return await self._close(ledger, shipment, TransferStatus.REJECTED, reason)

    @transaction
    async def AcceptTransfer(self, ctx: Context, id: Id, epcis: Events | None = None) -> Shipment:
        ledger = Ledger(ctx)
        shipment = await self._as_recipient(ledger, id, "accept")
        pending = shipment.pending_transfer
        assert pending is not None  # _as_recipient checked it
        custody = CustodyRecord(msp_id=pending.to_msp, since=ledger.now, tx_id=ledger.tx_id)
        updated = self._update(
            ledger,
            shipment,
            status=ShipmentStatus.IN_TRANSIT,
            custodian_msp=pending.to_msp,
            pending_transfer=None,
            custody=[*shipment.custody, custody],
        )
        await self._save(ledger, updated, previous=shipment)
        transfer = self._transfer(
            shipment.custodian_msp, pending, TransferStatus.ACCEPTED, resolved_at=ledger.now
        )
        capture = await store_events(ledger, epcis or [], ("shipment", id), shapes=_OBSERVE)
        ledger.emit("TransferAccepted", _event(updated, capture, transfer=transfer))
        return updated

    @transaction
    async def ConfirmDelivery(self, ctx: Context, id: Id, epcis: Events | None = None) -> Shipment:
        ledger = Ledger(ctx)
        shipment = await self._as_custodian(ledger, id, "confirm delivery of")
        if shipment.custodian_msp != shipment.destination.msp_id:
            raise Conflict(f"shipment {id} has not reached {shipment.destination.msp_id}")
        if shipment.status != ShipmentStatus.IN_TRANSIT:
            raise Conflict(f"shipment {id} is {shipment.status}; it cannot be delivered")
        updated = self._update(
            ledger, shipment, status=ShipmentStatus.DELIVERED, delivered_at=ledger.now
        )
        await self._save(ledger, updated, previous=shipment)
        capture = await store_events(ledger, epcis or [], ("shipment", id), shapes=_OBSERVE)
        ledger.emit("ShipmentDelivered", _event(updated, capture))
        return updated

    @transaction
    async def RecordCheckpoint(
        self, ctx: Context, id: Id, event: CheckpointEvent, epcis: Events | None = None
    ) -> Checkpoint:
        ledger = Ledger(ctx)
        shipment = await self._as_custodian(ledger, id, "record checkpoints of")
        if shipment.status == ShipmentStatus.DELIVERED:
            raise Conflict(f"shipment {id} is delivered")
        checkpoint = Checkpoint(
            shipment_id=id,
            seq=shipment.checkpoint_count,
            event=event,
            event_hash=hashlib.sha256(event.canonical()).hexdigest(),
            recorded_by_msp=ledger.caller.msp_id,
            recorded_by=ledger.caller.id,
            recorded_at=ledger.now,
            tx_id=ledger.tx_id,
        )
        updated = self._update(ledger, shipment, checkpoint_count=shipment.checkpoint_count + 1)
        await ledger.put(updated, SHIPMENT, id)
        await ledger.put(checkpoint, CHECKPOINT, id, f"{checkpoint.seq:08d}")
        await anchor(ledger, event.documents, "shipment", id)
        capture = await store_events(ledger, epcis or [], ("shipment", id), shapes=_OBSERVE)
        ledger.emit("CheckpointRecorded", _event(updated, capture, checkpoint=checkpoint))
        return checkpoint

    @transaction(evaluate=True)
    async def GetShipment(self, ctx: Context, id: Id) -> Shipment:
        return await _load(Ledger(ctx), id)

    @transaction(evaluate=True)
    async def GetShipmentHistory(self, ctx: Context, id: Id) -> ShipmentHistory:
        ledger = Ledger(ctx)
        shipment = await _load(ledger, id)
        changes = [
            ShipmentHistoryEntry(
                tx_id=e.tx_id, timestamp=e.timestamp, shipment=Shipment.model_validate(e.value)
            )
            for e in await ledger.history(SHIPMENT, id)
            if e.value is not None
        ]
        checkpoints = await ledger.records(Checkpoint, CHECKPOINT, [id])
        return ShipmentHistory(shipment=shipment, changes=changes, checkpoints=checkpoints)

    @transaction(evaluate=True)
    async def ListShipments(
        self,
        ctx: Context,
        by: Literal["custodian", "owner", "status"],
        value: Id,
        page_size: PageSize = 50,
        bookmark: Annotated[str, Field(max_length=512)] = "",
    ) -> PageOf[Shipment]:
        return await page_of(
            Ledger(ctx),
            Shipment,
            SHIPMENT,
            _INDEXES[by],
            value,
            page_size=page_size,
            bookmark=bookmark,
        )

    async def _check_certificates(self, ledger: Ledger, item: Item, owner_msp: str) -> None:
        for certificate_id in item.certificate_ids:
            certificate = await load_certificate(ledger, certificate_id)
            now = ledger.now
            if certificate.status != CertificateStatus.ACTIVE:
                raise Conflict(f"certificate {certificate_id} is {certificate.status}")
            if now < certificate.valid_from:
                since = format_timestamp(certificate.valid_from)
                raise Conflict(f"certificate {certificate_id} is not valid before {since}")
            if now >= certificate.valid_until:
                until = format_timestamp(certificate.valid_until)
                raise Conflict(f"certificate {certificate_id} expired at {until}")
            if not _covers(certificate, item, owner_msp):
                raise InvalidInput(f"certificate {certificate_id} does not cover item {item.sku}")

    async def _as_custodian(self, ledger: Ledger, id: str, what: str) -> Shipment:
        shipment = await _load(ledger, id)
        caller: Caller = ledger.caller
        caller.require(*CUSTODY_ROLES, msp_id=shipment.custodian_msp, what=f"{what} {id}")
        return shipment

    async def _as_recipient(self, ledger: Ledger, id: str, what: str) -> Shipment:
        shipment = await _load(ledger, id)
        pending = shipment.pending_transfer
        if pending is None:
            raise Conflict(f"shipment {id} has no transfer to {what}")
        ledger.caller.require(*CUSTODY_ROLES, msp_id=pending.to_msp, what=f"{what} {id}")
        return shipment

    async def _close(
        self, ledger: Ledger, shipment: Shipment, outcome: TransferStatus, reason: str | None
    ) -> Shipment:
        pending = shipment.pending_transfer
        if pending is None:
            raise Conflict(f"shipment {shipment.id} has no transfer to close")
        updated = self._update(
            ledger, shipment, status=pending.previous_status, pending_transfer=None
        )
        await self._save(ledger, updated, previous=shipment)
        transfer = self._transfer(
            shipment.custodian_msp, pending, outcome, reason=reason, resolved_at=ledger.now
        )
        name = "TransferRejected" if outcome == TransferStatus.REJECTED else "TransferCancelled"
        ledger.emit(name, ShipmentEvent(shipment=updated, transfer=transfer))
        return updated

    def _update(self, ledger: Ledger, shipment: Shipment, **changes: object) -> Shipment:
        changes |= {"updated_at": ledger.now, "tx_id": ledger.tx_id}
        return Shipment.model_validate(shipment.model_dump() | changes)

    async def _save(self, ledger: Ledger, shipment: Shipment, previous: Shipment | None) -> None:
        """Write the record and move its index entries when custodian or status changed."""
        await ledger.put(shipment, SHIPMENT, shipment.id)
        if previous is None:
            await ledger.index(BY_OWNER, shipment.owner_msp, shipment.id)
        if previous is None or previous.custodian_msp != shipment.custodian_msp:
            if previous is not None:
                await ledger.unindex(BY_CUSTODIAN, previous.custodian_msp, shipment.id)
            await ledger.index(BY_CUSTODIAN, shipment.custodian_msp, shipment.id)
        if previous is None or previous.status != shipment.status:
            if previous is not None:
                await ledger.unindex(BY_STATUS, previous.status, shipment.id)
            await ledger.index(BY_STATUS, shipment.status, shipment.id)

    @staticmethod
    def _transfer(
        from_msp: str,
        pending: PendingTransfer,
        status: TransferStatus,
        *,
        reason: str | None = None,
        resolved_at: datetime | None = None,
    ) -> Transfer:
        return Transfer(
            seq=pending.seq,
            from_msp=from_msp,
            to_msp=pending.to_msp,
            status=status,
            reason=reason,
            proposed_at=pending.proposed_at,
            resolved_at=resolved_at,
        )
