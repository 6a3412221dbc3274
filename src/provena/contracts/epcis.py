"""EPCIS 2.0 events on the ledger, each under its CBV 2.0 event hash, and transformations.

Every supply-chain fact the contracts record is also a GS1 EPCIS 2.0 event: the client
builds the event (a JSON-LD object) and its event hash, and the transaction that records
the fact stores the event under `provena.epcis~<hash>` in the same write set. An event
whose hash is already on the ledger is a duplicate: it is reported, never stored twice.

The contracts cannot compute the hash (they depend on `provena.chaincode` alone), so they
check the event's shape against the fact (its type, action and business step) and the
form of the hash; anyone can recompute the hash from the stored event, and the API's
projection does for every event it applies.

    CaptureEvents(capture_id, events)         events captured through the EPCIS interface
    RecordTransformation(transformation, ..)  input lots processed into output lots
    RecordRecall(recall, event)               lots recalled, with everything made from them
    GetEpcisEvent(hash)                       one event as the ledger holds it
"""

from __future__ import annotations

import decimal
import json
from collections.abc import Collection, Iterable
from typing import Annotated, Any, Self

from pydantic import Field, StringConstraints, field_validator, model_validator

from provena.chaincode import Context, Contract, transaction
from provena.contracts.errors import InvalidInput
from provena.contracts.fields import Decimal, Id, MspId, Text, Timestamp
from provena.contracts.ledger import Ledger
from provena.contracts.model import Model

__all__ = [
    "CAPTURE_ROLES",
    "RECALL_ROLES",
    "Capture",
    "CaptureResult",
    "EpcisContract",
    "EpcisEvent",
    "EpcisEventInput",
    "LotQuantity",
    "Recall",
    "RecallEvent",
    "RecallInput",
    "Transformation",
    "TransformationEvent",
    "TransformationInput",
    "store_events",
]

EPCIS_EVENT = "provena.epcis"
BY_SUBJECT = "provena.epcis~subject"
TRANSFORMATION = "provena.transformation"
RECALL = "provena.recall"
RECALLED_SHIPMENT = "provena.recall~shipment"
#: Who may recall lots: their producers, certification bodies, administrators.
RECALL_ROLES = ("producer", "certifier", "admin")
#: Who may capture events: everyone who acts in the supply chain (auditors only read).
CAPTURE_ROLES = ("producer", "carrier", "receiver", "certifier", "admin")
MAX_EVENT_BYTES = 64 * 1024
MAX_EVENTS = 1000

EventHash = Annotated[str, StringConstraints(pattern=r"^ni:///sha-256;[0-9a-f]{64}\?ver=CBV2\.0$")]
EventType = Annotated[
    str,
    StringConstraints(
        pattern=r"^(ObjectEvent|AggregationEvent|TransactionEvent|TransformationEvent|AssociationEvent)$"
    ),
]
Uri = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s]{1,2000}$")]


class EpcisEventInput(Model):
    """An EPCIS 2.0 event (JSON-LD) and the CBV 2.0 hash its capturer computed."""

    hash: EventHash
    event: dict[str, Any]

    @field_validator("event")
    @classmethod
    def _shape(cls, event: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(event.get("type"), str):
            raise ValueError("an EPCIS event needs a type")
        if len(json.dumps(event, separators=(",", ":"))) > MAX_EVENT_BYTES:
            raise ValueError(f"an EPCIS event may be at most {MAX_EVENT_BYTES} bytes")
        return event


class Subject(Model):
    """The ledger record an event belongs to, e.g. ("shipment", "SHP-1")."""

    kind: Annotated[str, StringConstraints(pattern=r"^(shipment|transformation|capture|recall)$")]
    id: Id


class EpcisEvent(EpcisEventInput):
    """An event as the ledger holds it: who captured it, when, in which transaction."""

    subject: Subject
    captured_by_msp: MspId
    captured_by: str
    record_time: Timestamp
    tx_id: str


class Capture(Model):
    """What a transaction stored, and the hashes it found on the ledger already."""

    events: list[EpcisEvent]
    duplicates: list[str]


class CaptureResult(Model):
    stored: list[str]
    duplicates: list[str]


class LotQuantity(Model):
    """An amount of one lot or product class: a URI (GS1 Digital Link), a quantity, a unit."""

    epc_class: Uri
    quantity: Decimal
    uom: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,16}$")] | None = None


class TransformationInput(Model):
    """Input lots processed into output lots (apples into juice), at one place."""

    id: Id
    inputs: Annotated[list[LotQuantity], Field(min_length=1, max_length=100)]
    outputs: Annotated[list[LotQuantity], Field(min_length=1, max_length=100)]
    location: Uri

    @model_validator(mode="after")
    def _check(self) -> Self:
        for name, lots in (("inputs", self.inputs), ("outputs", self.outputs)):
            classes = [lot.epc_class for lot in lots]
            if len(set(classes)) != len(classes):
                raise ValueError(f"{name} must not repeat a lot")
        if {lot.epc_class for lot in self.inputs} & {lot.epc_class for lot in self.outputs}:
            raise ValueError("a lot cannot be both an input and an output")
        return self


class Transformation(TransformationInput):
    recorded_by_msp: MspId
    recorded_by: str
    recorded_at: Timestamp
    event_hash: EventHash
    tx_id: str


class AffectedLot(Model):
    """A lot or logistic unit a recall reached, how many steps from the lots recalled, and
    the shipment it is (for a unit)."""

    id: Uri
    depth: Annotated[int, Field(ge=0, le=1000)]
    shipment_id: Id | None = None


class AffectedShipment(Model):
    id: Id
    holder_msp: MspId | None


class RecallInput(Model):
    """Lots recalled, and what the walk downstream from them found at that moment."""

    id: Id
    lots: Annotated[list[Uri], Field(min_length=1, max_length=100)]
    reason: Text
    affected: Annotated[list[AffectedLot], Field(max_length=10_000)]
    shipments: Annotated[list[AffectedShipment], Field(max_length=5_000)]
    organizations: Annotated[list[MspId], Field(max_length=500)]
    certificates: Annotated[list[Id], Field(max_length=1_000)]


class Recall(RecallInput):
    recorded_by_msp: MspId
    recorded_by: str
    recorded_at: Timestamp
    event_hash: EventHash
    tx_id: str


class RecallEvent(Model):
    recall: Recall
    capture: Capture


class TransformationEvent(Model):
    transformation: Transformation
    capture: Capture


Amounts = set[tuple[str, decimal.Decimal, str | None]]


def _amount(value: object) -> decimal.Decimal:
    try:
        return decimal.Decimal(str(value)).normalize()
    except decimal.InvalidOperation:
        raise InvalidInput(f"{value!r} is not a quantity") from None


def _quantities(lots: Iterable[LotQuantity]) -> Amounts:
    return {(lot.epc_class, _amount(lot.quantity), lot.uom) for lot in lots}


def _event_quantities(event: dict[str, Any], field: str) -> Amounts:
    found = set()
    for element in event.get(field) or []:
        if not isinstance(element, dict):
            raise InvalidInput(f"{field} holds a non-object")
        quantity = _amount(element.get("quantity"))
        found.add((str(element.get("epcClass")), quantity, element.get("uom")))
    return found


def _key(hash: str) -> str:
    """The ledger key of an event: the hex digest of its hash."""
    return hash.removeprefix("ni:///sha-256;").removesuffix("?ver=CBV2.0")


async def store_events(
    ledger: Ledger,
    events: list[EpcisEventInput],
    subject: tuple[str, str],
    *,
    shapes: Collection[tuple[str, str | None]] | None = None,
) -> Capture:
    """Store each event not yet on the ledger; `shapes` limits their (type, action)."""
    stored: list[EpcisEvent] = []
    duplicates: list[str] = []
    seen: set[str] = set()
    caller = ledger.caller
    for position, given in enumerate(events):
        shape = (given.event["type"], given.event.get("action"))
        if shapes is not None and shape not in shapes:
            allowed = ", ".join(f"{t} {a}" if a else t for t, a in shapes)
            raise InvalidInput(f"event {position} is a {' '.join(filter(None, shape))}: {allowed}")
        key = _key(given.hash)
        if key in seen or await ledger.exists(EPCIS_EVENT, key):
            duplicates.append(given.hash)
            continue
        seen.add(key)
        record = EpcisEvent(
            **given.model_dump(),
            subject=Subject(kind=subject[0], id=subject[1]),
            captured_by_msp=caller.msp_id,
            captured_by=caller.id,
            record_time=ledger.now,
            tx_id=ledger.tx_id,
        )
        await ledger.put(record, EPCIS_EVENT, key)
        await ledger.index(BY_SUBJECT, subject[0], subject[1], key)
        stored.append(record)
    return Capture(events=stored, duplicates=duplicates)


async def _store_one(ledger: Ledger, event: EpcisEventInput, subject: tuple[str, str]) -> Capture:
    """Store the one event a fact is recorded with; it must be new."""
    capture = await store_events(ledger, [event], subject)
    if capture.duplicates:
        raise InvalidInput(f"event {event.hash} is already on the ledger")
    return capture


def _recorded(ledger: Ledger, event: EpcisEventInput) -> dict[str, Any]:
    """Who recorded a fact with its event, when, in which transaction."""
    caller = ledger.caller
    return {
        "recorded_by_msp": caller.msp_id,
        "recorded_by": caller.id,
        "recorded_at": ledger.now,
        "event_hash": event.hash,
        "tx_id": ledger.tx_id,
    }


class EpcisContract(Contract):
    """EPCIS events captured as they are, and transformations of lots."""

    name = "Epcis"

    @transaction
    async def CaptureEvents(
        self,
        ctx: Context,
        capture_id: Id,
        events: Annotated[list[EpcisEventInput], Field(min_length=1, max_length=MAX_EVENTS)],
    ) -> CaptureResult:
        ledger = Ledger(ctx)
        ledger.caller.require(*CAPTURE_ROLES, what="capture EPCIS events")
        capture = await store_events(ledger, events, ("capture", capture_id))
        ledger.emit("EpcisEventsCaptured", capture)
        return CaptureResult(
            stored=[event.hash for event in capture.events], duplicates=capture.duplicates
        )

    @transaction
    async def RecordTransformation(
        self, ctx: Context, transformation: TransformationInput, event: EpcisEventInput
    ) -> Transformation:
        ledger = Ledger(ctx)
        caller = ledger.caller
        caller.require("producer", what="record transformations")
        if await ledger.exists(TRANSFORMATION, transformation.id):
            raise InvalidInput(f"transformation {transformation.id} already exists")
        body = event.event
        if body["type"] != "TransformationEvent":
            raise InvalidInput("a transformation is recorded with a TransformationEvent")
        for field, lots in (
            ("inputQuantityList", transformation.inputs),
            ("outputQuantityList", transformation.outputs),
        ):
            if _event_quantities(body, field) != _quantities(lots):
                raise InvalidInput(f"the event's {field} differs from the transformation's")
        capture = await _store_one(ledger, event, ("transformation", transformation.id))
        record = Transformation(**transformation.model_dump(), **_recorded(ledger, event))
        await ledger.put(record, TRANSFORMATION, transformation.id)
        ledger.emit(
            "TransformationRecorded", TransformationEvent(transformation=record, capture=capture)
        )
        return record

    @transaction
    async def RecordRecall(
        self, ctx: Context, recall: RecallInput, event: EpcisEventInput
    ) -> Recall:
        ledger = Ledger(ctx)
        caller = ledger.caller
        caller.require(*RECALL_ROLES, what="recall lots")
        if await ledger.exists(RECALL, recall.id):
            raise InvalidInput(f"recall {recall.id} already exists")
        body = event.event
        disposition = str(body.get("disposition", "")).rsplit("-", 1)[-1].rsplit(":", 1)[-1]
        if (body["type"], body.get("action"), disposition) != (
            "ObjectEvent",
            "OBSERVE",
            "recalled",
        ):
            raise InvalidInput(
                "a recall is recorded with an ObjectEvent OBSERVE, disposition recalled"
            )
        if {
            str(q.get("epcClass")) for q in body.get("quantityList") or [] if isinstance(q, dict)
        } != set(recall.lots):
            raise InvalidInput("the event's quantityList names other lots than the recall's")
        capture = await _store_one(ledger, event, ("recall", recall.id))
        record = Recall(**recall.model_dump(), **_recorded(ledger, event))
        await ledger.put(record, RECALL, recall.id)
        for shipment in recall.shipments:
            await ledger.index(RECALLED_SHIPMENT, shipment.id, recall.id)
        ledger.emit("RecallRecorded", RecallEvent(recall=record, capture=capture))
        return record

    @transaction(evaluate=True)
    async def GetRecall(self, ctx: Context, id: Id) -> Recall:
        return await Ledger(ctx).load(Recall, RECALL, id, what="recall")

    @transaction(evaluate=True)
    async def GetEpcisEvent(self, ctx: Context, hash: EventHash) -> EpcisEvent:
        return await Ledger(ctx).load(EpcisEvent, EPCIS_EVENT, _key(hash), what="EPCIS event")
