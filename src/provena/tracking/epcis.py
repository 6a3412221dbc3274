"""Supply-chain facts as GS1 EPCIS 2.0 events, each with its CBV 2.0 event hash.

Each fact the Shipments and Epcis contracts record travels with the events it is:

- a shipment is created: ObjectEvent ADD `commissioning` of its lots, and AggregationEvent
  ADD `packing` of the lots into the shipment (its SSCC, if any, as parent);
- custody passes to another organization: ObjectEvent OBSERVE `accepting`, `in_transit`,
  with the source and destination possessing parties;
- a checkpoint: ObjectEvent OBSERVE with the checkpoint's step, disposition, read point,
  location and `sensorElementList`;
- delivery: ObjectEvent OBSERVE `receiving`, `in_progress`;
- a transformation: TransformationEvent with input and output quantities.

Identifiers are GS1 Digital Link URIs where the record has GS1 keys (GTIN + lot, SSCC) and
`urn:provena:` URNs where it has only Provena's own ids (a SKU, a shipment id, an MSP).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from provena.contracts.epcis import EpcisEventInput, LotQuantity, TransformationInput
from provena.contracts.model import CheckpointEvent, Item, ShipmentInput
from provena.epcis import digital_link, event_hash

__all__ = [
    "CONTEXT",
    "accepted",
    "checkpoint",
    "created",
    "delivered",
    "hashed",
    "iso_time",
    "lot_class",
    "organization",
    "recalled",
    "shipment_parent",
    "transformation",
]

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
_DESPATCH = "desadv"
_POSSESSING = "possessing_party"
_OWNING = "owning_party"


def _urn(kind: str, *parts: str) -> str:
    return ":".join(["urn:provena", kind, *(quote(part, safe="") for part in parts)])


def lot_class(item: Item) -> str:
    """The class an item's goods belong to: GTIN + lot (or GTIN) as Digital Link, or SKU."""
    if item.gtin is not None:
        path = f"https://id.gs1.org/01/{item.gtin.zfill(14)}"
        return digital_link(path + (f"/10/{quote(item.lot, safe='')}" if item.lot else ""))
    return _urn("lot", item.sku, item.lot) if item.lot else _urn("sku", item.sku)


def shipment_parent(shipment_id: str, sscc: str | None = None) -> str:
    """The shipment as a logistic unit: its SSCC as Digital Link, else a Provena URN."""
    return digital_link(f"https://id.gs1.org/00/{sscc}") if sscc else _urn("shipment", shipment_id)


def organization(msp_id: str) -> str:
    return _urn("org", msp_id)


def location(value: str) -> str:
    """A read point or location as a URI: EPC URNs become Digital Link, words a Provena URN."""
    if ":" in value:
        return digital_link(value) if value.startswith("urn:epc:") else value
    return _urn("location", value)


def iso_time(moment: datetime) -> str:
    """An instant as EPCIS writes it: UTC, milliseconds, `Z`."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _time(moment: datetime) -> tuple[str, str]:
    offset = moment.strftime("%z") or "+0000"
    return iso_time(moment), f"{offset[:3]}:{offset[3:]}"


def _event(kind: str, moment: datetime, offset: str | None = None, **fields: Any) -> dict[str, Any]:
    time, own_offset = _time(moment)
    body = {
        "type": kind,
        "eventTime": time,
        "eventTimeZoneOffset": offset or own_offset,
        **{name: value for name, value in fields.items() if value not in (None, [], {})},
    }
    return body


def hashed(events: Iterable[dict[str, Any]]) -> list[EpcisEventInput]:
    """Each event with the JSON-LD context and its CBV 2.0 hash."""
    inputs = []
    for body in events:
        full = {"@context": CONTEXT, **body}
        inputs.append(EpcisEventInput(hash=event_hash(full), event=full))
    return inputs


def _quantity(value: str) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() and "." not in value else number


def _quantities(items: Sequence[Item]) -> list[dict[str, Any]]:
    return [
        {"epcClass": lot_class(item), "quantity": _quantity(item.quantity), "uom": item.unit}
        for item in items
    ]


def _despatch(shipment_id: str) -> list[dict[str, str]]:
    return [{"type": _DESPATCH, "bizTransaction": _urn("shipment", shipment_id)}]


def created(
    shipment: ShipmentInput, owner_msp: str, at: datetime, *, sscc: str | None = None
) -> list[EpcisEventInput]:
    """Commissioning of the shipment's lots, and their packing into the shipment."""
    certificates = sorted({c for item in shipment.items for c in item.certificate_ids})
    certification = [_urn("certificate", c) for c in certificates]
    place = {"id": location(shipment.origin)}
    owner = [{"type": _OWNING, "source": organization(owner_msp)}]
    commissioning = _event(
        "ObjectEvent",
        at,
        action="ADD",
        quantityList=_quantities(shipment.items),
        bizStep="commissioning",
        disposition="active",
        readPoint=place,
        certificationInfo=certification[0] if len(certification) == 1 else certification,
        bizTransactionList=_despatch(shipment.id),
        sourceList=owner,
    )
    packing = _event(
        "AggregationEvent",
        at,
        action="ADD",
        parentID=shipment_parent(shipment.id, sscc),
        childQuantityList=_quantities(shipment.items),
        bizStep="packing",
        disposition="container_closed",
        readPoint=place,
        bizTransactionList=_despatch(shipment.id),
        destinationList=[
            {"type": _OWNING, "destination": organization(shipment.destination.msp_id)}
        ],
    )
    return hashed([commissioning, packing])


def _observed(
    shipment_id: str, parent: str, at: datetime, *, offset: str | None = None, **fields: Any
) -> dict[str, Any]:
    return _event(
        "ObjectEvent",
        at,
        offset,
        epcList=[parent],
        action="OBSERVE",
        bizTransactionList=_despatch(shipment_id),
        **fields,
    )


def accepted(
    shipment_id: str, parent: str, from_msp: str | None, to_msp: str, at: datetime
) -> list[EpcisEventInput]:
    """Custody handed from one organization to another."""
    return hashed(
        [
            _observed(
                shipment_id,
                parent,
                at,
                bizStep="accepting",
                disposition="in_transit",
                sourceList=[{"type": _POSSESSING, "source": organization(from_msp)}]
                if from_msp
                else None,
                destinationList=[{"type": _POSSESSING, "destination": organization(to_msp)}],
            )
        ]
    )


def checkpoint(shipment_id: str, parent: str, event: CheckpointEvent) -> list[EpcisEventInput]:
    """A checkpoint with its sensor readings."""
    readings = [
        {"type": r.type, "value": _quantity(r.value), "uom": r.uom} for r in event.sensor_readings
    ]
    return hashed(
        [
            _observed(
                shipment_id,
                parent,
                event.event_time,
                offset=event.event_time_zone_offset,
                bizStep=event.biz_step.value,
                disposition=event.disposition.value,
                readPoint={"id": location(event.read_point)},
                bizLocation={"id": location(event.biz_location)} if event.biz_location else None,
                sensorElementList=[{"sensorReport": readings}] if readings else None,
            )
        ]
    )


def delivered(shipment_id: str, parent: str, msp_id: str, at: datetime) -> list[EpcisEventInput]:
    """The destination received the shipment."""
    return hashed(
        [
            _observed(
                shipment_id,
                parent,
                at,
                bizStep="receiving",
                disposition="in_progress",
                destinationList=[{"type": _POSSESSING, "destination": organization(msp_id)}],
            )
        ]
    )


def _lots(lots: Sequence[LotQuantity]) -> list[dict[str, Any]]:
    return [
        {"epcClass": lot.epc_class, "quantity": _quantity(lot.quantity)}
        | ({"uom": lot.uom} if lot.uom else {})
        for lot in lots
    ]


def transformation(record: TransformationInput, at: datetime) -> EpcisEventInput:
    """Input lots processed into output lots."""
    (event,) = hashed(
        [
            _event(
                "TransformationEvent",
                at,
                inputQuantityList=_lots(record.inputs),
                outputQuantityList=_lots(record.outputs),
                transformationID=_urn("transformation", record.id),
                bizStep="commissioning",
                disposition="active",
                readPoint={"id": record.location},
            )
        ]
    )
    return event


def recalled(
    recall_id: str, lots: Sequence[str], units: Sequence[str], at: datetime
) -> EpcisEventInput:
    """Lots (and the logistic units holding them) declared recalled."""
    (event,) = hashed(
        [
            _event(
                "ObjectEvent",
                at,
                epcList=list(units),
                action="OBSERVE",
                quantityList=[{"epcClass": lot} for lot in lots],
                bizStep="holding",
                disposition="recalled",
                bizTransactionList=[
                    {"type": "prodorder", "bizTransaction": _urn("recall", recall_id)}
                ],
            )
        ]
    )
    return event
