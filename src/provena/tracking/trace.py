"""Trace: where a lot, a logistic unit or a shipment came from and where it went, to any depth.

The graph is the EPCIS events' own: an AggregationEvent ADD packs its children (EPCs or
classes) into its parent, a TransformationEvent turns its inputs into its outputs.
Upstream follows edges backwards from a node (what it was packed from or made of),
downstream forwards (what it was packed into or made into). Each level is one query over
`epcis_event_identifiers` (a self-join through the event), so a trace costs one indexed
query per level of depth, whatever the breadth. Every edge names its event and the
ledger transaction and block that hold it.

Start points: an identifier (GS1 Digital Link, EPC URN or Provena URN), a shipment id
(its logistic unit), or a certificate id (the lots commissioned under it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import Executable, and_, bindparam, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from provena.db import EpcisEvent, EpcisEventIdentifier, EpcisEventParty, Shipment
from provena.documents import Viewer
from provena.tracking.epcis_queries import visible
from provena.tracking.epcis_rows import canonical_identifier
from provena.tracking.queries import shipment_parent

__all__ = [
    "Direction",
    "NodeKind",
    "Trace",
    "TraceEdge",
    "TraceNode",
    "kind_of",
    "resolve",
    "trace",
]

Direction = Literal["upstream", "downstream", "both"]
Relation = Literal["packed_into", "transformed_into"]
NodeKind = Literal["logistic_unit", "lot", "product", "instance", "other"]

_PACKED_FROM = ("child", "childCls")
_PACKED_INTO = ("parent",)
_MADE_FROM = ("input", "inputCls")
_MADE_INTO = ("output", "outputCls")


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """`source` went into `target` by the event `event_hash` (ledger tx and block)."""

    source: str
    target: str
    relation: Relation
    event_hash: str
    event_type: str
    biz_step: str | None
    event_time: datetime
    tx_id: str
    block_number: int


@dataclass(slots=True)
class TraceNode:
    id: str
    depth: int
    """Levels from the start: negative upstream, positive downstream."""
    shipment_id: str | None = None
    """The shipment whose logistic unit this is."""
    holder_msp_id: str | None = None
    """Who holds the shipment now."""


@dataclass(slots=True)
class Trace:
    roots: list[str]
    nodes: dict[str, TraceNode] = field(default_factory=dict)
    edges: list[TraceEdge] = field(default_factory=list)
    truncated: bool = False
    """The walk stopped at `max_nodes` or `max_depth` with more to follow."""
    levels: int = 0
    """How many levels deep the walk found something, in the deeper direction."""


def kind_of(identifier: str) -> NodeKind:
    """What an identifier names, from its form (GS1 Digital Link or Provena URN)."""
    if identifier.startswith("https://id.gs1.org/"):
        path = identifier.removeprefix("https://id.gs1.org/")
        if path.startswith("00/"):
            return "logistic_unit"
        if path.startswith("01/"):
            return "instance" if "/21/" in path else "lot" if "/10/" in path else "product"
        return "other"
    for prefix, kind in (
        ("urn:provena:shipment:", "logistic_unit"),
        ("urn:provena:lot:", "lot"),
        ("urn:provena:sku:", "product"),
    ):
        if identifier.startswith(prefix):
            return kind  # type: ignore[return-value]
    return "other"


async def resolve(session: AsyncSession, viewer: Viewer, start: str) -> list[str]:
    """The identifiers `start` names: itself, a shipment's unit, or a certificate's lots."""
    shipment = await session.get(Shipment, start)
    if shipment is not None:
        return [await shipment_parent(session, start)]
    certificate = start if start.startswith("urn:provena:certificate:") else None
    if certificate is None and ":" not in start:
        certificate = f"urn:provena:certificate:{start}"
    if certificate is not None:
        lots = await session.scalars(
            select(EpcisEventIdentifier.identifier)
            .join(EpcisEvent, EpcisEvent.hash == EpcisEventIdentifier.event_hash)
            .where(
                visible(viewer),
                EpcisEventIdentifier.role == "epcClass",
                EpcisEvent.hash.in_(
                    select(EpcisEventIdentifier.event_hash).where(
                        EpcisEventIdentifier.role == "cert",
                        EpcisEventIdentifier.identifier == certificate,
                    )
                ),
            )
            .distinct()
        )
        found = sorted(lots)
        if found or ":" not in start:
            return found
    return [canonical_identifier(start)]


def _roles(
    backwards: bool,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(roles of `here`, roles of the other side) for aggregations, then transformations."""
    if backwards:
        return _PACKED_INTO, _PACKED_FROM, _MADE_INTO, _MADE_FROM
    return _PACKED_FROM, _PACKED_INTO, _MADE_FROM, _MADE_INTO


@cache
def _level_query(backwards: bool, everyone: bool) -> Executable:
    """One step from the identifiers bound to `frontier`, readable by the MSP bound to
    `msp` (by anyone if `everyone`): built once, so each level only binds and runs."""
    here, there = aliased(EpcisEventIdentifier), aliased(EpcisEventIdentifier)
    pack_here, pack_there, make_here, make_there = _roles(backwards)
    shape = or_(
        and_(here.link == "packs", here.role.in_(pack_here), there.role.in_(pack_there)),
        and_(here.link == "makes", here.role.in_(make_here), there.role.in_(make_there)),
    )
    readable = (
        true()
        if everyone
        else exists().where(
            EpcisEventParty.event_hash == EpcisEvent.hash,
            EpcisEventParty.msp_id == bindparam("msp"),
        )
    )
    return (
        select(
            here.identifier,
            there.identifier,
            EpcisEvent.hash,
            EpcisEvent.type,
            EpcisEvent.biz_step,
            EpcisEvent.event_time,
            EpcisEvent.tx_id,
            EpcisEvent.block_number,
        )
        .select_from(here)
        .join(there, there.event_hash == here.event_hash)
        .join(EpcisEvent, EpcisEvent.hash == here.event_hash)
        .where(here.identifier.in_(bindparam("frontier", expanding=True)), shape, readable)
        .order_by(EpcisEvent.block_number, EpcisEvent.tx_id, there.identifier)
    )


async def _level(
    session: AsyncSession, viewer: Viewer, frontier: Iterable[str], backwards: bool
) -> list[TraceEdge]:
    """Every edge one step from `frontier` in the direction asked."""
    if not viewer.sees_all and viewer.msp_id is None:
        return []
    query = _level_query(backwards, viewer.sees_all)
    parameters: dict[str, Any] = {"frontier": list(frontier)}
    if not viewer.sees_all:
        parameters["msp"] = viewer.msp_id
    rows = await (await session.connection()).execute(query, parameters)
    edges = []
    for near, far, hash, kind, step, time, tx_id, block in rows:
        source, target = (far, near) if backwards else (near, far)
        relation: Relation = "packed_into" if kind == "AggregationEvent" else "transformed_into"
        edges.append(TraceEdge(source, target, relation, hash, kind, step, time, tx_id, block))
    return edges


async def _walk(
    session: AsyncSession,
    viewer: Viewer,
    result: Trace,
    *,
    backwards: bool,
    max_depth: int,
    max_nodes: int,
) -> None:
    frontier = list(result.roots)
    sign = -1 if backwards else 1
    depth = 0
    while frontier and depth < max_depth:
        depth += 1
        new: list[str] = []
        for edge in await _level(session, viewer, frontier, backwards):
            result.edges.append(edge)
            far = edge.source if backwards else edge.target
            if far in result.nodes:
                continue
            if len(result.nodes) >= max_nodes:
                result.truncated = True
                return
            result.nodes[far] = TraceNode(far, sign * depth)
            new.append(far)
        frontier = new
        if new:
            result.levels = max(result.levels, depth)
    if frontier and depth >= max_depth:
        result.truncated = True


async def _holders(session: AsyncSession, result: Trace) -> None:
    """Each logistic unit's shipment and who holds it now."""
    packed = await session.execute(
        select(EpcisEventIdentifier.identifier, EpcisEvent.subject_kind, EpcisEvent.subject_id)
        .join(EpcisEvent, EpcisEvent.hash == EpcisEventIdentifier.event_hash)
        .where(
            EpcisEventIdentifier.identifier.in_(list(result.nodes)),
            EpcisEventIdentifier.role == "parent",
            EpcisEventIdentifier.link == "packs",
        )
    )
    units = {unit: id for unit, kind, id in packed if kind == "shipment"}
    if not units:
        return
    shipments = await session.execute(
        select(Shipment.id, Shipment.custodian_msp_id).where(Shipment.id.in_(set(units.values())))
    )
    holders: dict[str, str] = {id: holder for id, holder in shipments}
    for unit, shipment_id in units.items():
        node = result.nodes[unit]
        node.shipment_id, node.holder_msp_id = shipment_id, holders.get(shipment_id)


async def trace(
    session: AsyncSession,
    viewer: Viewer,
    roots: Sequence[str],
    *,
    direction: Direction = "both",
    max_depth: int = 50,
    max_nodes: int = 10_000,
) -> Trace:
    """The graph around `roots` that `viewer` may see, up to `max_depth` levels each way."""
    result = Trace(roots=list(roots))
    for root in roots:
        result.nodes[root] = TraceNode(root, 0)
    for backwards in (True, False):
        if direction == ("downstream" if backwards else "upstream"):
            continue
        await _walk(
            session, viewer, result, backwards=backwards, max_depth=max_depth, max_nodes=max_nodes
        )
    await _holders(session, result)
    return result
