"""EPCIS events from the ledger onto `epcis_events` and the tables that index them.

Every event's hash is computed again from the stored event: a row records whether it
equals the hash the ledger stores the event under (`hash_verified`), so an event whose
capturer sent a wrong hash is visible as such rather than trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.epcis import EpcisEvent as EpcisRecord
from provena.db import (
    EpcisBizTransaction,
    EpcisEvent,
    EpcisEventIdentifier,
    EpcisEventParty,
)
from provena.epcis import digital_link, event_hash, vocabulary_uri
from provena.events import upsert

__all__ = [
    "ORGANIZATION_URN",
    "ROLES",
    "canonical_identifier",
    "identifiers",
    "store",
    "vocabulary",
]

ORGANIZATION_URN = "urn:provena:org:"
#: Each role's EPC list and quantity list; a class from a quantity list has the role's
#: class name (`epc` and `epcClass`, `child` and `childCls`, ...).
ROLES = {
    "epc": ("epcList", "quantityList", "epcClass"),
    "child": ("childEPCs", "childQuantityList", "childCls"),
    "input": ("inputEPCList", "inputQuantityList", "inputCls"),
    "output": ("outputEPCList", "outputQuantityList", "outputCls"),
}


#: The events trace walks: packing (children into a parent) and making (inputs into outputs).
_LINKS: dict[tuple[object, object], str] = {
    ("AggregationEvent", "ADD"): "packs",
    ("TransformationEvent", None): "makes",
}


def canonical_identifier(value: str) -> str:
    """GS1 keys as canonical Digital Link; anything else as written."""
    try:
        return digital_link(value)
    except ValueError:
        return value


def vocabulary(value: object, name: str) -> str | None:
    """A CBV value (bare term, URN or URI) as its web URI."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return vocabulary_uri(value, name)
    except ValueError:
        return value


def identifiers(event: dict[str, Any]) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(role, identifier, quantity, uom) of everything the event names, with the
    certificates of its `certificationInfo` in the role `cert`."""
    parent = event.get("parentID")
    if isinstance(parent, str):
        yield "parent", canonical_identifier(parent), None, None
    certification = event.get("certificationInfo")
    for certificate in [certification] if isinstance(certification, str) else certification or []:
        if isinstance(certificate, str):
            yield "cert", certificate, None, None
    for role, (epcs, quantities, classes) in ROLES.items():
        for epc in event.get(epcs) or []:
            if isinstance(epc, str):
                yield role, canonical_identifier(epc), None, None
        for element in event.get(quantities) or []:
            if isinstance(element, dict) and isinstance(element.get("epcClass"), str):
                quantity = element.get("quantity")
                uom = element.get("uom")
                yield (
                    classes,
                    canonical_identifier(element["epcClass"]),
                    None if quantity is None else str(quantity),
                    uom if isinstance(uom, str) else None,
                )


def _biz_transactions(event: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for element in event.get("bizTransactionList") or []:
        if isinstance(element, dict) and isinstance(element.get("bizTransaction"), str):
            kind = vocabulary(element.get("type"), "BTT") or ""
            yield kind, element["bizTransaction"]


def _parties(event: dict[str, Any]) -> Iterator[str]:
    for field, key in (("sourceList", "source"), ("destinationList", "destination")):
        for element in event.get(field) or []:
            value = element.get(key) if isinstance(element, dict) else None
            if isinstance(value, str) and value.startswith(ORGANIZATION_URN):
                yield value.removeprefix(ORGANIZATION_URN)


def _location(value: object) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return canonical_identifier(value["id"])
    return None


def _verified(record: EpcisRecord) -> bool:
    try:
        return event_hash(record.event) == record.hash
    except (ValueError, TypeError, KeyError):
        return False


def _time(value: object, fallback: datetime) -> datetime:
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return fallback
        if moment.tzinfo is not None:
            return moment
    return fallback


def _offset(value: object) -> str:
    return value if isinstance(value, str) and len(value) == 6 else "+00:00"


async def store(
    session: AsyncSession,
    records: Iterable[EpcisRecord],
    *,
    block_number: int,
    tx_id: str,
    audience: Iterable[str] = (),
) -> None:
    """Write each event's row, identifiers, business transactions and parties."""
    audience = set(audience)
    source = {"tx_id": tx_id, "block_number": block_number}
    for index, record in enumerate(records):
        event = record.event
        event_id = event.get("eventID")
        await upsert(
            session,
            EpcisEvent,
            {
                "hash": record.hash,
                "event_id": event_id if isinstance(event_id, str) else None,
                "type": str(event["type"])[:32],
                "action": event.get("action") if isinstance(event.get("action"), str) else None,
                "event_time": _time(event.get("eventTime"), record.record_time),
                "event_time_zone_offset": _offset(event.get("eventTimeZoneOffset")),
                "record_time": record.record_time,
                "biz_step": vocabulary(event.get("bizStep"), "BizStep"),
                "disposition": vocabulary(event.get("disposition"), "Disp"),
                "read_point": _location(event.get("readPoint")),
                "biz_location": _location(event.get("bizLocation")),
                "subject_kind": record.subject.kind,
                "subject_id": record.subject.id,
                "captured_by_msp_id": record.captured_by_msp,
                "event_index": index,
                "hash_verified": _verified(record),
                "event": event,
            }
            | source,
        )
        link = _LINKS.get((event.get("type"), event.get("action")))
        for role, identifier, quantity, uom in identifiers(event):
            await upsert(
                session,
                EpcisEventIdentifier,
                {
                    "event_hash": record.hash,
                    "role": role,
                    "identifier": identifier,
                    "quantity": quantity,
                    "uom": uom,
                    "link": link,
                }
                | source,
            )
        for kind, value in _biz_transactions(event):
            await upsert(
                session,
                EpcisBizTransaction,
                {"event_hash": record.hash, "type": kind, "value": value} | source,
            )
        for msp_id in {record.captured_by_msp, *audience, *_parties(event)}:
            await upsert(
                session, EpcisEventParty, {"event_hash": record.hash, "msp_id": msp_id} | source
            )
