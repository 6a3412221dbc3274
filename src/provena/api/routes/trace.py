"""Trace: upstream and downstream of any lot, logistic unit, shipment or certificate, with
the EPCIS event and the ledger transaction behind every edge."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from provena.api.deps import SessionDep, ViewerDep
from provena.api.reads import READ_RESPONSES
from provena.api.writes import LedgerDep
from provena.tracking import epcis_queries
from provena.tracking.trace import Direction, NodeKind, kind_of, resolve, trace
from provena.verification.models import LedgerProof, signed_proof

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/trace", tags=["trace"])


class TraceNodeView(BaseModel):
    id: str = Field(description="The identifier: GS1 Digital Link URI or Provena URN")
    kind: NodeKind
    depth: int = Field(description="Levels from the start: negative upstream, positive downstream")
    shipment_id: str | None = Field(description="The shipment this logistic unit is")
    holder_msp_id: str | None = Field(description="Who holds that shipment now")


class TraceEdgeView(BaseModel):
    source: str
    target: str
    relation: str = Field(description="`packed_into` (aggregation) or `transformed_into`")
    event_id: str = Field(description="The EPCIS event's hash: /epcis/events/{event_id}")
    event_type: str
    biz_step: str | None
    event_time: datetime
    tx_id: str
    block_number: int


class TraceView(BaseModel):
    """The graph around the start, as far as it goes (or `truncated`)."""

    query: str
    roots: list[str]
    nodes: list[TraceNodeView]
    edges: list[TraceEdgeView]
    levels: int
    truncated: bool


class EventProof(BaseModel):
    """One event, whether its hash holds, and the ledger transaction that stored it."""

    event_id: str
    hash_verified: bool = Field(description="The hash computed again from the event matches")
    event: dict[str, Any]
    proof: LedgerProof


@router.get(
    "",
    summary="Where something came from and where it went, to any depth",
    responses=READ_RESPONSES,
)
async def trace_graph(
    session: SessionDep,
    viewer: ViewerDep,
    id: Annotated[
        str,
        Query(
            min_length=1,
            max_length=2048,
            description="A lot or unit (GS1 Digital Link, EPC URN, Provena URN), a shipment "
            "id or a certificate id",
        ),
    ],
    direction: Direction = "both",
    max_depth: Annotated[int, Query(ge=1, le=100)] = 50,
) -> TraceView:
    roots = await resolve(session, viewer, id)
    if not roots:
        raise HTTPException(404, f"nothing to trace from {id}")
    graph = await trace(session, viewer, roots, direction=direction, max_depth=max_depth)
    return TraceView(
        query=id,
        roots=graph.roots,
        nodes=[
            TraceNodeView(
                id=node.id,
                kind=kind_of(node.id),
                depth=node.depth,
                shipment_id=node.shipment_id,
                holder_msp_id=node.holder_msp_id,
            )
            for node in graph.nodes.values()
        ],
        edges=[
            TraceEdgeView(
                source=edge.source,
                target=edge.target,
                relation=edge.relation,
                event_id=edge.event_hash,
                event_type=edge.event_type,
                biz_step=edge.biz_step,
                event_time=edge.event_time,
                tx_id=edge.tx_id,
                block_number=edge.block_number,
            )
            for edge in graph.edges
        ],
        levels=graph.levels,
        truncated=graph.truncated,
    )


@router.get(
    "/proof/{event_id:path}",
    summary="An edge's proof: the event, its hash checked, the ledger transaction",
    responses=READ_RESPONSES,
)
async def edge_proof(
    event_id: str, session: SessionDep, viewer: ViewerDep, ledger: LedgerDep
) -> EventProof:
    row = await epcis_queries.find_event(session, viewer, event_id)
    if row is None:
        raise HTTPException(404, f"no event {event_id} that you may see")
    proof = await ledger.reads.proof(row.tx_id, row.block_number)
    return EventProof(
        event_id=row.hash,
        hash_verified=row.hash_verified,
        event=row.event,
        proof=signed_proof(proof),
    )
