"""Transformations: a producer records input lots processed into output lots (apples into
juice), each with its quantity; the ledger keeps it with its EPCIS TransformationEvent."""

from __future__ import annotations

from fastapi import APIRouter

from provena.api.writes import WRITE_RESPONSES, WriteAnswer, WriterDep
from provena.contracts.epcis import TransformationInput
from provena.tracking import commands

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/transformations", tags=["trace"])


@router.post(
    "",
    status_code=202,
    summary="Record input lots processed into output lots (producers)",
    responses=WRITE_RESPONSES,
)
async def record_transformation(body: TransformationInput, writer: WriterDep) -> WriteAnswer:
    return await writer.send(commands.transform(body))
