"""Recalls: from lots to everything made from them or packed with them, and who holds it.

`preview` walks downstream from the lots over every event (whoever may read them: every
holder must be told), and gathers the affected lots and units, the shipments they travel
in with their current holders, the certificates the lots were commissioned under, and
the organizations to notify (those shipments' owners, holders and destinations, whoever
recorded an event on the way, and the bodies that issued the certificates). `record`
turns a preview into the ledger write: the recall and its EPCIS event (ObjectEvent
OBSERVE, disposition `recalled`).
The projection keeps each recall with the organizations it concerns, who are told live.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from provena.contracts.epcis import AffectedLot, AffectedShipment, RecallEvent, RecallInput
from provena.db import (
    Certificate,
    EpcisEvent,
    EpcisEventIdentifier,
    Recall,
    RecalledShipment,
    RecallParty,
    Shipment,
)
from provena.documents import Viewer
from provena.events import Announcement, upsert
from provena.tracking import epcis, epcis_rows
from provena.tracking.trace import kind_of, trace
from provena.transactions import Write

__all__ = ["RecallPreview", "apply", "csv_export", "preview", "record", "visible_recalls"]

_EVERYONE = Viewer(user_id=None, msp_id=None, sees_all=True)
_CERTIFICATE = "urn:provena:certificate:"


@dataclass(frozen=True, slots=True)
class RecallPreview:
    lots: list[str]
    affected: list[dict[str, Any]]
    """{id, kind, depth, shipment_id, holder_msp_id} of every lot and unit reached."""
    shipments: list[dict[str, Any]]
    """{id, status, custodian_msp_id, owner_msp_id, destination_msp_id}."""
    organizations: list[str]
    certificates: list[str]


async def preview(session: AsyncSession, lots: list[str]) -> RecallPreview:
    """What recalling `lots` reaches now."""
    roots = [epcis_rows.canonical_identifier(lot) for lot in lots]
    graph = await trace(session, _EVERYONE, roots, direction="downstream", max_depth=100)
    affected = [
        {
            "id": node.id,
            "kind": kind_of(node.id),
            "depth": node.depth,
            "shipment_id": node.shipment_id,
            "holder_msp_id": node.holder_msp_id,
        }
        for node in graph.nodes.values()
    ]
    shipment_ids = {node.shipment_id for node in graph.nodes.values() if node.shipment_id}
    rows = await session.scalars(select(Shipment).where(Shipment.id.in_(shipment_ids)))
    shipments = [
        {
            "id": row.id,
            "status": row.status.value,
            "custodian_msp_id": row.custodian_msp_id,
            "owner_msp_id": row.owner_msp_id,
            "destination_msp_id": row.destination_msp_id,
        }
        for row in sorted(rows, key=lambda row: row.id)
    ]
    organizations = {
        msp
        for shipment in shipments
        for msp in (
            shipment["custodian_msp_id"],
            shipment["owner_msp_id"],
            shipment["destination_msp_id"],
        )
    }
    edge_hashes = {edge.event_hash for edge in graph.edges}
    if edge_hashes:
        organizations.update(
            await session.scalars(
                select(EpcisEvent.captured_by_msp_id).where(EpcisEvent.hash.in_(edge_hashes))
            )
        )
    certificates = await session.scalars(
        select(EpcisEventIdentifier.identifier)
        .where(
            EpcisEventIdentifier.role == "cert",
            EpcisEventIdentifier.event_hash.in_(
                select(EpcisEventIdentifier.event_hash).where(
                    EpcisEventIdentifier.role == "epcClass",
                    EpcisEventIdentifier.identifier.in_(list(graph.nodes)),
                )
            ),
        )
        .distinct()
    )
    certificate_ids = sorted(c.removeprefix(_CERTIFICATE) for c in certificates)
    if certificate_ids:  # the bodies that certified the lots are told too
        organizations.update(
            await session.scalars(
                select(Certificate.issuer_msp_id).where(Certificate.id.in_(certificate_ids))
            )
        )
    return RecallPreview(
        lots=roots,
        affected=affected,
        shipments=shipments,
        organizations=sorted(organizations),
        certificates=certificate_ids,
    )


def record(id: str, reason: str, found: RecallPreview) -> Write:
    """The ledger write that records the recall found by `preview`."""
    recall = RecallInput(
        id=id,
        lots=found.lots,
        reason=reason,
        affected=[
            AffectedLot(id=a["id"], depth=a["depth"], shipment_id=a["shipment_id"])
            for a in found.affected
        ],
        shipments=[
            AffectedShipment(id=s["id"], holder_msp=s["custodian_msp_id"]) for s in found.shipments
        ],
        organizations=found.organizations,
        certificates=found.certificates,
    )
    units = [a["id"] for a in found.affected if a["kind"] == "logistic_unit"]
    event = epcis.recalled(id, found.lots, units, datetime.now(UTC))
    return Write(
        "Epcis", "RecordRecall", (recall.model_dump_json(),), id, (event.model_dump_json(),)
    )


async def apply(
    session: AsyncSession, payload: dict[str, Any], block_number: int, tx_id: str
) -> Announcement:
    """A `RecallRecorded` event onto `recalls` and `recall_parties`, its event onto the
    EPCIS tables; announced to every organization concerned."""
    recorded = RecallEvent.model_validate(payload)
    recall = recorded.recall
    source = {"tx_id": tx_id, "block_number": block_number}
    parties = sorted({recall.recorded_by_msp, *recall.organizations})
    holders = {s.id: s.holder_msp for s in recall.shipments}
    affected = [
        {
            "id": a.id,
            "kind": kind_of(a.id),
            "depth": a.depth,
            "shipment_id": a.shipment_id,
            "holder_msp_id": holders.get(a.shipment_id) if a.shipment_id else None,
        }
        for a in recall.affected
    ]
    await upsert(
        session,
        Recall,
        {
            "id": recall.id,
            "reason": recall.reason,
            "lots": recall.lots,
            "affected": affected,
            "shipments": [{"id": id, "holder_msp_id": msp} for id, msp in holders.items()],
            "organizations": recall.organizations,
            "certificates": recall.certificates,
            "recorded_by_msp_id": recall.recorded_by_msp,
            "recorded_at": recall.recorded_at,
            "event_hash": recall.event_hash,
        }
        | source,
    )
    for msp in parties:
        await upsert(session, RecallParty, {"recall_id": recall.id, "msp_id": msp} | source)
    for shipment_id in holders:
        row = {"recall_id": recall.id, "shipment_id": shipment_id}
        await upsert(session, RecalledShipment, row | source)
    await epcis_rows.store(
        session, recorded.capture.events, block_number=block_number, tx_id=tx_id, audience=parties
    )
    summary = {
        "id": recall.id,
        "reason": recall.reason,
        "lots": recall.lots,
        "shipments": sorted(holders),
        "recorded_by_msp_id": recall.recorded_by_msp,
    }
    return Announcement("recall.recorded", summary, parties)


def visible_recalls(viewer: Viewer) -> Any:
    """The condition on `Recall` for the recalls `viewer` may read."""
    if viewer.sees_all:
        return Recall.id.is_not(None)
    return Recall.id.in_(select(RecallParty.recall_id).where(RecallParty.msp_id == viewer.msp_id))


def csv_export(recall: Recall) -> str:
    """One line per affected lot or unit: its kind, depth, shipment and holder."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["recall_id", "identifier", "kind", "depth", "shipment_id", "holder_msp_id"])
    for item in recall.affected:
        writer.writerow(
            [
                recall.id,
                item["id"],
                item["kind"],
                item["depth"],
                item.get("shipment_id") or "",
                item.get("holder_msp_id") or "",
            ]
        )
    return out.getvalue()
