"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from provena.api.deps import StateDep
from provena.api.readiness import ReadinessReport

router = APIRouter(tags=["health"])


class Liveness(BaseModel):
    status: Literal["ok"]


@router.get("/healthz", summary="Liveness: the process is serving")
async def healthz() -> Liveness:
    return Liveness(status="ok")


@router.get(
    "/readyz",
    summary="Readiness: each dependency with its status",
    responses={503: {"model": ReadinessReport, "description": "A dependency is down"}},
)
async def readyz(state: StateDep) -> ReadinessReport:
    report = await state.readiness.run()
    if report.status != "ok":
        return JSONResponse(report.model_dump(), status_code=503)  # type: ignore[return-value]
    return report
