"""Cold-chain metrics of a shipment: minutes out of range per reading type, time out of range
in transit, and dwell per location, from its checkpoints' sensor readings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from provena.api.deps import SessionDep, ViewerDep
from provena.api.reads import READ_RESPONSES
from provena.tracking import coldchain
from provena.tracking.queries import get_shipment
from provena.verification import RecordNotFound

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/shipments", tags=["shipments"])

#: Chilled goods, unless the caller gives limits of their own.
DEFAULT_LIMITS = (coldchain.Limits("gs1:Temperature", Decimal(2), Decimal(8)),)


class SeriesView(BaseModel):
    type: str
    uom: str
    low: Decimal | None = Field(description="The lower limit (none: open)")
    high: Decimal | None = Field(description="The upper limit (none: open)")
    readings: int
    minimum: Decimal | None
    maximum: Decimal | None
    minutes_above: float
    minutes_below: float
    minutes_out_of_range_in_transit: float
    first_at: datetime | None
    last_at: datetime | None


class DwellView(BaseModel):
    location: str
    arrived_at: datetime
    left_at: datetime | None
    minutes: float | None


class ColdChain(BaseModel):
    shipment_id: str
    series: list[SeriesView]
    dwell: list[DwellView]


def parse_limit(text: str) -> coldchain.Limits:
    """`TYPE:LOW:HIGH`, either bound empty for open: `gs1:Temperature:2:8`."""
    parts = text.rsplit(":", 2)
    if len(parts) != 3:
        raise HTTPException(422, f"limit {text!r} is not TYPE:LOW:HIGH")
    kind, low, high = parts
    try:
        bounds = [Decimal(b) if b else None for b in (low, high)]
    except InvalidOperation:
        raise HTTPException(422, f"limit {text!r}: the bounds are not numbers") from None
    if not kind or (bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]):
        raise HTTPException(422, f"limit {text!r} is not TYPE:LOW:HIGH with LOW <= HIGH")
    return coldchain.Limits(kind, bounds[0], bounds[1])


@router.get(
    "/{id}/cold-chain",
    summary="Minutes above and below each limit, out of range in transit, and dwell per location",
    responses=READ_RESPONSES,
)
async def cold_chain(
    id: str,
    session: SessionDep,
    viewer: ViewerDep,
    limit: Annotated[
        list[str] | None,
        Query(
            max_length=20,
            description="`TYPE:LOW:HIGH` (a bound may be empty); default gs1:Temperature:2:8",
        ),
    ] = None,
) -> ColdChain:
    limits = [parse_limit(text) for text in limit] if limit else list(DEFAULT_LIMITS)
    row = await get_shipment(session, viewer, id)
    if row is None:
        raise RecordNotFound(f"no shipment {id} that you may see")
    return ColdChain(
        shipment_id=id,
        series=[
            SeriesView.model_validate(line, from_attributes=True)
            for line in coldchain.series(row.checkpoints, limits)
        ],
        dwell=[
            DwellView(
                location=s.location, arrived_at=s.arrived_at, left_at=s.left_at, minutes=s.minutes
            )
            for s in coldchain.dwell(row.checkpoints)
        ],
    )
